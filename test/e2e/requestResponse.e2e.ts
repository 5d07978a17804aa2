// Request/response in the real VS Code UI: the user runs MQTT: Send Request from the palette
// against a real Paho Python responder (MQTT 5), sees the paired reply and its latency in a
// notification, clicks Show in Log, and follows the link from the request row's detail to the
// reply row and back. Its own broker, responder and workbench: no other file's rows needed.
import * as assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  brokerAndWorkbench,
  openActivityContainer,
  openPlantMessageLog,
  runCommand,
  screenshot,
  typeInQuickInput,
  waitForNotification,
  waitForTreeRow,
} from './harness';
import { startPahoResponder, type PahoResponder } from '../support/pahoResponder';

const REQUEST_TOPIC = 'plant/svc/echo';
let responder: PahoResponder | undefined;

const env = brokerAndWorkbench(
  'request-response',
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
  {},
  async ({ broker, wb }) => {
    responder = startPahoResponder({
      port: broker.port,
      topic: REQUEST_TOPIC,
      qos: 1,
      timeoutMs: 120_000,
    });
    await responder.ready;
    await openActivityContainer(wb.page, 'MQTT');
    await waitForTreeRow(wb.page, /plant\s*connected/, { timeout: 30_000 });
  },
);
after(() => responder?.stop());

test('Send Request shows the paired reply, and the log links request and reply', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  const step = (n: number) =>
    page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/3)` }).waitFor();
  await runCommand(page, 'MQTT: Send Request');
  await step(1);
  await typeInQuickInput(page, REQUEST_TOPIC);
  await step(2);
  await typeInQuickInput(page, 'ping');
  await step(3);
  await typeInQuickInput(page, '5');

  const toast = await waitForNotification(
    page,
    /reply to "plant\/svc\/echo" after \d+ ms: reply:ping/,
  );
  await screenshot(page, 'request-response-notification');
  await toast.locator('.monaco-button', { hasText: /^Show in Log$/ }).click();

  const requestLine = log.locator('.detail-request.request-request');
  await requestLine.waitFor({ timeout: 15_000 });
  assert.match((await requestLine.textContent()) ?? '', /^Request — reply #\d+ after \d+ ms$/);
  const selected = log.locator('.grid-row[aria-selected="true"]');
  assert.match((await selected.textContent()) ?? '', /plant\/svc\/echo/);
  await screenshot(page, 'request-response-request-row');

  await requestLine.locator('.request-link').click();
  const replyLine = log.locator('.detail-request.request-reply');
  await replyLine.waitFor({ timeout: 15_000 });
  assert.match((await replyLine.textContent()) ?? '', /^Reply to request #\d+$/);
  await log.locator('.grid-row[aria-selected="true"]', { hasText: '/responses/' }).waitFor();
  await screenshot(page, 'request-response-reply-row');

  await replyLine.locator('.request-link').click();
  await requestLine.waitFor({ timeout: 15_000 });
  await log.locator('.grid-row[aria-selected="true"]', { hasText: REQUEST_TOPIC }).waitFor();
});
