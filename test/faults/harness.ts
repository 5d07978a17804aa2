/**
 * What the fault scenarios share: the two clients compared in each (an MqttSession, and a bare
 * MQTT.js client with its own reconnect as the reference), an independent counter
 * (mosquitto_sub with a fixed client id and a persistent session), and the report table.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import * as mqtt from 'mqtt';
import { MqttSession } from '../../src/core/session/session';
import { validateProfiles } from '../../src/core/profile/profile';
import { realScheduler, silentLogger } from '../../src/core/ports';
import type { QoS } from '../../src/core/profile/profile';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { uniqueId } from '../support/sessions';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy';

export interface Received {
  payload: string;
  qos: number;
  dup: boolean;
  at: number;
}

/** A client under test, whichever it is. */
export interface Peer {
  readonly label: 'MQTT Scope' | 'bare MQTT.js';
  readonly clientId: string;
  readonly received: Received[];
  /** Up/down changes with their time, from the first connect on. */
  readonly timeline: { at: number; up: boolean }[];
  isUp(): boolean;
  /** Resolves once connected the first time. */
  connect(): Promise<void>;
  publish(topic: string, payload: string, qos: QoS): Promise<void>;
  subscribe(filter: string, qos: QoS): Promise<void>;
  close(): Promise<void>;
}

export interface PeerOptions {
  port: number;
  keepalive?: number;
  /** A persistent v5 session (expiry 300 s) unless false. */
  persistent?: boolean;
  autoConnect?: boolean;
}

export async function scopePeer(o: PeerOptions): Promise<{ peer: Peer; session: MqttSession }> {
  const clientId = uniqueId('scope');
  const persistent = o.persistent ?? true;
  const { profiles } = validateProfiles([
    {
      name: 'faults',
      url: `mqtt://127.0.0.1:${o.port}`,
      protocolVersion: 5,
      clientId,
      keepalive: o.keepalive ?? 60,
      clean: !persistent,
      ...(persistent ? { sessionExpiryInterval: 300 } : {}),
      autoConnect: o.autoConnect ?? false,
    },
  ]);
  const session = new MqttSession(profiles[0], {
    scheduler: realScheduler,
    logger: silentLogger,
    getPassword: async () => undefined,
    clientId,
  });
  const received: Received[] = [];
  const timeline: Peer['timeline'] = [];
  session.onMessage((m) =>
    received.push({
      payload: Buffer.from(m.payload).toString(),
      qos: m.qos,
      dup: m.dup,
      at: Date.now(),
    }),
  );
  session.onDidChangeState((s) => {
    const up = s.kind === 'connected';
    if (timeline.length === 0 || timeline[timeline.length - 1].up !== up)
      timeline.push({ at: Date.now(), up });
  });
  const peer: Peer = {
    label: 'MQTT Scope',
    clientId,
    received,
    timeline,
    isUp: () => session.state.kind === 'connected',
    connect: () => session.connect(),
    publish: async (topic, payload, qos) => {
      await session.publish({ topic, payload, qos, retain: false });
    },
    subscribe: async (topic, qos) => {
      const status = await session.subscribe({ topic, qos });
      if (status.kind !== 'granted') throw new Error(`subscribe ${topic}: ${status.kind}`);
    },
    close: () => session.dispose(),
  };
  return { peer, session };
}

/** MQTT.js as most applications use it: its own reconnect every second, stores kept. */
export function barePeer(o: PeerOptions): Peer {
  const clientId = uniqueId('bare');
  const persistent = o.persistent ?? true;
  const client = mqtt.connect({
    host: '127.0.0.1',
    port: o.port,
    clientId,
    protocolVersion: 5,
    clean: !persistent,
    keepalive: o.keepalive ?? 60,
    reconnectPeriod: 1_000,
    properties: persistent ? { sessionExpiryInterval: 300 } : undefined,
  });
  client.on('error', () => undefined);
  const received: Received[] = [];
  const timeline: Peer['timeline'] = [];
  const mark = (up: boolean) => {
    if (timeline.length === 0 || timeline[timeline.length - 1].up !== up)
      timeline.push({ at: Date.now(), up });
  };
  client.on('packetreceive', (p) => {
    if (p.cmd === 'connack' && (p.reasonCode ?? 0) === 0) mark(true);
  });
  client.on('close', () => mark(false));
  client.on('message', (_t, payload, packet) =>
    received.push({
      payload: payload.toString(),
      qos: packet.qos,
      dup: packet.dup,
      at: Date.now(),
    }),
  );
  return {
    label: 'bare MQTT.js',
    clientId,
    received,
    timeline,
    isUp: () => client.connected,
    connect: () => until('the reference to connect', () => client.connected, 10_000),
    publish: async (topic, payload, qos) => {
      await client.publishAsync(topic, payload, { qos });
    },
    subscribe: async (topic, qos) => {
      await client.subscribeAsync(topic, { qos });
    },
    close: () => client.endAsync(true),
  };
}

