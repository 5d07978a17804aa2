/**
 * Decoding end to end: the real Eclipse Paho Python client publishes one reading in each binary
 * format through Mosquitto, encoded by Debian's cbor2, msgpack and protobuf, and the messages a
 * session receives are stored and read back as the Message Log reads them (toLogRow's preview and
 * toLogDetail's decoded payload), with a decoder rule set for Protobuf by message type and for
 * base64.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { realScheduler } from '../../src/core/ports';
import { MessageStore } from '../../src/core/store/messageStore';
import { toLogDetail, toLogRow } from '../../src/core/log/logRows';
import { decodedText } from '../../src/core/decoders/decodedTree';
import type { LogDetail } from '../../src/protocol/messageLog';
import { loadDecoderRules, type DecoderRules } from '../../src/core/decoders/decoderRules';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { PYTHON, findScript } from '../support/paho';
import { inbox, newSession, subscriptionsSettled, uniqueId } from '../support/sessions';

const FIXTURES = path.resolve(__dirname, '../fixtures');
/** The reading every format carries (see paho_decoders_publisher.py). */
const EXPECTED = [
  '{',
  '  "device": "pump-7",',
  '  "temperature": 21.5,',
  '  "counter": -9223372036854775808,',
  '  "serial": 18446744073709551615,',
  '  "samples": [',
  '    1,',
  '    -2,',
  '    3',
  '  ]',
  '}',
].join('\n');

let mosquitto: MosquittoBroker;
let rules: DecoderRules;
before(async () => {
  mosquitto = await startMosquitto({});
  const loaded = await loadDecoderRules(
    [
      {
        topic: 'decoders/+/telemetry',
        decoder: 'protobuf',
        protoFile: 'proto/telemetry.proto',
        messageType: 'plant.Telemetry',
      },
      { topic: 'decoders/+/base64', decoder: 'base64' },
    ],
    { baseFolder: FIXTURES, readText: (f) => readFile(f, 'utf8') },
  );
  assert.deepEqual(loaded.problems, []);
  rules = loaded.rules;
});
after(async () => {
  await mosquitto?.stop();
});

function pahoPublishFormats(port: number, prefix: string): Promise<string> {
  const script = findScript('paho_decoders_publisher.py');
  const options = JSON.stringify({ port, prefix, timeout: 10 });
  return new Promise((resolve, reject) =>
    execFile(PYTHON, [script, options], { timeout: 15_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** The decoded value as the detail pane shows it (the detail carries the tree, not its text). */
const shown = (detail: LogDetail) =>
  detail.decoded?.value ? decodedText(detail.decoded.value) : (detail.decoded?.text ?? '');

describe('payload formats from Paho (Python) through Mosquitto', () => {
  it('decodes CBOR, MessagePack, Protobuf by rule and raw, and base64 by rule', async (t) => {
    const prefix = `decoders/${uniqueId('d')}`;
    const subscriber = newSession(t, {
      host: '127.0.0.1',
      port: mosquitto.port,
      protocolVersion: 5,
      subscriptions: [{ topic: `${prefix}/#`, qos: 1 }],
    });
    const received = inbox(subscriber, prefix);
    await subscriber.connect();
    await subscriptionsSettled(subscriber, 5_000);

    const out = await pahoPublishFormats(mosquitto.port, prefix);
    assert.match(out, /"event": "published", "count": 5/);
    await received.waitFor(5, 10_000);

    const store = new MessageStore({ scheduler: realScheduler });
    const byFormat = new Map<
      string,
      { row: ReturnType<typeof toLogRow>; detail: ReturnType<typeof toLogDetail> }
    >();
    for (const message of received.messages) {
      const entry = store.get(store.append(subscriber.name, 'in', message))!;
      const rule = rules.forTopic(entry.topic);
      byFormat.set(entry.topic.slice(prefix.length + 1), {
        row: toLogRow(entry, { decoderRule: () => rule }),
        detail: toLogDetail(entry, undefined, false, {
          now: Date.now(),
          decoderRule: (topic) => rules.forTopic(topic),
        }),
      });
    }
    assert.deepEqual([...byFormat.keys()].sort(), [
      'base64',
      'cbor',
      'msgpack',
      'raw',
      'telemetry',
    ]);

    const expect = (format: string, decoder: string, label: string, reason: string) => {
      const { row, detail } = byFormat.get(format)!;
      assert.equal(detail.decoded?.error, undefined, format);
      assert.equal(detail.decoded?.decoder, decoder, format);
      assert.equal(detail.decoded?.label, label, format);
      assert.equal(detail.decoded?.reason, reason, format);
      return { row, detail };
    };
    for (const [format, decoder, label, contentType] of [
      ['cbor', 'cbor', 'CBOR', 'application/cbor'],
      ['msgpack', 'msgpack', 'MessagePack', 'application/msgpack'],
    ]) {
      const { row, detail } = expect(format, decoder, label, `content type ${contentType}`);
      assert.equal(shown(detail), EXPECTED, format);
      // The row reads as the decoded text on one line, not as hex.
      assert.ok(row.preview.startsWith('{"device": "pump-7", "temperature": 21.5,'), row.preview);
    }
    const proto = expect(
      'telemetry',
      'protobuf',
      'Protobuf plant.Telemetry',
      'rule decoders/+/telemetry',
    );
    assert.equal(shown(proto.detail), EXPECTED);
    assert.equal(
      proto.row.preview,
      '{"device": "pump-7", "temperature": 21.5, "counter": -9223372036854775808, "serial": 18446744073709551615, "samples": [1, -2, 3]}',
    );
    const raw = expect(
      'raw',
      'protobuf',
      'Protobuf (no schema)',
      'content type application/x-protobuf',
    );
    // Without the schema: field numbers; the negative int64 as its two's complement varint.
    assert.match(
      shown(raw.detail),
      /"1": "pump-7",\n {2}"2": 4626744929681408000,\n {2}"3": 9223372036854775808,\n {2}"4": 18446744073709551615,/,
    );
    const b64 = expect('base64', 'base64', 'Base64 → 53 bytes', 'rule decoders/+/base64');
    // The bytes it carries are the Protobuf message's.
    assert.deepEqual(b64.detail.decoded?.value, {
      t: 'bytes',
      size: 53,
      hex: Buffer.from(proto.detail.payload).toString('hex'),
    });
  });
});
