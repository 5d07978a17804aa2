// Passwords as a user meets them: asked for on connect, refused ones forgotten and asked again,
// accepted ones kept in SecretStorage (no prompt next time), never written to settings. Each
// test starts from the state it needs: "secured" disconnected, with or without a saved password.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  brokerAndWorkbench,
  openActivityContainer,
  runCommand,
  screenshot,
  setConnectionState,
  test,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
} from './harness';

const PASSWORD = 'correct horse battery staple';
const env = brokerAndWorkbench(
  'credentials',
  (url) => ({ 'mqttScope.connections': [{ name: 'secured', url, username: 'alice' }] }),
  { passwords: { alice: PASSWORD }, allowAnonymous: false },
);

async function passwordPrompt(): Promise<void> {
  await env.wb.page
    .locator('.quick-input-widget input[type="password"]')
    .waitFor({ state: 'visible' });
}

test('a wrong password is refused with the reason, forgotten, and Retry asks again', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await setConnectionState(page, 'secured', 'disconnected');
  // No saved password, whatever ran before.
  await runCommand(page, 'MQTT: Forget Password');
  await waitForNotification(
    page,
    /the saved password of "alice" on "secured" is forgotten|no password of "alice" on "secured" is saved/,
  );
  await runCommand(page, 'MQTT: Connect');
  await passwordPrompt();
  await typeInQuickInput(page, 'wrong');
  await waitForTreeRow(
    page,
    /secured\s*error: The broker refused the connection: 0x87 Not authorized/,
  );
  // One toast, the reason first, in one line that shows whole; Retry asks again.
  const toast = await waitForNotification(page, /password for alice forgotten/);
  const message = toast.locator('.notification-list-item-message').first();
  assert.equal(
    ((await message.textContent()) ?? '').trim(),
    '0x87 Not authorized: password for alice forgotten.',
  );
  assert.ok(
    await message.evaluate((el) => el.scrollWidth <= el.clientWidth),
    'the toast is cut off',
  );
  await screenshot(page, 'credentials-refused');
  await toast.getByRole('button', { name: 'Retry' }).click();
  await passwordPrompt();
  await typeInQuickInput(page, PASSWORD);
  await waitForTreeRow(page, /secured\s*connected/);
});

test('the accepted password is kept in secret storage, not in settings', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await setConnectionState(page, 'secured', 'disconnected');
  // A password given once (unless one is saved already)…
  await runCommand(page, 'MQTT: Connect');
  const prompt = page.locator('.quick-input-widget input[type="password"]');
  const connected = page.locator('.part.sidebar .monaco-list-row', {
    hasText: /secured\s*connected/,
  });
  await prompt.or(connected).first().waitFor();
  if (await prompt.isVisible()) await typeInQuickInput(page, PASSWORD);
  await connected.waitFor();
  // …is not asked for on the next connect.
  await setConnectionState(page, 'secured', 'disconnected');
  await runCommand(page, 'MQTT: Connect');
  await waitForTreeRow(page, /secured\s*connected/);
  const prompts = await page.locator('.quick-input-widget input[type="password"]').count();
  const visible =
    prompts > 0 && (await page.locator('.quick-input-widget input[type="password"]').isVisible());
  assert.equal(visible, false, 'the password was asked for again');
  const settings = fs.readFileSync(path.join(env.workspace, '.vscode', 'settings.json'), 'utf8');
  assert.ok(!settings.includes(PASSWORD), 'the password reached settings.json');
  await screenshot(page, 'credentials-connected');
});
