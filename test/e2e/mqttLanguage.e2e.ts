// A `.mqtt` file as a user opens it: VS Code names its language MQTT in the status bar and
// colours it with the grammar: keywords, headers, `{{…}}` expansions and comments each look
// different from plain text.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import { createWorkspace, openWorkbench, screenshot, test, type Workbench } from './harness';

let wb: Workbench;

before(async () => {
  const workspace = createWorkspace('mqtt-language');
  fs.writeFileSync(
    path.join(workspace, 'lab.mqtt'),
    [
      '# The lab check',
      '@topic = iot/lab/mqtt_test',
      '',
      '### QoS 1 arrives',
      'EXPECT {{topic}} WITHIN 2s',
      'qos: 1',
      '',
      '{"n": {{$randomInt 1 100}}}',
      '',
    ].join('\n'),
  );
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
});

test('a .mqtt file is the MQTT language, coloured by its grammar', async () => {
  const { page } = wb;
  await page.keyboard.press('Control+P');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible' });
  await box.fill('lab.mqtt');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'lab.mqtt' }).first().click();
  const lines = page.locator('.monaco-editor .view-lines');
  await lines.getByText('EXPECT', { exact: true }).waitFor();
  await page
    .locator('.statusbar-item', { hasText: /^MQTT$/ })
    .first()
    .waitFor();
  const classOf = (text: string) =>
    lines.locator('span > span', { hasText: text }).first().getAttribute('class');
  // Tokens are coloured once the grammar loaded: wait until the keyword is not plain text.
  await page.waitForFunction(() => {
    const spans = Array.from(document.querySelectorAll('.monaco-editor .view-lines span > span'));
    const keyword = spans.find((s) => s.textContent === 'EXPECT');
    const plain = spans.find((s) => s.textContent?.startsWith('iot/lab'));
    return keyword && plain && keyword.className !== plain.className;
  });
  const classes = {
    comment: await classOf('# The lab check'),
    keyword: await classOf('EXPECT'),
    header: await classOf('qos'),
    dynamic: await classOf('$randomInt'),
    duration: await classOf('2s'),
  };
  const plain = await classOf('iot/lab/mqtt_test');
  for (const [what, cls] of Object.entries(classes))
    assert.notEqual(cls, plain, `${what} looks like plain text`);
  assert.notEqual(classes.keyword, classes.comment);
  await screenshot(page, 'mqtt-language');
});
