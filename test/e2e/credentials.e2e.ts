// Passwords as a user meets them: asked for on connect, refused ones forgotten and asked again,
// accepted ones kept in SecretStorage (no prompt next time), never written to settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  runCommand,
  screenshot,
  typeInQuickInput,
  waitForTreeRow,
  type Workbench,
} from './harness';

const PASSWORD = 'correct horse battery staple';
let broker: MosquittoBroker;
let wb: Workbench;
let workspace: string;

before(async () => {
  broker = await startMosquitto({ passwords: { alice: PASSWORD }, allowAnonymous: false });
  workspace = createWorkspace('credentials', {
    'mqttScope.connections': [
      { name: 'secured', url: `mqtt://127.0.0.1:${broker.port}`, username: 'alice' },
    ],
  });
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
  await broker?.stop();
});

async function passwordPrompt(): Promise<void> {
  await wb.page.locator('.quick-input-widget input[type="password"]').waitFor({ state: 'visible' });
}

test('a wrong password is refused with the reason and asked again', async () => {
  const { page } = wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /secured\s*disconnected/);
  await runCommand(page, 'MQTT: Connect');
  await passwordPrompt();
  await typeInQuickInput(page, 'wrong');
  await waitForTreeRow(
    page,
    /secured\s*error: The broker refused the connection: 0x87 Not authorized/,
  );
  await screenshot(page, 'credentials-refused');
  await runCommand(page, 'MQTT: Connect');
  await passwordPrompt();
  await typeInQuickInput(page, PASSWORD);
  await waitForTreeRow(page, /secured\s*connected/);
});

test('the accepted password is kept in secret storage, not in settings', async () => {
  const { page } = wb;
  await runCommand(page, 'MQTT: Disconnect');
  await waitForTreeRow(page, /secured\s*disconnected/);
  await runCommand(page, 'MQTT: Connect');
  await waitForTreeRow(page, /secured\s*connected/);
  const prompts = await page.locator('.quick-input-widget input[type="password"]').count();
  const visible =
    prompts > 0 && (await page.locator('.quick-input-widget input[type="password"]').isVisible());
  assert.equal(visible, false, 'the password was asked for again');
  const settings = fs.readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8');
  assert.ok(!settings.includes(PASSWORD), 'the password reached settings.json');
  await screenshot(page, 'credentials-connected');
});
