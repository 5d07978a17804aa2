// The walkthrough's last step as a new user meets it: with the local broker and the demo devices
// running, "Open the Sample" copies demo-devices.mqtt into the folder and opens it, Run File on
// its CodeLens runs it against the demo, each block shows its result after its request line, and
// the step ticks itself. The crop is the step's picture (test-artifacts/walkthrough-media/
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

test('"Open the Sample" in the walkthrough opens demo-devices.mqtt, which passes against the demo', async () => {
  const { page } = env.wb;
  await runCommand(page, 'MQTT: Start Demo Devices');
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /Local broker\s*connected/);
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
  const texts = await pollUntil(
    'a result after every block',
    async () => {
      const found = (await inlineTexts(page)).filter((t) => /^[✓✗–]/.test(t));
      return found.length >= 14 ? found : undefined;
    },
    { timeout: 60_000 },
  );
  assert.deepEqual(
    texts.filter((t) => !t.startsWith('✓')),
    [],
    texts.join(' | '),
  );
  await page.keyboard.press('Control+Home');
  await page.mouse.move(1000, 880);
  await screenshot(page, 'mqtt-sample');
  await saveCrop(page, 'mqtt-file', page.locator('.part.editor'), { maxHeight: 420 });

  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pickQuickInputItem(page, 'Get Started with MQTT Scope');
  await page
    .locator('button.getting-started-step[data-step-id$="#mqttFile"][aria-checked="true"]')
    .first()
    .waitFor();
});
