/**
 * Section a: messages per second from a replay server into
 *  - bare: an MQTT.js subscriber that only counts (the client's own ceiling);
 *  - session: the real MqttSession (its topic tree and batched tree events), nothing more;
 *  - pipeline: what the extension runs — a SessionManager's session, its traffic stream
 *    recorded by the TrafficLog into a MessageStore, and the store's batched event;
 *  - traceOff / traceOn: the pipeline with the packet trace (src/core/trace/) beside it, no
 *    connection traced / the connection traced (every PUBLISH kept in its ring);
 *  - decoderRule: the pipeline with a `mqttScope.decoders` rule on every topic and an open
 *    Message Log showing the newest 50 rows, rebuilt (and decoded) on each store notification.
 * Each variant lives in its own process, warmed up once; runs go round-robin so drift on a
 * shared machine hits all three alike.
 */
import * as mqtt from 'mqtt';
import { MessageStore } from '../src/core/store/messageStore';
import { realScheduler, silentLogger } from '../src/core/ports';
import { validateProfiles } from '../src/core/profile/profile';
import { MqttSession } from '../src/core/session/session';
import { SessionManager } from '../src/core/session/sessionManager';
import { TrafficLog } from '../src/core/traffic/trafficLog';
import { TopicRates } from '../src/core/rates/topicRates';
import { PacketTrace } from '../src/core/trace/packetTrace';
import { forkTs, serveRequests, type Child } from './child';
import { DecoderRules } from '../src/core/decoders/decoderRules';
import { toLogRow } from '../src/core/log/logRows';
import { startReplayServer } from './replayServer';

export type Variant =
  'bare' | 'session' | 'pipeline' | 'traceOff' | 'traceOn' | 'decoderRule' | 'rates';
export const VARIANTS: readonly Variant[] = [
  'bare',
  'session',
  'pipeline',
  'traceOff',
  'traceOn',
  'decoderRule',
  'rates',
];

export interface RunResult {
  /** Messages per second of wall-clock time, from the first to the last message. */
  rate: number;
  /**
   * Messages per second of this process's CPU time over the same span: the client is the
   * bottleneck and never idle, so this is the same figure, minus the time other processes on a
   * busy machine took from it.
   */
  cpuRate: number;
  /** Notifications fired during the run (store + topic tree). */
  events: number;
}

/** A counter that reports the rates from the first to the last of `count` messages. */
function rateCounter(count: number, done: (r: Omit<RunResult, 'events'>) => void): () => void {
  let seen = 0;
  let first = 0;
  let firstCpu = process.cpuUsage();
  return () => {
    if (seen++ === 0) {
      first = performance.now();
      firstCpu = process.cpuUsage();
    }
    if (seen === count) {
      const wallMs = performance.now() - first;
      const cpu = process.cpuUsage(firstCpu);
      done({
        rate: ((count - 1) / wallMs) * 1000,
        cpuRate: ((count - 1) / (cpu.user + cpu.system)) * 1e6,
      });
    }
  };
}

function runBare(port: number, count: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect({
      host: '127.0.0.1',
      port,
      protocolVersion: 5,
      clientId: 'bench-bare',
      reconnectPeriod: 0,
      resubscribe: false,
    });
    const tick = rateCounter(count, (rates) => {
      client.end(true);
      resolve({ ...rates, events: 0 });
    });
    client.on('connect', () => client.subscribe('#', { qos: 0 }));
    client.on('message', tick);
    client.on('error', reject);
  });
}

async function runSession(port: number, count: number): Promise<RunResult> {
  const session = new MqttSession(benchProfile(port), {
    scheduler: realScheduler,
    logger: silentLogger,
    getPassword: async () => undefined,
    clientId: 'bench-session',
  });
  let events = 0;
  session.topics.onDidChange(() => events++);
  const finished = new Promise<Omit<RunResult, 'events'>>((resolve) => {
    session.onMessage(rateCounter(count, resolve));
  });
  await session.connect();
  const rates = await finished;
  await session.disconnect();
  session.dispose();
  return { ...rates, events };
}

/**
 * The extension's own path: manager → traffic stream → TrafficLog → MessageStore; with `trace`,
 * the packet trace too, off (built, nothing traced) or on for the connection.
 */
