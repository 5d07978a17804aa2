// What a screen reader hears in the MQTT sidebar and the status bar while the local broker and
// the demo devices run: real labels with the state, not icon names.
import * as assert from 'node:assert/strict';
import {
  localBrokerWorkbench,
  openActivityContainer,
  runCommand,
  test,
  waitForTreeRow,
} from './harness';

const env = localBrokerWorkbench('accessibility', {
  'mqttScope.messageLog.openOnFirstMessage': false,
});

test('a screen reader hears labels with the state, not icon names', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await runCommand(page, 'MQTT: Start Demo Devices');
  await waitForTreeRow(page, /Embedded broker\s*127\.0\.0\.1:\d+ · \d+ clients? · demo devices on/);
  // The first test of a run meets a cold host: the demo's first readings may take a while.
  await waitForTreeRow(page, /^\s*sensor-1\s*\d+ msgs?/, { timeout: 30_000 });
  const status = page.locator('.part.statusbar [aria-label^="MQTT connection"]').first();
  await status.waitFor();
  assert.equal(await status.getAttribute('aria-label'), 'MQTT connection Local broker: connected');
  const all = await page
    .locator('.part.statusbar .statusbar-item a[aria-label]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(!all.some((l) => /^broadcast\b/.test(l)), `an icon name is read: ${all.join(' | ')}`);

  const labels = await page
    .locator('.part.sidebar .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  assert.ok(labels.includes('MQTT connection Local broker: connected'), labels.join(' | '));
  assert.ok(
    labels.some((l) => /^Embedded broker: running, 127\.0\.0\.1:\d+, \d+ clients?, demo/.test(l)),
    labels.join(' | '),
  );
  assert.ok(
    labels.some((l) => /^Topic sensor-1: [\d,]+ messages?/.test(l)),
    labels.join(' | '),
  );
  // Every inline action (icon button) on a row has a name.
  const row = await waitForTreeRow(page, /Local broker\s*connected/);
  await row.hover();
  const actions = await page
    .locator('.part.sidebar .monaco-list-row .actions .action-label')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  assert.ok(actions.length > 0, 'no inline actions found');
  for (const label of actions) assert.ok(label.trim().length > 0, 'an icon button has no label');
});
