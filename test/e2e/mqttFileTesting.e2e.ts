// The Testing view runs a `.mqtt` file's tests in the real VS Code UI: with the file open, the
// user runs all tests, then sees in the Testing view one test passed and one failed, and the
// failure message with expected and received payloads at the failing block. Its own broker,
// workspace and workbench: "plant" connects by itself to a Mosquitto started for this file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  brokerAndWorkbench,
  openActivityContainer,
  quickInputRow,
  runCommand,
  screenshot,
  test,
  treeRowTexts,
  typeInQuickInput,
  waitForTreeRow,
} from './harness';
import { pollUntil } from './waits';

const FILE = 'checks.mqtt';
const TEXT = [
  '# Checks the lab topic',
  '@topic = plant/lab/mqtt_test',
  '',
  '### arrives',
  'EXPECT {{topic}} WITHIN 5s',
  'payload: hello',
  '',
  '### wrong payload',
  'EXPECT {{topic}} WITHIN 2s',
  'payload: goodbye',
  '',
  '### publish',
  'PUBLISH {{topic}}',
  'qos: 1',
  '',
  'hello',
  '',
].join('\n');

const env = brokerAndWorkbench(
  'mqtt-file-testing',
  (url) => ({
    // The editor keeps the file in front (the log would open over it on the first message), and
    // VS Code opens the failure's peek at its block as soon as a test fails.
    'mqttScope.messageLog.openOnFirstMessage': false,
    'testing.automaticallyOpenPeekView': 'failureAnywhere',
    'mqttScope.connections': [
      {
        name: 'plant',
        url,
        protocolVersion: 5,
        autoConnect: true,
        subscriptions: [{ topic: 'plant/#', qos: 1 }],
      },
    ],
  }),
  {},
  async ({ wb, workspace }) => {
    fs.writeFileSync(path.join(workspace, FILE), TEXT);
    await openActivityContainer(wb.page, 'MQTT');
    await waitForTreeRow(wb.page, /plant\s*connected/, { timeout: 30_000 });
  },
);

test('Run All Tests on a .mqtt file: one passes, one fails with its message at the block', async () => {
  const { page } = env.wb;
  // Open the file, so VS Code shows the failure at its block.
  await page.keyboard.press('Control+P');
  await typeInQuickInput(page, FILE, { submit: false });
  await quickInputRow(page, FILE).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();

  // The extension is up and has read the file once its CodeLens shows.
  const runFileLens = page.locator('.monaco-editor .codelens-decoration', { hasText: 'Run File' });
  await runFileLens.first().waitFor({ timeout: 30_000 });
  await openActivityContainer(page, 'Testing');
  // The run reveals the failed test; open the file's node so both tests show.
  const row = (text: string) =>
    page.locator('.part.sidebar .monaco-list-row:visible', { hasText: text }).first();
  await row(FILE).waitFor({ timeout: 30_000 });
  await runCommand(page, 'Test: Run All Tests');
  if ((await row(FILE).getAttribute('aria-expanded')) === 'false') await row(FILE).click();
  await row('wrong payload').waitFor({ timeout: 30_000 });
  const rows = await pollUntil(
    'both tests with a result',
    async () => {
      const states = await page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) =>
        els.map((el) => ({
          text: (el as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
          icon: el.querySelector('.computed-state')?.className ?? '',
        })),
      );
      const passed = states.find((s) => s.text.includes('arrives'));
      const failed = states.find((s) => s.text.includes('wrong payload'));
      return passed?.icon.includes('passed') && failed?.icon.includes('failed')
        ? states
        : undefined;
    },
    { timeout: 30_000 },
  );
  assert.ok(rows.length >= 2, (await treeRowTexts(page)).join(' | '));
  // The failure is shown at the block: VS Code's peek under the request line, with the message.
  const peek = page.locator('.monaco-editor .peekview-widget').first();
  await peek.waitFor({ timeout: 20_000 });
  await pollUntil('the failure message and both payloads in the peek', async () => {
    const text = await peek.innerText();
    return /matching message/.test(text) && /goodbye/.test(text) && /hello/.test(text);
  });
  // The run has ended (its teardown too) when the CodeLens reads Run File again.
  await runFileLens.first().waitFor({ timeout: 20_000 });
  await page.mouse.move(700, 800); // no stale tooltip in the picture
  await screenshot(page, 'mqtt-file-testing');
});