async function runPipeline(
  port: number,
  count: number,
  trace?: 'off' | 'on',
  extra: { decoderRule?: boolean; rates?: boolean } = {},
): Promise<RunResult> {
  const kv = new Map<string, unknown>();
  const sessions = new SessionManager({
    scheduler: realScheduler,
    logger: silentLogger,
    credentials: { getPassword: async () => undefined },
    store: {
      get: <T>(key: string) => kv.get(key) as T | undefined,
      update: async (key: string, value: unknown) => void kv.set(key, value),
    },
  });
  const store = new MessageStore({ scheduler: realScheduler });
  const trafficLog = new TrafficLog(store, sessions.onTraffic);
  const packetTrace = trace
    ? new PacketTrace(sessions.onTraffic, { scheduler: realScheduler })
    : undefined;
  if (trace === 'on') packetTrace?.setTraced('bench', true);
  // Who floods: every message counted per topic, buckets rolled once a second.
  const rates = extra.rates
    ? new TopicRates(sessions.onTraffic, { scheduler: realScheduler })
    : undefined;
  let events = 0;
  store.onDidAppend(() => events++);
  if (extra.decoderRule) showDecodedRows(store);
  sessions.onDidChangeTopics(() => events++);
  sessions.apply([{ ...benchProfile(port), clientId: 'bench-pipeline' }]);
  const session = sessions.get('bench');
  if (!session) throw new Error('the manager made no session');
  const finished = new Promise<Omit<RunResult, 'events'>>((resolve) => {
    session.onMessage(rateCounter(count, resolve));
  });
  await session.connect();
  const measured = await finished;
  if (store.stats().lastSeq !== count) throw new Error('the store missed messages');
  if (rates && rates.size !== 1000) throw new Error(`rates track ${rates.size} topics, not 1,000`);
  rates?.dispose();
  if (trace === 'on' && packetTrace!.range('bench').end < count + 4)
    throw new Error(`the trace missed packets: ${packetTrace?.range('bench').end}`);
  packetTrace?.dispose();
  trafficLog.dispose();
  sessions.dispose();
  store.dispose();
  return { ...measured, events };
}

/**
 * What an open Message Log does with a decoder rule: on each store notification (at most every
 * 100 ms) its webview asks for the rows in view, whose previews the rule decodes. The payloads
 * are JSON and the rule says CBOR, so each row pays for a decode that fails: the worst case.
 */
function showDecodedRows(store: MessageStore): void {
  const rules = new DecoderRules([{ decoder: 'cbor', topic: 'plant/#' }]);
  store.onDidAppend(() => {
    const { entries } = store.page({ limit: 50 });
    for (const entry of entries) toLogRow(entry, { decoderRule: (topic) => rules.forTopic(topic) });
  });
}

function benchProfile(port: number) {
  const { profiles, problems } = validateProfiles([
    { name: 'bench', url: `mqtt://127.0.0.1:${port}`, subscriptions: [{ topic: '#', qos: 0 }] },
  ]);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
  return profiles[0];
}

function run(variant: Variant, port: number, count: number): Promise<RunResult> {
  switch (variant) {
    case 'bare':
      return runBare(port, count);
    case 'session':
      return runSession(port, count);
    case 'pipeline':
      return runPipeline(port, count);
    case 'traceOff':
      return runPipeline(port, count, 'off');
    case 'traceOn':
      return runPipeline(port, count, 'on');
    case 'decoderRule':
      return runPipeline(port, count, undefined, { decoderRule: true });
    case 'rates':
      return runPipeline(port, count, undefined, { rates: true });
  }
}

export interface IngestSummary {
  rates: Record<Variant, number[]>;
  cpuRates: Record<Variant, number[]>;
  /** Notifications the pipeline fired in its last run, however many messages it took. */
  pipelineEvents: number;
}

export async function benchIngest(count: number, runs: number): Promise<IngestSummary> {
  const server = await startReplayServer(count);
  const children = new Map<Variant, Child>();
  const summary: IngestSummary = {
    rates: {
      bare: [],
      session: [],
      pipeline: [],
      traceOff: [],
      traceOn: [],
      decoderRule: [],
      rates: [],
    },
    cpuRates: {
      bare: [],
      session: [],
      pipeline: [],
      traceOff: [],
      traceOn: [],
      decoderRule: [],
      rates: [],
    },
    pipelineEvents: 0,
  };
  try {
    for (const v of VARIANTS) children.set(v, forkTs(__filename, ['--ingest', v]));
    // One untimed run each first, so that no measured run pays for JIT compilation.
    for (let r = -1; r < runs; r++) {
      for (const v of VARIANTS) {
        const result = await children.get(v)!.ask<RunResult>({ port: server.port, count });
        if (r < 0) continue;
        summary.rates[v].push(result.rate);
        summary.cpuRates[v].push(result.cpuRate);
        if (v === 'pipeline') summary.pipelineEvents = result.events;
      }
    }
  } finally {
    for (const child of children.values()) child.close();
    server.close();
  }
  return summary;
}

if (process.argv[2] === '--ingest') {
  const variant = process.argv[3] as Variant;
  serveRequests(async (request) => {
    const { port, count } = request as { port: number; count: number };
    global.gc?.();
    return run(variant, port, count);
  });
}
