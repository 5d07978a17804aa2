/**
 * The incoming packet guard, fed the bytes mqtt-packet generates and checked by mqtt-packet's
 * own parser: packets within the limits pass byte for byte, however they are split; an
 * oversized one is refused from its fixed header; an MQTT 5 PUBLISH with too many properties
 * reaches the parser with the first ones, and the guard says what it carried.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as mqttPacket from 'mqtt-packet';
import {
  IncomingPacketGuard,
  PacketTooLarge,
  type IncomingLimits,
} from '../../src/core/incoming/packetGuard';
import { MalformedPacket } from '../../src/core/incoming/propertyScan';

const limits: IncomingLimits = {
  maxPacketBytes: 4096,
  maxProperties: 4,
  maxPropertyBytes: 200,
  maxControlPacketBytes: 1024,
};

function publish(userProperties: Record<string, string | string[]>, extra = {}, payload = 'hello') {
  return mqttPacket.generate(
    {
      cmd: 'publish',
      topic: 'a/b',
      payload: Buffer.from(payload),
      qos: 1,
      messageId: 7,
      dup: false,
      retain: false,
      properties: { userProperties, ...extra },
    },
    { protocolVersion: 5 },
  );
}

function feedAll(guard: IncomingPacketGuard, bytes: Buffer, step: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) out.push(...guard.feed(bytes.subarray(i, i + step)));
  return Buffer.concat(out);
}

function parse(bytes: Buffer, protocolVersion = 5): mqttPacket.Packet[] {
  const parser = mqttPacket.parser({ protocolVersion });
  const packets: mqttPacket.Packet[] = [];
  parser.on('packet', (p) => packets.push(p));
  parser.on('error', (e) => assert.fail(e));
  parser.parse(bytes);
  return packets;
}

describe('IncomingPacketGuard', () => {
  it('passes packets within the limits unchanged, split at every byte or whole', () => {
    const bytes = Buffer.concat([
      publish({ a: '1', b: ['2', '3'] }, { contentType: 'text/plain' }),
      mqttPacket.generate({ cmd: 'pingresp' }),
      publish({}, {}, 'x'.repeat(3000)),
    ]);
    for (const step of [1, 2, 3, 7, bytes.length]) {
      const guard = new IncomingPacketGuard(limits, 5);
      assert.deepEqual(feedAll(guard, bytes, step), bytes, `split every ${step} bytes`);
      assert.equal(guard.nextPublish(), undefined);
      assert.equal(guard.nextPublish(), undefined);
    }
  });

  it('keeps the first user properties of an MQTT 5 PUBLISH and reports how many it carried', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) many[`k${i}`] = 'v';
    const bytes = publish(many, { contentType: 'application/json', topicAlias: 3 }, 'payload');
    const guard = new IncomingPacketGuard({ ...limits, maxPacketBytes: 1 << 20 }, 5);
    const [packet] = parse(feedAll(guard, bytes, 100)) as mqttPacket.IPublishPacket[];
    assert.deepEqual(
      { ...packet.properties?.userProperties },
      { k0: 'v', k1: 'v', k2: 'v', k3: 'v' },
    );
    assert.equal(packet.properties?.contentType, 'application/json');
    assert.equal(packet.properties?.topicAlias, 3);
    assert.equal(packet.payload.toString(), 'payload');
    assert.equal(packet.messageId, 7);
    const truncation = guard.nextPublish();
    assert.equal(truncation?.count, 1002);
    assert.ok(truncation!.bytes > 1000 * 5);
  });

  it('cuts by bytes as well as by count', () => {
    const guard = new IncomingPacketGuard(limits, 5);
    const bytes = publish({ big: 'x'.repeat(150), next: 'y'.repeat(100) });
    const [packet] = parse(feedAll(guard, bytes, 16)) as mqttPacket.IPublishPacket[];
    assert.deepEqual({ ...packet.properties?.userProperties }, { big: 'x'.repeat(150) });
    assert.equal(guard.nextPublish()?.count, 2);
  });

  it('refuses a packet over the size limit from its fixed header, naming size and setting', () => {
    for (const version of [4, 5]) {
      const guard = new IncomingPacketGuard(limits, version);
      const bytes = mqttPacket.generate(
        {
          cmd: 'publish',
          topic: 't',
          payload: Buffer.alloc(5000),
          qos: 0,
          dup: false,
          retain: false,
        },
        { protocolVersion: version as 4 | 5 },
      );
      assert.throws(
        () => guard.feed(bytes.subarray(0, 4)),
        (e: unknown) =>
          e instanceof PacketTooLarge &&
          e.size === bytes.length &&
          /PUBLISH packet of 5,00\d bytes, over the 4 KiB limit \("mqttScope\.maximumPacketSizeMegabytes"\)/.test(
            e.message,
          ),
      );
    }
  });

  it('leaves MQTT 3.1.1 packets alone below the size limit', () => {
    const guard = new IncomingPacketGuard(limits, 4);
    const bytes = mqttPacket.generate(
      { cmd: 'publish', topic: 't', payload: Buffer.from('x'), qos: 0, dup: false, retain: false },
      { protocolVersion: 4 },
    );
    assert.deepEqual(feedAll(guard, bytes, 1), bytes);
    assert.equal(parse(feedAll(new IncomingPacketGuard(limits, 4), bytes, 2), 4).length, 1);
    // A chunk of many small packets reaches the parser as one write.
    const flood = Buffer.concat(Array.from({ length: 100 }, () => bytes));
    assert.equal(new IncomingPacketGuard(limits, 4).feed(flood).length, 1);
  });

  it('holds packets other than PUBLISH to a smaller limit: they are all properties', () => {
    const userProperties: Record<string, string> = {};
    for (let i = 0; i < 300; i++) userProperties[`k${i}`] = 'v';
    const bytes = mqttPacket.generate(
      { cmd: 'disconnect', reasonCode: 0, properties: { userProperties } },
      { protocolVersion: 5 },
    );
    assert.ok(bytes.length > 1024 && bytes.length < 4096);
    assert.throws(
      () => new IncomingPacketGuard(limits, 5).feed(bytes),
      /a DISCONNECT packet of 2,\d\d\d bytes, over the 1 KiB limit for packets other than PUBLISH/,
    );
  });

  it('refuses a PUBLISH whose property section cannot be read, naming why', () => {
    const bytes = publish({ a: '1' });
    // The user property's identifier (0x26) becomes 0x7f, which no property has.
    const at = bytes.indexOf(0x26);
    bytes[at] = 0x7f;
    assert.throws(
      () => feedAll(new IncomingPacketGuard({ ...limits, maxPropertyBytes: 2 }, 5), bytes, 3),
      (e: unknown) =>
        e instanceof MalformedPacket &&
        /malformed PUBLISH packet \(unknown property 0x7f\)/.test(e.message),
    );
  });

  it('tells each parsed PUBLISH its own truncation, in order, however the bytes are split', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 50; i++) many[`k${i}`] = 'v';
    const small = publish({ a: '1' });
    const bytes = Buffer.concat([
      small,
      publish(many),
      small,
      mqttPacket.generate({ cmd: 'pingresp' }),
      small,
    ]);
    for (const step of [1, 5, 64, bytes.length]) {
      const guard = new IncomingPacketGuard(limits, 5);
      const packets = parse(feedAll(guard, bytes, step));
      const seen = packets.filter((p) => p.cmd === 'publish').map(() => guard.nextPublish()?.count);
      assert.deepEqual(seen, [undefined, 50, undefined, undefined], `split every ${step} bytes`);
    }
  });
});
