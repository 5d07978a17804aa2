// The packet trace in the real VS Code UI: a connection whose profile traces its packets says so
// in its row; the user publishes at QoS 2 from the palette, opens "MQTT: Show Packet Trace" and
// sees the PUBLISH → PUBREC → PUBREL → PUBCOMP rows; from the PUBLISH, "Show in Message Log"
// selects its message in the log, and the log's "Show in Packet Trace" leads back.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import {
  brokerAndWorkbench,
  openActivityContainer,
  runCommand,
  screenshot,
  waitForTreeRow,
  answerPublishSteps,
} from './harness';
import { clearLogFilters, messageLogFrame, pollUntil } from './waits';

const env = brokerAndWorkbench('packet-trace', (url) => ({
  'mqttScope.connections': [
    {
      name: 'plant',
      url,
      protocolVersion: 5,
      autoConnect: true,
      packetTrace: true,
      subscriptions: [{ topic: 'plant/#', qos: 2 }],
    },
  ],
}));

/** The Packet Trace webview: the one whose page has the trace's grid. */
function traceFrame(page: Page): Promise<FrameLocator> {
  return pollUntil('the Packet Trace to show', async () => {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < count; i++) {
      const frame = page
        .frameLocator('iframe.webview.ready')
        .nth(i)
        .frameLocator('iframe#active-frame');
      if ((await frame.locator('.packet-trace [role="grid"]').count()) > 0) return frame;
    }
    return undefined;
  });
}

test('a traced QoS 2 publish shows its packets, linked to the log and back', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /plant\s*connected · tracing packets/, { timeout: 30_000 });
  await runCommand(page, 'MQTT: Open Message Log');
  const { frame: log } = await messageLogFrame(page, 'panel');
  await clearLogFilters(log);

  await runCommand(page, 'MQTT: Publish');
  await answerPublishSteps(page, { topic: 'plant/valve', payload: 'open', qos: 2 });
  await log.locator('.grid-row', { hasText: 'plant/valve' }).nth(1).waitFor({ timeout: 15_000 });

  await runCommand(page, 'MQTT: Show Packet Trace');
  const trace = await traceFrame(page);
  await trace.locator('.grid-row[data-packet="PUBCOMP"][data-dir="sent"]').waitFor();
  const rows = (packet: string, dir: string) =>
    trace.locator(`.grid-row[data-packet="${packet}"][data-dir="${dir}"]`).count();
  // Our publish, and its delivery back to us: each exchange in full, in both directions.
  for (const [packet, dirs] of [
    ['PUBLISH', ['sent', 'received']],
    ['PUBREC', ['received', 'sent']],
    ['PUBREL', ['sent', 'received']],
    ['PUBCOMP', ['received', 'sent']],
  ] as const)
    for (const dir of dirs) assert.equal(await rows(packet, dir), 1, `${dir} ${packet}`);
  const rtt = await trace.locator('.grid-row[data-packet="PUBREC"] .col-rtt').first().textContent();
  assert.match(rtt ?? '', /^\d+\.\d{3} ms$/, 'the PUBREC carries its round trip');
  const time = await trace.locator('.grid-row .col-time').first().textContent();
  assert.match(time ?? '', /^\d\d:\d\d:\d\d\.\d{6}$/, 'times to the microsecond');
  await screenshot(page, 'packet-trace-qos2');

  // The first packet: the CONNECT, with its fields (no user name here, so no password either).
  await trace.locator('.grid-row[data-packet="PUBCOMP"][data-dir="sent"]').click();
  await page.keyboard.press('Home');
  await trace.locator('.grid-row.selected[data-packet="CONNECT"]').waitFor();
  await trace.locator('.detail-fields dt', { hasText: 'clientId' }).waitFor();
  const fields = (await trace.locator('.detail-fields').textContent()) ?? '';
  assert.match(fields, /keepalive/);
  assert.doesNotMatch(fields, /password/);
  await screenshot(page, 'packet-trace-connect');

  const publish = trace.locator('.grid-row[data-packet="PUBLISH"][data-dir="sent"]');
  await publish.click();
  await trace.locator('.detail-fields dt', { hasText: 'topic' }).waitFor();
  assert.match((await trace.locator('.detail-fields').textContent()) ?? '', /plant\/valve/);
  await trace.getByRole('button', { name: 'Show in Message Log' }).click();
  const selected = log.locator('.grid-row.selected', { hasText: 'plant/valve' });
  await selected.waitFor();
  await screenshot(page, 'packet-trace-to-log');

  await log.getByRole('button', { name: 'Show in Packet Trace' }).click();
  const back = trace.locator('.grid-row.selected[data-packet="PUBLISH"][data-dir="sent"]');
  await back.waitFor();
  await screenshot(page, 'packet-trace-back-from-log');
});
