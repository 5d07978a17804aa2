/**
 * What a broker sends a client whose subscriptions overlap (a `#` and a narrower filter both
 * match one publish): Mosquitto 2.0 and the embedded aedes 2.0.0-beta.1, over MQTT 5 and 3.1.1,
 * with and without subscription identifiers. A `.mqtt` run over a user's connection counts on it.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { bothBrokers } from '../support/bothBrokers';
import { uniqueId, within } from '../support/sessions';

const servers = bothBrokers();

async function client(port: number, protocolVersion: 4 | 5): Promise<MqttClient> {
  const c = mqtt.connect({ host: '127.0.0.1', port, protocolVersion, reconnectPeriod: 0 });
  await within(
    new Promise<void>((resolve, reject) => {
      c.once('connect', () => resolve());
      c.once('error', reject);
    }),
    5_000,
    'CONNACK',
  );
  return c;
}

function subscribe(c: MqttClient, filter: string, id?: number): Promise<void> {
  const properties = id === undefined ? undefined : { subscriptionIdentifier: id };
  return new Promise((resolve, reject) =>
    c.subscribe(filter, { qos: 1, ...(properties ? { properties } : {}) }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

/**
 * Subscribes `wide` (`<root>/#`) and `narrow` (`<root>/dev/+`), in that order by default, publishes one message to
 * `<root>/dev/x` from another client, then a marker only `wide` matches: returns the copies
 * of the message that arrived before the marker, as the identifiers each carried.
 */
async function copiesOfOnePublish(
  port: number,
  protocolVersion: 4 | 5,
  ids: { wide?: number; narrow?: number },
  narrowFirst = false,
): Promise<(number[] | undefined)[]> {
  const root = uniqueId('overlap');
  const receiver = await client(port, protocolVersion);
  const sender = await client(port, protocolVersion);
  try {
    if (narrowFirst) await subscribe(receiver, `${root}/dev/+`, ids.narrow);
    await subscribe(receiver, `${root}/#`, ids.wide);
    if (!narrowFirst) await subscribe(receiver, `${root}/dev/+`, ids.narrow);
    const copies: (number[] | undefined)[] = [];
    const marker = new Promise<void>((resolve) =>
      receiver.on('message', (topic, _payload, packet) => {
        if (topic === `${root}/end`) return resolve();
        const id = packet.properties?.subscriptionIdentifier;
        copies.push(
          id === undefined ? undefined : ([] as number[]).concat(id).sort((a, b) => a - b),
        );
      }),
    );
    await sender.publishAsync(`${root}/dev/x`, 'once', { qos: 1 });
    await sender.publishAsync(`${root}/end`, '', { qos: 1 });
    await within(marker, 5_000, 'the marker message');
    return copies;
  } finally {
    await Promise.all([receiver.endAsync(), sender.endAsync()]);
  }
}

const brokers = [
  { name: 'Mosquitto 2.0', port: () => servers.mosquittoPort() },
  { name: 'aedes 2.0.0-beta.1', port: servers.aedesPort },
];

// What was measured (and is asserted below, so a broker upgrade that changes it fails here):
// Mosquitto sends one copy per matching subscription on MQTT 5, each carrying the identifier of
// its own subscription (or none), and one copy on 3.1.1; aedes' beta sends one copy on both,
// carrying the identifier of the first subscription it matched (here `#`, whichever was
// subscribed first) or none.
const expected: Record<string, Record<string, (number[] | undefined)[]>> = {
  'Mosquitto 2.0': {
    v4: [undefined],
    'v5 no ids': [undefined, undefined],
    'v5 both ids': [[7], [268_435_455]],
    'v5 narrow id': [undefined, [268_435_455]],
    'v5 narrow id, subscribed first': [undefined, [268_435_455]],
  },
  'aedes 2.0.0-beta.1': {
    v4: [undefined],
    'v5 no ids': [undefined],
    'v5 both ids': [[7]],
    'v5 narrow id': [undefined],
    'v5 narrow id, subscribed first': [undefined],
  },
};

for (const broker of brokers) {
  describe(`overlapping subscriptions on ${broker.name}`, () => {
    const cases = [
      { key: 'v4', version: 4 as const, ids: {} },
      { key: 'v5 no ids', version: 5 as const, ids: {} },
      { key: 'v5 both ids', version: 5 as const, ids: { wide: 7, narrow: 268_435_455 } },
      { key: 'v5 narrow id', version: 5 as const, ids: { narrow: 268_435_455 } },
      {
        key: 'v5 narrow id, subscribed first',
        version: 5 as const,
        ids: { narrow: 268_435_455 },
        narrowFirst: true,
      },
    ];
    for (const c of cases) {
      it(`one publish matching two subscriptions (${c.key})`, async () => {
        const copies = await copiesOfOnePublish(
          broker.port(),
          c.version,
          c.ids,
          'narrowFirst' in c,
        );
        const want = expected[broker.name][c.key];
        // Copies of one message may come in either order; compare them as a set.
        const key = (x: number[] | undefined) => JSON.stringify(x ?? null);
        assert.deepEqual(copies.map(key).sort(), want.map(key).sort());
      });
    }
  });
}