/** Resolves once `probe` holds; rejects after `ms` naming what it waited for. */
export async function until(what: string, probe: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** mosquitto_sub with a fixed client id and `-c`: it keeps its session across a broker restart. */
export interface Counter {
  readonly clientId: string;
  ready: Promise<void>;
  /** When each CONNACK arrived: the first connect, then every reconnect. */
  readonly connacks: number[];
  payloads(): string[];
  /**
   * QoS 2 PUBLISHes that arrived under a packet id the counter still held unreleased. After a
   * restart from an older save the broker reuses ids it had in flight, and libmosquitto then
   * releases the old message in place of the new one: one repeated, one never shown.
   */
  idCollisions(): number;
  /**
   * Resolves once `done` holds, or once the counter has reconnected after `since` and no
   * message has arrived for `quietMs` since then: the broker has delivered all it had.
   */
  settle(done: () => boolean, since: number, quietMs: number): Promise<void>;
  stop(): void;
}

export function independentCounter(port: number, filter: string): Counter {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', filter, '-q', '2', '-c'];
  const clientId = uniqueId('counter');
  args.push('-i', clientId, '-V', 'mqttv311', '-d', '-F', 'MSG %p');
  // Line-buffered: into a pipe, mosquitto_sub would otherwise hold its output until it exits.
  const child = spawn('stdbuf', ['-oL', 'mosquitto_sub', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const connacks: number[] = [];
  let lastMessageAt = Date.now();
  // libmosquitto queues every QoS 2 PUBLISH it receives and releases the first one held under
  // an id on each PUBREL; counted per id.
  const unreleased = new Map<number, number>();
  let collisions = 0;
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.includes('received CONNACK')) connacks.push(Date.now());
      if (line.startsWith('MSG ')) lastMessageAt = Date.now();
      const publish = /received PUBLISH \(d\d, q2, r\d, m(\d+),/.exec(line);
      if (publish) {
        const id = Number(publish[1]);
        const held = unreleased.get(id) ?? 0;
        if (held > 0) collisions++;
        unreleased.set(id, held + 1);
      }
      const pubrel = /received PUBREL \(Mid: (\d+)\)/.exec(line);
      if (pubrel) {
        const id = Number(pubrel[1]);
        unreleased.set(id, Math.max(0, (unreleased.get(id) ?? 0) - 1));
      }
      out += `${line}\n`;
    }
    if (out.includes('received SUBACK')) onReady();
  });
  return {
    clientId,
    connacks,
    ready,
    payloads: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('MSG '))
        .map((l) => l.slice(4)),
    idCollisions: () => collisions,
    settle: async (done, since, quietMs) => {
      const delivered = () => {
        const back = connacks.find((t) => t > since);
        return back !== undefined && Date.now() - Math.max(back, lastMessageAt) >= quietMs;
      };
      while (!done() && !delivered()) await sleep(10);
    },
    stop: () => child.kill('SIGKILL'),
  };
}

/** Lost and duplicated, counting each expected payload in what arrived. */
export function tally(
  expected: readonly string[],
  arrived: readonly string[],
): {
  lost: number;
  duplicated: number;
} {
  const counts = new Map<string, number>();
  for (const p of arrived) counts.set(p, (counts.get(p) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const p of expected) {
    const n = counts.get(p) ?? 0;
    if (n === 0) lost++;
    else duplicated += n - 1;
  }
  return { lost, duplicated };
}

export interface Row {
  scenario: string;
  run: number;
  client: string;
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
  detectMs?: number;
  recoverMs?: number;
  note?: string;
}

const rows: Row[] = [];

/** Records a row; the table is printed (and written to test-artifacts/) when the file ends. */
export function report(row: Row): void {
  rows.push(row);
}

export function printReport(title: string): void {
  const ms = (v?: number) => (v === undefined ? '—' : `${Math.round(v)}`);
  const lines = [
    `\n${title}`,
    'run | client       |  sent | recv | lost | dup | detect ms | recover ms | note',
    ...rows.map(
      (r) =>
        `${String(r.run).padStart(3)} | ${r.client.padEnd(12)} | ${String(r.sent).padStart(5)} | ${String(r.received).padStart(4)} | ${String(r.lost).padStart(4)} | ${String(r.duplicated).padStart(3)} | ${ms(r.detectMs).padStart(9)} | ${ms(r.recoverMs).padStart(10)} | ${r.note ?? ''}`,
    ),
  ];
  console.log(lines.join('\n'));
  const dir = path.join(process.cwd(), 'test-artifacts', 'faults');
  fs.mkdirSync(dir, { recursive: true });
  const slug = title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  fs.writeFileSync(path.join(dir, `${slug}.json`), JSON.stringify(rows, null, 2));
}

/** The first up → down and the next down → up in a timeline, after `since`. */
export function downtime(
  timeline: Peer['timeline'],
  since: number,
): { downAt?: number; upAt?: number } {
  const down = timeline.find((e) => e.at >= since && !e.up);
  const up = down ? timeline.find((e) => e.at >= down.at && e.up) : undefined;
  return { downAt: down?.at, upAt: up?.at };
}

/**
 * A Mosquitto behind a fault proxy for the enclosing `describe`, started before its tests and
 * stopped after them, when the scenario's report is printed under `title`.
 */
export function brokerBehindProxy(title: string): { broker: MosquittoBroker; proxy: TcpProxy } {
  const env = {} as { broker: MosquittoBroker; proxy: TcpProxy };
  before(async () => {
    env.broker = await startMosquitto();
    env.proxy = await startTcpProxy(env.broker.port);
  });
  after(async () => {
    printReport(title);
    await env.proxy.stop();
    await env.broker.stop();
  });
  return env;
}
