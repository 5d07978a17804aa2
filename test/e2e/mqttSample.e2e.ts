// The walkthrough's last step as a new user meets it: with the local broker and the demo devices
// running, "Open the Sample" copies demo-devices.mqtt into the folder and opens it, Run File on
// its CodeLens runs it against the demo, every block of the sample passes with its result after
// its request line (read screen by screen), and the step ticks itself (a file ran). The crop is the step's picture (test-artifacts/walkthrough-media/
// mqtt-file.png → media/walkthrough/mqtt-file.png); the screenshot is
// test-artifacts/mqtt-sample.png.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
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

/**
 * The inline results by line number (1-based) of the lines in view: a line's number is the
 * margin row at the same height as the line.
 */
async function resultsInView(page: Page): Promise<[number, string][]> {
  return page
    .locator('.part.editor .monaco-editor')
    .first()
    .evaluate((editor) => {
      const numbers = new Map<string, number>();
      for (const row of Array.from(editor.querySelectorAll('.margin-view-overlays > div'))) {
        const n = Number((row.querySelector('.line-numbers')?.textContent ?? '').trim());
        if (n > 0) numbers.set((row as HTMLElement).style.top, n);
      }
      const found: [number, string][] = [];
      for (const line of Array.from(editor.querySelectorAll('.view-lines > .view-line'))) {
        const n = numbers.get((line as HTMLElement).style.top);
        const after = Array.from(line.querySelectorAll('span'))
          .map((span) => getComputedStyle(span, '::after').content)
          .filter((c) => c && c !== 'none' && c !== 'normal')
          .map((c) => c.replace(/^"|"$/g, ''));
        if (n !== undefined && after.length > 0) found.push([n, after.join(' ')]);
      }
      return found;
    });
}

/** Every inline result of the file: from the top, a page at a time to the last line. */
async function allResults(page: Page, lineCount: number): Promise<Map<number, string>> {
  const all = new Map<number, string>();
  await page.keyboard.press('Control+Home');
  for (let pageDown = 0; pageDown < 20; pageDown++) {
    for (const [line, text] of await resultsInView(page)) all.set(line, text);
    const last = await page
      .locator('.part.editor .monaco-editor .line-numbers')
      .evaluateAll((nodes) => Math.max(...nodes.map((n) => Number(n.textContent?.trim()) || 0)));
    if (last >= lineCount) break;
    await page.keyboard.press('PageDown');
    await pollUntil('the next page drawn', async () => {
      const now = await page
        .locator('.part.editor .monaco-editor .line-numbers')
        .evaluateAll((nodes) => Math.max(...nodes.map((n) => Number(n.textContent?.trim()) || 0)));
      return now > last;
    });
  }
  await page.keyboard.press('Control+Home');
  return all;
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
  // VS Code redraws CodeLens a little after they change: right after the click the old Run File
  // is still drawn. So the run has ended once Running… was drawn and is gone again.
  const running = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Running' });
  await running.first().waitFor({ timeout: 30_000 });
  await pollUntil(
    'the run to end',
    async () => (await running.count()) === 0 && (await runFile.count()) > 0,
    { timeout: 60_000 },
  );
  await page
    .locator('.monaco-editor .margin')
    .first()
    .click({ position: { x: 10, y: 10 } });
  // The whole sample, read at once: every block passed, its result after its request line.
  const text = fs.readFileSync(path.join(env.wb.workspace, 'demo-devices.mqtt'), 'utf8');
  const { blocks } = parseMqttFile(text);
  const results = await allResults(page, text.split('\n').length);
  const shown = blocks.map(
    (b) => `${b.requestRange.line + 1}: ${results.get(b.requestRange.line + 1) ?? '(none)'}`,
  );
  assert.equal(blocks.length, 14, shown.join('\n'));
  assert.deepEqual(
    shown.filter((t) => !/^\d+: ✓ (passed|published|done|connected)/.test(t)),
    [],
    shown.join('\n'),
  );
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
