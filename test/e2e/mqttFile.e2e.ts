// A `.mqtt` file run from the editor as a person does it: open the file, click **Run File** on
// the CodeLens, and read the results after each block's request line (a passing EXPECT, a
// failing one, a publish). Its own Mosquitto and workbench; the screenshot is
// test-artifacts/mqtt-file-results.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { brokerAndWorkbench, screenshot, test } from './harness';
import { pollUntil } from './waits';

const FILE = `# Checked from the editor.
@topic = e2e/lab/mqtt_test

### QoS 1 arrives
EXPECT {{topic}} WITHIN 5s
qos: 1

hello at QoS 1

### a message on the other topic
EXPECT {{topic}}/other WITHIN 500ms

### publish it
PUBLISH {{topic}}
qos: 1

hello at QoS 1
`;

const env = brokerAndWorkbench(
  'mqtt-file',
  (url) => ({
    'mqttScope.connections': [{ name: 'lab', url, protocolVersion: 5, autoConnect: true }],
    // The log would open over the editor on the first message: the results are the subject here.
    'mqttScope.messageLog.openOnFirstMessage': false,
  }),
  {},
  async ({ workspace }) => {
    fs.writeFileSync(path.join(workspace, 'lab.mqtt'), FILE);
  },
);

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

test('Run File on the CodeLens shows each block result after its line', async () => {
  const { page } = env.wb;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const box = page.locator('.quick-input-widget .quick-input-box input');
  await box.waitFor({ state: 'visible' });
  await box.fill('lab.mqtt');
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: 'lab.mqtt' })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  const runFile = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run File' });
  await runFile.waitFor({ timeout: 30_000 });
  await runFile.click();
  const texts = await pollUntil(
    'three results after the lines',
    async () => {
      const found = await inlineTexts(page);
      return found.filter((t) => /^[✓✗–]/.test(t)).length >= 3 ? found : undefined;
    },
    { timeout: 30_000 },
  ).catch(async (error: unknown) => {
    await screenshot(page, 'mqtt-file-results-missing');
    throw new Error(`${String(error)}; drawn: ${(await inlineTexts(page)).join(' | ')}`);
  });
  assert.ok(
    texts.some((t) => /^✓ passed · \d+ ms$/.test(t)),
    texts.join(' | '),
  );
  assert.ok(
    texts.some((t) => /^✗ failed: /.test(t)),
    texts.join(' | '),
  );
  assert.ok(
    texts.some((t) => /^✓ published · QoS 1 · \d+ ms$/.test(t)),
    texts.join(' | '),
  );
  await page
    .locator('.monaco-editor .codelens-decoration', { hasText: 'Running' })
    .waitFor({ state: 'detached', timeout: 10_000 });
  await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run File' }).waitFor();
  await screenshot(page, 'mqtt-file-results');

  // The failed block's hover: the reason, and expected vs received.
  await page.locator('.view-line', { hasText: 'EXPECT {{topic}}/other' }).hover();
  const hover = page.locator('.monaco-hover', { hasText: 'failed' });
  await hover.waitFor({ timeout: 10_000 });
  assert.match((await hover.textContent()) ?? '', /Expected at least 1/);
  await screenshot(page, 'mqtt-file-failure-hover');
});
