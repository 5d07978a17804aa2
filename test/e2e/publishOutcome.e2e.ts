// A publish the broker refuses is a red row in the Message Log: the user publishes from the
// palette on a topic Mosquitto's ACL denies (MQTT 5: PUBACK 0x87 Not authorized), the row turns
// red and its detail gives the reason. Its own broker and workbench: no other file's rows needed.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  brokerAndWorkbench,
  openPlantMessageLog,
  pickQuickInputItem,
  runCommand,
  screenshot,
  typeInQuickInput,
} from './harness';

const env = brokerAndWorkbench(
  'publish-outcome',
  (url) => ({
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
  { acl: 'topic readwrite plant/#\n' },
);

test('a publish the ACL denies is a red row whose detail says why', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  // Each step is a new quick input: wait for its title, or typing could land in the last one.
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/4)` }).waitFor();
  await runCommand(page, 'MQTT: Publish');
  await step(1);
  await typeInQuickInput(page, 'locked/door');
  await step(2);
  await typeInQuickInput(page, 'open');
  await step(3);
  await pickQuickInputItem(page, '1');
  await step(4);
  await pickQuickInputItem(page, 'Not retained');
  await pickQuickInputItem(page, 'Publish'); // MQTT 5: publish without properties

  const row = log.locator('.grid-row[data-outcome="refused"]', { hasText: 'locked/door' });
  await row.waitFor({ timeout: 15_000 });
  const colour = await row.locator('.col-topic').evaluate((n) => getComputedStyle(n).color);
  const plain = await log.locator('.grid-header').evaluate((n) => getComputedStyle(n).color);
  assert.notEqual(colour, plain, 'the refused row is coloured');
  await screenshot(page, 'message-log-refused-row');
  await row.click();
  const outcome = log.locator('.detail-outcome');
  await outcome.waitFor();
  assert.match((await outcome.textContent()) ?? '', /refused by the broker/);
  assert.match((await outcome.textContent()) ?? '', /0x87 Not authorized/);
  assert.doesNotMatch((await outcome.textContent()) ?? '', /Queued/, 'sent at once, not queued');
  await screenshot(page, 'message-log-refused-publish');
});
