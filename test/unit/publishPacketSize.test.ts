/**
 * The size a PUBLISH will have on the wire, computed without encoding it, against the bytes
 * mqtt-packet (MQTT.js's encoder) really generates, on many random packets: MQTT 3.1.1 and 5,
 * QoS 0-2, empty to large payloads (across every Remaining Length size), text with multi-byte
 * characters, and every property a PUBLISH can carry.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import mqttPacket from 'mqtt-packet';
import {
  publishPacketSize,
  variableByteIntegerSize,
} from '../../src/core/session/publishPacketSize';
import { random } from '../support/random';
import type { QoS } from '../../src/core/profile/profileTypes';

const next = random(0x5eed);
const int = (max: number) => Math.floor(next() * (max + 1));
const pick = <T>(items: readonly T[]): T => items[int(items.length - 1)];
const CHARS = ['a', 'Z', '/', 'é', '中', '😀', ' ', '\u0000'];
const text = (max: number) => Array.from({ length: int(max) }, () => pick(CHARS)).join('');

function randomProperties(): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (next() < 0.5) p.payloadFormatIndicator = next() < 0.5;
  if (next() < 0.5) p.messageExpiryInterval = int(0xffffffff);
  if (next() < 0.5) p.topicAlias = 1 + int(0xfffe);
  if (next() < 0.5) p.responseTopic = text(40);
  if (next() < 0.5) p.correlationData = Buffer.from(text(30));
  if (next() < 0.5) p.contentType = text(20);
  if (next() < 0.3) p.subscriptionIdentifier = pick([1, 127, 128, 16_383, 16_384, 268_435_455]);
  if (next() < 0.5) {
    const users: Record<string, string | string[]> = {};
    // At least one pair: mqtt-packet refuses to encode an empty userProperties object.
    for (let i = 1 + int(3); i > 0; i--)
      users[text(8) || 'k'] = next() < 0.3 ? [text(10), text(10)] : text(10);
    p.userProperties = users;
  }
  return p;
}

const SIZES = [0, 1, 100, 127, 128, 16_383, 16_384, 70_000, 2_097_152];

describe('size of a PUBLISH on the wire', () => {
  it('Variable Byte Integer sizes at each boundary (MQTT 5.0 §1.5.5)', () => {
    const cases: [number, number][] = [
      [0, 1],
      [127, 1],
      [128, 2],
      [16_383, 2],
      [16_384, 3],
      [2_097_151, 3],
      [2_097_152, 4],
      [268_435_455, 4],
    ];
    for (const [value, size] of cases)
      assert.equal(variableByteIntegerSize(value), size, `${value}`);
  });

  it('equals what mqtt-packet generates, for 600 random packets', () => {
    for (let i = 0; i < 600; i++) {
      const version = next() < 0.3 ? 4 : 5;
      const qos = int(2) as QoS;
      const size = next() < 0.1 ? pick(SIZES) : int(300);
      const payload = next() < 0.5 ? Buffer.alloc(size, 7) : text(size > 1000 ? 50 : size);
      const topic = text(30) || 't';
      const properties = version === 5 ? randomProperties() : undefined;
      const request = { topic, payload, qos, properties };
      const bytes = mqttPacket.generate(
        {
          cmd: 'publish',
          topic,
          payload,
          qos,
          dup: false,
          retain: next() < 0.5,
          ...(qos > 0 ? { messageId: 1 + int(65_534) } : {}),
          ...(properties ? { properties } : {}),
        } as mqttPacket.IPublishPacket,
        { protocolVersion: version },
      );
      assert.equal(
        publishPacketSize(request, version),
        bytes.length,
        `packet ${i}: ${JSON.stringify({ version, qos, topic, properties, payload: payload.length })}`,
      );
    }
  });

  it('a Uint8Array payload counts its own bytes, not its buffer', () => {
    const backing = new Uint8Array(100);
    const view = backing.subarray(10, 20);
    const size = publishPacketSize({ topic: 't', payload: view, qos: 0 }, 4);
    assert.equal(size, 1 + 1 + 2 + 1 + 10);
  });
});
