// A connection that is down as a user meets it: the Connections view says it is reconnecting
// and why, a palette publish asks "queue it or cancel", the queued count shows on the row, and
// Drop Queued Publishes empties it.
import { test } from 'node:test';
import {
  brokerAndWorkbench,
  openActivityContainer,
  runCommand,
  screenshot,
  waitForNotification,
  waitForTreeRow,
  answerPublishSteps,
} from './harness';

// The broker runs, but the profile points at a port nobody listens on: it keeps retrying.
const env = brokerAndWorkbench('reliability', () => ({
  'mqttScope.connections': [{ name: 'offline', url: 'mqtt://127.0.0.1:1', autoConnect: true }],
}));

test('a palette publish while reconnecting asks to queue it; the row counts it; Drop Queued empties it', async () => {
  const { page } = env.wb;
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /offline\s*reconnecting \(attempt \d+, .*Connection refused/);

  await runCommand(page, 'MQTT: Publish');
  const ask = await waitForNotification(page, /"offline" is reconnecting\. Queue the publish/);
  await screenshot(page, 'reliability-queue-it');
  await ask.getByRole('button', { name: 'Queue It' }).click();
  await answerPublishSteps(page, { topic: 'e2e/queued', payload: 'waits for the broker', qos: 1 });
  await waitForTreeRow(page, /offline\s*1 queued · reconnecting/);
  await screenshot(page, 'reliability-queued');

  await runCommand(page, 'MQTT: Drop Queued Publishes');
  await waitForNotification(page, /dropped 1 queued publish\(es\) of "offline"/);
  await waitForNotification(page, /The publish queued on "offline" was dropped/);
  await waitForTreeRow(page, /offline\s*reconnecting \(attempt \d+, /);
});
