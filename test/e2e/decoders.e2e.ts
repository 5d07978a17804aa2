// Binary payloads in the real VS Code UI: the real Paho (Python) client publishes one reading as
// CBOR and as MessagePack (with their MQTT 5 content types) and as base64 (a decoder rule from
// the folder's settings); the Message Log's rows read as the decoded values, not hex, and Open
// in Editor shows the CBOR payload as JSON-like text.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { PYTHON, findScript } from '../support/paho';
import {
  brokerAndWorkbench,
  openActivityContainer,
  openPlantMessageLog,
  screenshot,
  test,
  waitForTreeRow,
} from './harness';

const env = brokerAndWorkbench(
  'decoders',
  (url) => ({
    'mqttScope.connections': [
      { name: 'plant', url, autoConnect: true, subscriptions: [{ topic: 'plant/#', qos: 1 }] },
    ],
    'mqttScope.decoders': [{ topic: 'plant/+/base64', decoder: 'base64' }],
  }),
  {},
  async ({ wb }) => {
    await openActivityContainer(wb.page, 'MQTT');
    await waitForTreeRow(wb.page, /plant\s*connected/, { timeout: 30_000 });
  },
);

function publishFormats(port: number, prefix: string): Promise<void> {
  const options = JSON.stringify({ port, prefix, timeout: 10 });
  return new Promise((resolve, reject) =>
    execFile(PYTHON, [findScript('paho_decoders_publisher.py'), options], (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(),
    ),
  );
}

test('CBOR, MessagePack and base64 rows read as their decoded values', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  await publishFormats(env.broker.port, 'plant/press-2');

  const row = (format: string) => log.locator('.grid-row', { hasText: `plant/press-2/${format}` });
  for (const format of ['cbor', 'msgpack']) {
    await row(format).waitFor({ timeout: 10_000 });
    assert.match(
      (await row(format).textContent()) ?? '',
      /\{"device": "pump-7", "temperature": 21\.5, "counter": -9223372036854775808, "serial": 18446744073709551615/,
      format,
    );
  }
  await row('base64').waitFor();
  assert.match((await row('base64').textContent()) ?? '', /h'0a0670756d702d37/);
  await screenshot(page, 'decoders-log-rows');

  await row('cbor').click();
  await log.getByRole('button', { name: 'Open in Editor' }).click();
  await page.locator('.tabs-container .tab', { hasText: 'cbor' }).waitFor({ timeout: 10_000 });
  await page
    .locator('.monaco-editor .view-lines', { hasText: '"serial": 18446744073709551615' })
    .first()
    .waitFor();
  await screenshot(page, 'decoders-open-in-editor');
});
