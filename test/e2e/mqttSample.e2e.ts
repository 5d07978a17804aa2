// The walkthrough's last step as a new user meets it: with the local broker and the demo devices
// running, "Open the Sample" copies demo-devices.mqtt into the folder and opens it, Run File on
// its CodeLens runs it against the demo, the checks of the demo devices on the first screen pass
// with their latency after their request lines, and the step ticks itself (a file ran). The crop is the step's picture (test-artifacts/walkthrough-media/
// mqtt-file.png → media/walkthrough/mqtt-file.png); the screenshot is
// test-artifacts/mqtt-sample.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { saveCrop } from './crop';
import {
  localBrokerWorkbench,
  pickQuickInputItem,
  runCommand,
  screenshot,
  openActivityContainer,
  test,
  waitForTreeRow,
} from './harness';
import { pollUntil } from './waits';

const env = localBrokerWorkbench('mqtt-sample', {
  'mqttScope.messageLog.openOnFirstMessage': false,
});

const step = (id: string) =>
  env.wb.page.locator(`button.getting-started-step[data-step-id$="#${id}"]`).first();

/** The texts drawn after the lines of the editor (decorations' `::after` content). */
async function inlineTexts(page: Page): Promise<string[]> {
  return page.locator('.monaco-editor .view-lines').evaluateAll((nodes) =>
    nodes.flatMap((root) =>
      Array.from(root.querySelectorAll('span'))
        .map((span) => getComputedStyle(span, '::after').content)
        .filter((c) => c && c !== 'none' && c !== 'normal')
        .map((c) => c.replace(/^"|"$/g, '')),
    ),
  );
}

test('"Open the Sample" in the walkthrough opens demo-devices.mqtt; its checks of the demo pass in the editor', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices');
  await waitForTreeRow(page, /Local broker\s*connected/, { timeout: 30_000 });
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickQuickInputItem(page, 'Get Started with MQTT Scope');
  await step('mqttFile').click();
  assert.equal(await step('mqttFile').getAttribute('aria-checked'), 'false');
  await page.locator('.getting-started-step.expanded a', { hasText: 'Open the Sample' }).click();

  const tab = page.locator('.tabs-container .tab', { hasText: 'demo-devices.mqtt' });
  await tab.waitFor();
  await pollUntil(
    'the sample copied into the folder',
    () => fs.existsSync(path.join(env.wb.workspace, 'demo-devices.mqtt')) || undefined,
  );

  const runFile = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run File' });
  await runFile.waitFor({ timeout: 30_000 });
  await runFile.click();
  // The editor draws only the lines in view: wait for the run to end (Run File is back, no Running…) with
  // results in view, then read those of the first screen.
  await pollUntil(
    'the run to end with results in view',
    async () =>
      (await page
        .locator('.monaco-editor .codelens-decoration', { hasText: 'Running' })
        .count()) === 0 &&
      (await runFile.count()) > 0 &&
      (await inlineTexts(page)).filter((t) => /^[✓✗–]/.test(t)).length >= 3,
    { timeout: 60_000 },
  );
  await page
    .locator('.monaco-editor .margin')
    .first()
    .click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+Home');
  // The first screen: the sensor's readings and status, the thermostat's answers.
  await page.mouse.move(1000, 880);
  await screenshot(page, 'mqtt-sample');
  const texts = (await inlineTexts(page)).filter((t) => /^[✓✗–]/.test(t));
  assert.ok(texts.length >= 3, texts.join(' | '));
  assert.deepEqual(
    texts.filter((t) => !/^✓ passed · \d+ ms$/.test(t)),
    [],
    texts.join(' | '),
  );
  // The picture: the thermostat's blocks with their results (the editor scrolled, the cursor kept).
  for (let i = 0; i < 18; i++) await page.keyboard.press('Control+ArrowDown');
  await saveCrop(page, 'mqtt-file', page.locator('.part.editor'), { maxHeight: 330 });

  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickQuickInputItem(page, 'Get Started with MQTT Scope');
  await page
    .locator('button.getting-started-step[data-step-id$="#mqttFile"][aria-checked="true"]')
    .first()
    .waitFor();
});
