/**
 * MQTT 5 publish properties checked by an independent implementation: a real Eclipse Paho
 * (Python) v5 subscriber, through Mosquitto, receives what an MqttSession publishes with every
 * property (content type, payload format, message expiry, response topic, correlation data,
 * a repeated user property key, a topic alias), and its own subscription identifier.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { newSession, uniqueId } from '../support/sessions';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SCRIPT = path.join(__dirname, '../support/paho_v5_properties.py');

interface PahoEvent {
  event: 'ready' | 'message' | 'error';
  topic?: string;
  payload_hex?: string;
  properties?: Record<string, unknown>;
  message?: string;
}

/** Runs the Paho subscriber; `ready` once subscribed, `done` with its messages once it exits. */
function pahoV5Subscriber(options: Record<string, unknown>) {
  const child = spawn(PYTHON, [SCRIPT, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: PahoEvent[] = [];
  let stderr = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let buffered = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.on('data', (c: Buffer) => {
    buffered += c.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      const e = JSON.parse(line) as PahoEvent;
      events.push(e);
      if (e.event === 'ready') markReady();
    }
  });
  const done = new Promise<PahoEvent[]>((resolve, reject) =>
    child.once('close', (code) =>
      code === 0
        ? resolve(events.filter((e) => e.event === 'message'))
        : reject(new Error(`Paho exited ${code}: ${JSON.stringify(events)} ${stderr}`)),
    ),
  );
  done.catch(() => undefined);
  return { ready: Promise.race([ready, done.then(() => undefined)]), done };
}

let broker: MosquittoBroker;
before(async () => {
  broker = await startMosquitto();
});
after(() => broker?.stop());

it(
  'a Paho v5 subscriber receives every property the session publishes',
  { timeout: 20_000 },
  async (t) => {
    const topic = `interop/props/${uniqueId('t')}`;
    const paho = pahoV5Subscriber({
      port: broker.port,
      topic,
      qos: 1,
      count: 1,
      timeout: 15,
      subscription_identifier: 12,
    });
    await paho.ready;
    const session = newSession(t, { host: '127.0.0.1', port: broker.port, protocolVersion: 5 });
    await session.connect();
    await session.publish({
      topic,
      payload: 'héllo',
      qos: 1,
      retain: false,
      properties: {
        contentType: 'text/plain; charset=utf-8',
        payloadFormatIndicator: true,
        messageExpiryInterval: 90,
        responseTopic: `${topic}/reply`,
        correlationData: Buffer.from('req-42'),
        userProperties: { tag: ['one', 'two'], site: 'north' },
        topicAlias: 2,
      },
    });
    const [message] = await paho.done;
    assert.equal(message.topic, topic);
    assert.equal(Buffer.from(message.payload_hex ?? '', 'hex').toString(), 'héllo');
    const p = message.properties ?? {};
    assert.equal(p.ContentType, 'text/plain; charset=utf-8');
    assert.equal(p.PayloadFormatIndicator, 1);
    assert.ok(Number(p.MessageExpiryInterval) <= 90 && Number(p.MessageExpiryInterval) >= 85);
    assert.equal(p.ResponseTopic, `${topic}/reply`);
    assert.equal(p.CorrelationData, Buffer.from('req-42').toString('hex'));
    assert.deepEqual(p.UserProperty, [
      ['tag', 'one'],
      ['tag', 'two'],
      ['site', 'north'],
    ]);
    assert.deepEqual(p.SubscriptionIdentifier, [12]);
    assert.equal(
      p.TopicAlias,
      undefined,
      'an alias belongs to one link: Mosquitto does not forward it',
    );
  },
);
