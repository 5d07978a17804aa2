/**
 * A fake broker for measuring the client rather than a broker: it answers CONNECT with CONNACK
 * and SUBSCRIBE with SUBACK, then streams pre-encoded PUBLISH packets (QoS 0) in large writes.
 * It runs in its own process so that, on a 2-core machine, the client under test has a core to
 * itself, as it would against a real broker.
 */
import * as net from 'node:net';
import * as mqttPacket from 'mqtt-packet';
import { forkTs, serveRequests } from './child';
import { payloadOf, topicOf } from './workload';

const WRITE_BYTES = 1024 * 1024;

function encodeStream(count: number, protocolVersion: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(
      mqttPacket.generate(
        {
          cmd: 'publish',
          topic: topicOf(i),
          payload: payloadOf(i),
          qos: 0,
          retain: false,
          dup: false,
        },
        { protocolVersion },
      ),
    );
  }
  return Buffer.concat(parts);
}

function serve(count: number): void {
  const streams = new Map<number, Buffer>();
  const streamFor = (version: number) => {
    let s = streams.get(version);
    if (!s) streams.set(version, (s = encodeStream(count, version)));
    return s;
  };
  streamFor(5); // encoded before the first client connects, so no run pays for it
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    let version = 4;
    const send = (packet: mqttPacket.Packet) =>
      socket.write(mqttPacket.generate(packet, { protocolVersion: version }));
    parser.on('packet', (packet) => {
      switch (packet.cmd) {
        case 'connect':
          version = packet.protocolVersion ?? 4;
          send({ cmd: 'connack', sessionPresent: false, returnCode: 0, reasonCode: 0 });
          break;
        case 'subscribe':
          send({
            cmd: 'suback',
            messageId: packet.messageId,
            granted: packet.subscriptions.map(() => 0),
          });
          void stream(socket, streamFor(version));
          break;
        case 'pingreq':
          send({ cmd: 'pingresp' });
          break;
        case 'disconnect':
          socket.end();
          break;
      }
    });
    parser.on('error', () => socket.destroy());
    socket.on('data', (data) => parser.parse(data));
    socket.on('error', () => undefined);
  });
  const listening = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serveRequests(async () => {
    await listening;
    return { port: (server.address() as net.AddressInfo).port };
  });
}

async function stream(socket: net.Socket, data: Buffer): Promise<void> {
  for (let at = 0; at < data.length && !socket.destroyed; at += WRITE_BYTES) {
    if (!socket.write(data.subarray(at, at + WRITE_BYTES))) {
      await new Promise<void>((resolve) => {
        const done = () => {
          socket.off('drain', done).off('close', done);
          resolve();
        };
        socket.on('drain', done).on('close', done);
      });
    }
  }
}

export interface ReplayServer {
  port: number;
  close(): void;
}

/** Forks the server and waits until it listens; it encodes its stream before that. */
export async function startReplayServer(count: number): Promise<ReplayServer> {
  const child = forkTs(__filename, ['--serve', String(count)]);
  const { port } = await child.ask<{ port: number }>({ listen: true });
  return { port, close: () => child.close() };
}

if (process.argv[2] === '--serve') serve(Number(process.argv[3]));
