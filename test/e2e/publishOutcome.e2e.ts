// A publish the broker refuses is a red row in the Message Log: the user publishes from the
// palette on a topic Mosquitto's ACL denies (MQTT 5: PUBACK 0x87 Not authorized), the row turns
// red and its detail gives the reason. Its own broker and workbench: no other file's rows needed.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  brokerAndWorkbench,
  openPlantMessageLog,
  runCommand,
  screenshot,
  answerPublishSteps,
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
  await runCommand(page, 'MQTT: Publish');
  await answerPublishSteps(page, { topic: 'locked/door', payload: 'open', qos: 1 });

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
