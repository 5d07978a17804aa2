/**
 * Fits an `IncomingPacketGuard` to an MQTT.js client: every stream the client opens (the first
 * connection and each reconnection) hands its bytes to the guard before MQTT.js's parser sees
 * them. A packet over the size limit closes the connection before its body is buffered (an
 * MQTT 5 client first sends DISCONNECT 0x95 Packet too large, as the specification asks); the
 * client reports it as an 'error' whose message names the size and the setting. A property
 * section that cannot be read closes it the same way (0x81 Malformed Packet). A PUBLISH
 * whose properties were cut is marked, for `propertiesTruncationOf`.
 */
import type { Duplex } from 'node:stream';
import type { MqttClient, Packet } from 'mqtt';
import {
  IncomingPacketGuard,
  PacketTooLarge,
  type IncomingLimits,
  type PropertiesTruncation,
} from './packetGuard';
import { MalformedPacket } from './propertyScan';

type StreamBuilder = (client: MqttClient) => Duplex;

/** DISCONNECT with reason code 0x95 (Packet too large) or 0x81 (Malformed Packet). */
const disconnectPacket = (reasonCode: number) => Buffer.from([0xe0, 0x01, reasonCode]);

const truncations = new WeakMap<object, PropertiesTruncation>();
/** Whether any packet was ever marked: until then a lookup per message is spared. */
let anyTruncation = false;

/** What a received PUBLISH packet carried when its properties were cut to the limits. */
export function propertiesTruncationOf(packet: object): PropertiesTruncation | undefined {
  return anyTruncation ? truncations.get(packet) : undefined;
}

export function guardIncoming(client: MqttClient, limits: IncomingLimits): void {
  const version = client.options.protocolVersion ?? 4;
  let guard: IncomingPacketGuard | undefined;
  const inner = client as unknown as { streamBuilder: StreamBuilder };
  const build = inner.streamBuilder;
  inner.streamBuilder = (c) => {
    const stream = build(c);
    const current = new IncomingPacketGuard(limits, version);
    guard = current;
    watch(stream, current, version);
    return stream;
  };
  // Registered before the session's listeners, so the mark is there when they look.
  client.on('packetreceive', (packet: Packet) => {
    if (packet.cmd !== 'publish' || !guard) return;
    const truncation = guard.nextPublish();
    if (truncation) {
      anyTruncation = true;
      truncations.set(packet, truncation);
    }
  });
}

/**
 * Puts the guard in the stream's 'data' events, the one path by which its bytes reach the
 * parser (MQTT.js pipes the stream into it).
 */
function watch(stream: Duplex, guard: IncomingPacketGuard, version: number): void {
  const emit = stream.emit.bind(stream) as (event: string | symbol, ...args: unknown[]) => boolean;
  let refused = false;
  stream.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    if (event !== 'data') return emit(event, ...args);
    if (refused) return false;
    let chunks: Buffer[];
    try {
      chunks = guard.feed(args[0] as Buffer);
    } catch (error) {
      refused = true;
      // Thrown out of 'data', an error would reach the host as an uncaught exception.
      const tooLarge = error instanceof PacketTooLarge;
      const fault =
        tooLarge || error instanceof MalformedPacket
          ? (error as Error)
          : new MalformedPacket(`the broker's bytes could not be read: ${String(error)}`);
      if (version === 5 && stream.writable) stream.write(disconnectPacket(tooLarge ? 0x95 : 0x81));
      stream.destroy(fault);
      return false;
    }
    for (const chunk of chunks) emit('data', chunk);
    return true;
  }) as typeof stream.emit;
}
