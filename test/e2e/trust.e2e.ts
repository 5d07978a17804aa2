// A folder cloned from anywhere, as a user meets it: its profiles ask before they connect by
// themselves; a connection whose certificate is not verified says so in its row and in a
// notification; and Clear Retained on a topic's row empties the broker's retained messages under
// it, which an independent Paho subscriber confirms.
import * as assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { mosquittoPub } from '../support/mosquittoClients';
import { firstMessageForPaho } from '../support/retainedProbe';
import {
  createWorkspace,
  openActivityContainer,
  openWorkbench,
  pickContextMenuItem,
  screenshot,
  test,
  waitForNotification,
  waitForTreeRow,
  type Workbench,
  webviewFrame,
} from './harness';

let broker: MosquittoBroker;
let wb: Workbench;

before(async () => {
  broker = await startMosquitto({ tls: {} });
  for (const topic of ['plant/a/state', 'plant/b/state'])
    await mosquittoPub({
      port: broker.port,
      topic,
      qos: 1,
      protocol: 5,
      messages: [`kept on ${topic}`],
      retain: true,
      timeoutMs: 10_000,
    });
  const workspace = createWorkspace('trust', {
    'mqttScope.connections': [
      {
        name: 'plant',
        url: `mqtt://127.0.0.1:${broker.port}`,
        autoConnect: true,
        subscriptions: [{ topic: 'plant/#', qos: 1 }],
      },
      {
        name: 'lab',
        url: `mqtts://127.0.0.1:${broker.tlsPort}`,
        tls: { rejectUnauthorized: false },
        autoConnect: true,
      },
    ],
  });
  wb = await openWorkbench({ workspace });
});

after(async () => {
  await wb?.close();
  await broker?.stop();
});

/**
 * The questions asked when the folder opens, answered once for the whole file, by whichever test
 * needs them first: Connect for "plant", Not now for "lab". Returns the rows as they were right
 * after each answer.
 */
let answers: Promise<{ plantAsked: string; labAfterNotNow: string }> | undefined;
function answerQuestions() {
  answers ??= (async () => {
    const { page } = wb;
    await openActivityContainer(page, 'MQTT');
    const ask = await waitForNotification(page, /connect "plant" to .* by itself/, {
      timeout: 30_000,
    });
    const plantAsked = await (await waitForTreeRow(page, /^plant/)).innerText();
    await screenshot(page, 'trust-auto-connect-question');
    await ask.locator('.monaco-button', { hasText: /^Connect$/ }).click();
    await waitForTreeRow(page, /plant\s*connected/);
    const lab = await waitForNotification(page, /connect "lab" to .* by itself/);
    await lab.locator('.monaco-button', { hasText: /^Not now$/ }).click();
    await lab.waitFor({ state: 'hidden' });
    const labAfterNotNow = await (await waitForTreeRow(page, /^lab/)).innerText();
    return { plantAsked, labAfterNotNow };
  })();
  return answers;
}

test("a folder's profiles ask before connecting by themselves; Not now keeps one off", async () => {
  const { plantAsked, labAfterNotNow } = await answerQuestions();
  assert.match(plantAsked, /plant\s*disconnected/, 'plant waited for the answer');
  assert.match(labAfterNotNow, /lab\s*.*disconnected/, 'Not now kept lab off');
});

test('a connection whose certificate is not verified warns in its row and a notification', async () => {
  const { page } = wb;
  await answerQuestions();
  const row = await waitForTreeRow(page, /^lab/);
  await pickContextMenuItem(page, row, 'Connect');
  await waitForTreeRow(page, /lab\s*certificate not verified · connected/);
  await waitForNotification(page, /"lab" connected to .* without verifying its certificate/);
  await screenshot(page, 'trust-unverified');
});

test('Clear Retained Messages on Topic and Below asks with the count, and leaves none', async () => {
  const { page } = wb;
  await answerQuestions();
  // Away from the connection row, whose hover would cover the topic rows.
  await page.mouse.move(700, 600);
  await page.keyboard.press('Escape');
  const topic = await waitForTreeRow(page, /^plant\s*2 msgs/);
  await pickContextMenuItem(page, topic, 'Clear Retained Messages on Topic and Below');
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ state: 'visible' });
  assert.match(await dialog.innerText(), /Clear 2 retained messages on "plant" and below it\?/);
  await screenshot(page, 'trust-clear-retained-confirm');
  await dialog.locator('.monaco-button', { hasText: /^Clear 2 Retained$/ }).click();
  await waitForNotification(page, /cleared 2 retained message\(s\) on "plant"/);
  const first = await firstMessageForPaho(broker.port, 'plant/#', 'plant/marker');
  assert.equal(first.topic, 'plant/marker', `still retained: ${first.topic}`);
  // The Message Log, opened by the first message, shows the two retained messages, the two
  // empty retained messages sent to clear them (outgoing rows) and their echoes, and the marker.
  await webviewFrame(page).getByText('7 messages').waitFor();
  await screenshot(page, 'trust-cleared');
});
