/**
 * A scripted hostile broker: a TCP server that speaks just enough MQTT (CONNECT → CONNACK,
 * SUBSCRIBE → SUBACK, PINGREQ → PINGRESP) to let a client connect, then sends whatever crafted
 * packets the test hands it, in raw bytes, with no respect for the limits the client asked for.
 * It records the CONNECT it received (protocol level and the Maximum Packet Size property).
 */
import * as net from 'node:net';
import { encodeVarInt } from '../../src/core/incoming/propertyScan';

export interface ConnectSeen {
  protocolVersion: number;
  /** The CONNECT's Maximum Packet Size property (MQTT 5), when present. */
  maximumPacketSize?: number;
}

export interface HostileBroker {
  port: number;
  /** Resolves with the next client once its CONNECT was answered. */
  nextClient(): Promise<HostileClient>;
  stop(): Promise<void>;
}

export interface HostileClient {
  connect: ConnectSeen;
  /** Writes raw bytes to the client; resolves when they were handed to the kernel. */
  send(bytes: Buffer): Promise<void>;
  /** Resolves when the client closes its side of the connection. */
  closed: Promise<void>;
}

export async function startHostileBroker(): Promise<HostileBroker> {
  const waiting: ((c: HostileClient) => void)[] = [];
  const ready: HostileClient[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let held = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      for (let frame = readFrame(held); frame; frame = readFrame(held)) {
        held = held.subarray(frame.end);
        const client = answer(socket, frame, closed);
        if (!client) continue;
        const take = waiting.shift();
        if (take) take(client);
        else ready.push(client);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    nextClient: () =>
      new Promise((resolve) => {
        const client = ready.shift();
        if (client) resolve(client);
        else waiting.push(resolve);
      }),
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Frame {
  type: number;
  body: Buffer;
  end: number;
}

function readFrame(buf: Buffer): Frame | undefined {
  if (buf.length < 2) return undefined;
  let length = 0;
  let i = 1;
  for (let shift = 0; ; shift += 7, i++) {
    if (i >= buf.length) return undefined;
    length += (buf[i] & 0x7f) * 2 ** shift;
    if ((buf[i] & 0x80) === 0) break;
  }
  const start = i + 1;
  if (buf.length < start + length) return undefined;
  return { type: buf[0] >> 4, body: buf.subarray(start, start + length), end: start + length };
}

const protocolOf = new WeakMap<net.Socket, number>();

function answer(socket: net.Socket, frame: Frame, closed: Promise<void>): HostileClient | void {
  const v5 = protocolOf.get(socket) === 5;
  switch (frame.type) {
    case 1: {
      const connect = parseConnect(frame.body);
      protocolOf.set(socket, connect.protocolVersion);
      socket.write(
        Buffer.from(connect.protocolVersion === 5 ? [0x20, 3, 0, 0, 0] : [0x20, 2, 0, 0]),
      );
      return {
        connect,
        closed,
        send: (bytes) => new Promise((resolve) => socket.write(bytes, () => resolve())),
      };
    }
    case 8: {
      // SUBSCRIBE: grant QoS 0 to each filter.
      const id = frame.body.subarray(0, 2);
      let p = 2;
      if (v5) p += 1 + frame.body[2]; // property length (short in the tests) and properties
      const codes: number[] = [];
      while (p < frame.body.length) {
        p += 2 + frame.body.readUInt16BE(p) + 1;
        codes.push(0);
      }
      const body = Buffer.concat([id, Buffer.from(v5 ? [0, ...codes] : codes)]);
      socket.write(Buffer.concat([Buffer.from([0x90, body.length]), body]));
      return;
    }
    case 12:
      socket.write(Buffer.from([0xd0, 0]));
      return;
  }
}

function parseConnect(body: Buffer): ConnectSeen {
  const nameLength = body.readUInt16BE(0);
  const protocolVersion = body[2 + nameLength];
  const seen: ConnectSeen = { protocolVersion };
  if (protocolVersion !== 5) return seen;
  let p = 2 + nameLength + 1 + 1 + 2; // level, flags, keepalive
  const { value: propLength, bytes } = readVarInt(body, p);
  p += bytes;
  const end = p + propLength;
  while (p < end) {
    const id = body[p++];
    if (id === 0x27) seen.maximumPacketSize = body.readUInt32BE(p);
    p += PROPERTY_WIDTH[id] ?? 2 + body.readUInt16BE(p);
  }
  return seen;
}

/** Fixed widths of the CONNECT properties a client may send; the rest are length-prefixed. */
const PROPERTY_WIDTH: Record<number, number> = {
  0x11: 4,
  0x21: 2,
  0x22: 2,
  0x27: 4,
  0x17: 1,
  0x19: 1,
};

function readVarInt(buf: Buffer, at: number): { value: number; bytes: number } {
  let value = 0;
  for (let i = 0; ; i++) {
    value += (buf[at + i] & 0x7f) * 2 ** (7 * i);
    if ((buf[at + i] & 0x80) === 0) return { value, bytes: i + 1 };
  }
}

function utf8(s: string): Buffer {
  const b = Buffer.from(s);
  const out = Buffer.alloc(2 + b.length);
  out.writeUInt16BE(b.length, 0);
  b.copy(out, 2);
  return out;
}

export interface CraftedPublish {
  topic: string;
  payload: Buffer;
  /** MQTT 5: the number of user properties, each a distinct key ("k0", "k1", …) and value "v". */
  userProperties?: number;
  /** MQTT 5: other properties, already encoded (identifier byte and value). */
  rawProperties?: Buffer;
  protocolVersion: 4 | 5;
}

/** A QoS 0 PUBLISH in raw bytes; a million user properties are built in well under a second. */
export function craftPublish(p: CraftedPublish): Buffer {
  const parts: Buffer[] = [utf8(p.topic)];
  if (p.protocolVersion === 5) {
    const props = userPropertyBytes(p.userProperties ?? 0);
    const all = p.rawProperties ? Buffer.concat([p.rawProperties, props]) : props;
    parts.push(encodeVarInt(all.length), all);
  }
  parts.push(p.payload);
  const length = parts.reduce((n, b) => n + b.length, 0);
  return Buffer.concat([Buffer.from([0x30]), encodeVarInt(length), ...parts]);
}

/** An MQTT 5 DISCONNECT (reason 0x00) carrying `userProperties` user properties. */
export function craftDisconnect(userProperties: number): Buffer {
  const props = userPropertyBytes(userProperties);
  const body = Buffer.concat([Buffer.from([0]), encodeVarInt(props.length), props]);
  return Buffer.concat([Buffer.from([0xe0]), encodeVarInt(body.length), body]);
}

function userPropertyBytes(count: number): Buffer {
  let size = 0;
  for (let i = 0; i < count; i++) size += 1 + 2 + 1 + String(i).length + 2 + 1;
  const buf = Buffer.allocUnsafe(size);
  let p = 0;
  for (let i = 0; i < count; i++) {
    const key = `k${i}`;
    buf[p++] = 0x26;
    buf.writeUInt16BE(key.length, p);
    p += 2;
    p += buf.write(key, p, 'latin1');
    buf.writeUInt16BE(1, p);
    p += 2;
    buf[p++] = 0x76; // "v"
  }
  return buf;
}
