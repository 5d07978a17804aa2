/**
 * A TCP relay between a client under test and a broker, that fails the way networks do: it
 * counts the bytes the client sends (to prove that nothing went on the wire), cuts every
 * connection abruptly with a TCP reset (which makes a broker publish a Last Will), stalls one
 * or both directions without closing anything (a half-open link), refuses new connections,
 * and reads the MQTT framing of what it relays so a test can drop a given packet or cut the
 * link right when it passes, e.g. between PUBREC and PUBREL.
 */
import * as net from 'node:net';
import * as mqttPacket from 'mqtt-packet';

export type Direction = 'toBroker' | 'toClient';

/** Decides, for each packet relayed, what happens to it. */
export type PacketRule = (
  packet: mqttPacket.Packet,
  direction: Direction,
  /** The client id from this connection's CONNECT. */
  clientId: string,
) => 'forward' | 'drop' | 'cut-before' | 'cut-after';

export interface TcpProxy {
  port: number;
  /** Bytes received from clients so far. */
  readonly bytesFromClients: number;
  /** Connections currently relayed. */
  readonly open: number;
  /** Resets every open connection on both sides, without any MQTT DISCONNECT. */
  cutAll(): void;
  /** Stops relaying (the bytes wait); nothing is closed, so neither side notices. */
  stall(direction?: Direction | 'both'): void;
  /** Relays again, including what waited. */
  resume(): void;
  /** While true, new connections are reset as soon as they are accepted. */
  refuse(on: boolean): void;
  /** Applies `rule` to every packet from now on; `undefined` forwards everything. */
  setRule(rule: PacketRule | undefined): void;
  stop(): Promise<void>;
}

/** Splits a byte stream into whole MQTT packets (fixed header + remaining length). */
class Framer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const packets: Buffer[] = [];
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let offset = 1;
      let complete = false;
      while (offset < this.pending.length && offset <= 4) {
        const byte = this.pending[offset++];
        length += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || this.pending.length < offset + length) break;
      packets.push(this.pending.subarray(0, offset + length));
      this.pending = this.pending.subarray(offset + length);
    }
    return packets;
  }
}

/** The protocol level byte of a CONNECT packet: 4 for 3.1.1, 5 for MQTT 5. */
function connectVersion(bytes: Buffer): number {
  let offset = 1;
  while (bytes[offset] & 0x80) offset++;
  offset++;
  const nameLength = bytes.readUInt16BE(offset);
  return bytes[offset + 2 + nameLength];
}

function decode(bytes: Buffer, protocolVersion: number): mqttPacket.Packet | undefined {
  let packet: mqttPacket.Packet | undefined;
  const parser = mqttPacket.parser({ protocolVersion });
  parser.on('packet', (p) => (packet = p));
  parser.on('error', () => undefined);
  parser.parse(bytes);
  return packet;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let bytesFromClients = 0;
  let refusing = false;
  let rule: PacketRule | undefined;
  const stalled = new Set<Direction>();
  const resumers = new Set<() => void>();

  const server = net.createServer((client) => {
    if (refusing) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const upstream = net.connect({ port: targetPort, host: targetHost });
    upstream.setNoDelay(true);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    let protocolVersion = 4;
    let clientId = '';
    const cut = () => {
      pairs.delete(pair);
      upstream.resetAndDestroy();
      client.resetAndDestroy();
    };
    const relay = (from: net.Socket, to: net.Socket, direction: Direction) => {
      const framer = new Framer();
      const queue: Buffer[] = [];
      const flush = () => {
        while (queue.length && !stalled.has(direction) && !to.destroyed) {
          // Framed whether or not a rule is set, so a rule set mid-stream starts on a boundary.
          for (const bytes of framer.push(queue.shift()!)) {
            if (bytes[0] >> 4 === 1) {
              protocolVersion = connectVersion(bytes);
              const connect = decode(bytes, protocolVersion) as mqttPacket.IConnectPacket;
              clientId = connect?.clientId ?? '';
            }
            const packet = rule ? decode(bytes, protocolVersion) : undefined;
            const verdict = rule && packet ? rule(packet, direction, clientId) : 'forward';
            if (verdict === 'drop') continue;
            if (verdict === 'cut-before') return cut();
            if (verdict === 'cut-after') return void to.write(bytes, cut);
            to.write(bytes);
          }
        }
      };
      resumers.add(flush);
      from.once('close', () => resumers.delete(flush));
      from.on('data', (chunk: Buffer) => {
        if (direction === 'toBroker') bytesFromClients += chunk.length;
        queue.push(chunk);
        flush();
      });
    };
    relay(client, upstream, 'toBroker');
    relay(upstream, client, 'toClient');
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get bytesFromClients() {
      return bytesFromClients;
    },
    get open() {
      return pairs.size;
    },
    cutAll() {
      for (const { client, upstream } of [...pairs]) {
        upstream.resetAndDestroy();
        client.resetAndDestroy();
      }
      pairs.clear();
    },
    stall(direction = 'both') {
      if (direction === 'both') {
        stalled.add('toBroker');
        stalled.add('toClient');
      } else stalled.add(direction);
    },
    resume() {
      stalled.clear();
      for (const flush of resumers) flush();
    },
    refuse(on) {
      refusing = on;
    },
    setRule(next) {
      rule = next;
    },
    async stop() {
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
