// Live topics as a user meets them: a Python file names a topic a device publishes on; resting
// the mouse on that string shows the last payload, its rate and the actions, and Show in Log
// opens the Message Log on it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { mosquittoPub } from '../support/mosquittoClients';
import { plantWorkbench, quickInputRow, screenshot, waitForTreeRow } from './harness';
import { messageLogFrame, pollUntil } from './waits';

const TOPIC = 'plant/boiler/temperature';
const SOURCE = [
  'import paho.mqtt.client as mqtt',
  '',
  'def on_connect(client, userdata, flags, rc):',
  `    client.subscribe("${TOPIC}", qos=1)`,
  '',
].join('\n');

const env = plantWorkbench('live-topics');

test('hovering a topic string in a .py file shows its last payload, rate and actions', async () => {
  const { page } = env.wb;
  fs.writeFileSync(path.join(env.workspace, 'boiler.py'), SOURCE);
  const pub = await mosquittoPub({
    port: env.broker.port,
    topic: TOPIC,
    qos: 1,
    protocol: 5,
    messages: ['{"celsius":70.5}', '{"celsius":71}', '{"celsius":71.5,"burner":"on"}'],
    timeoutMs: 10_000,
  });
  assert.equal(pub.code, 0, pub.stderr);
  await waitForTreeRow(page, /temperature\s*3 msgs/);

  // Open the file as a user does: Quick Open, its name, Enter.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill('boiler.py');
  await quickInputRow(page, 'boiler.py').first().click();
  const literal = page.locator('.monaco-editor .view-line span', { hasText: TOPIC }).last();
  await literal.waitFor();

  const hover = page.locator('.monaco-hover', { hasText: 'MQTT topic' });
  await pollUntil('the hover', async () => {
    const box = await literal.boundingBox();
    if (!box) return undefined;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    return hover.waitFor({ state: 'visible', timeout: 1_500 }).then(
      () => true,
      () => undefined,
    );
  });
  await hover.getByText('Show in Log').waitFor();
  const text = (await hover.innerText()).replace(/\s+/g, ' ');
  assert.match(text, /MQTT topic plant\/boiler\/temperature/);
  assert.match(text, /On "plant": 3 msgs/);
  assert.match(text, /\{"celsius":71\.5,"burner":"on"\}/);
  for (const action of ['Subscribe', 'Publish to This Topic', 'Show in Log'])
    assert.ok(text.includes(action), `${action} in ${text}`);
  await screenshot(page, 'live-topic-hover');

  await hover.getByText('Show in Log').click();
  const { frame: log } = await messageLogFrame(page, 'panel');
  const rows = log.locator('.grid-row', { hasText: TOPIC });
  await rows.first().waitFor({ timeout: 15_000 });
  assert.equal(await rows.count(), 3);
});
