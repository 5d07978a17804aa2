/**
 * Throughput of the local broker on the two aedes versions: the 2.0.0-beta.1 the product ships
 * and 1.2.0 (the `aedes-v1` alias). An MQTT.js publisher sends 50,000 × 51 B messages on one
 * topic and an MQTT.js subscriber receives them, both over MQTT 3.1.1 (1.2.0 speaks nothing
 * else) on loopback TCP, from a child process; the rate is messages received per second from
 * the first publish to the last delivery. Runs alternate between the versions so a busy moment
 * hurts both alike; each figure is the median of the runs.
 * `node --import tsx bench/localBroker.ts` prints the table alone.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { LocalBroker } from '../src/core/broker/localBroker';
import { silentLogger } from '../src/core/ports';

const MESSAGES = 50_000;
const RUNS = 5;
const BATCH = 1_000;
const PAYLOAD = Buffer.from(`{"n":0,"value":12.345,"unit":"C","ok":true,"p":"x"}`);
const RUN_TIMEOUT_MS = 60_000;

interface Version {
  name: string;
  load?: () => Promise<unknown>;
}

const VERSIONS: Version[] = [
  { name: 'aedes 2.0.0-beta.1 (product)' },
  { name: 'aedes 1.2.0', load: () => import('aedes-v1') },
];

export interface LocalBrokerBenchOptions {
  messages?: number;
  runs?: number;
}

/**
 * The clients run in a child process, so the broker has this process (one core) to itself, as
 * in the extension host; the child prints the rate as JSON.
 */
const CLIENTS = `
const mqtt = require('mqtt');
const [port, qos, messages, batch, payloadHex, timeoutMs] = process.argv.slice(1).map((a, i) => (i === 4 ? a : Number(a)));
const payload = Buffer.from(payloadHex, 'hex');
(async () => {
  const url = 'mqtt://127.0.0.1:' + port;
  const options = { protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 };
  const subscriber = await mqtt.connectAsync(url, options);
  const publisher = await mqtt.connectAsync(url, options);
  const topic = 'bench/' + qos + '/' + Math.random().toString(16).slice(2);
  await subscriber.subscribeAsync(topic, { qos });
  let received = 0;
  let lastAt = 0;
  const done = new Promise((resolve) => subscriber.on('message', () => {
    if (++received === messages) { lastAt = performance.now(); resolve(); }
  }));
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  const started = performance.now();
  // Awaited batches: MQTT.js slows down badly when one synchronous loop queues everything.
  for (let sent = 0; sent < messages; sent += batch) {
    const pending = [];
    for (let i = sent; i < Math.min(messages, sent + batch); i++)
      pending.push(publisher.publishAsync(topic, payload, { qos }));
    await Promise.all(pending);
  }
  await Promise.race([done, timeout]);
  clearTimeout(timer);
  subscriber.end(true);
  publisher.end(true);
  console.log(JSON.stringify({ received, seconds: (lastAt - started) / 1000 }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Messages per second for one run, or NaN if not everything arrived in time. */
function runOnce(port: number, qos: 0 | 1, messages: number): Promise<number> {
  const args = [port, qos, messages, BATCH, PAYLOAD.toString('hex'), RUN_TIMEOUT_MS].map(String);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', CLIENTS, ...args],
      { cwd: path.join(__dirname, '..'), timeout: RUN_TIMEOUT_MS + 10_000 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`bench clients failed: ${error.message}\n${stderr}`));
          return;
        }
        const { received, seconds } = JSON.parse(stdout) as { received: number; seconds: number };
        resolve(received === messages ? messages / seconds : NaN);
      },
    );
  });
}

function median(values: number[]): number {
  const ok = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (ok.length === 0) return NaN;
  const mid = ok.length >> 1;
  return ok.length % 2 ? ok[mid] : (ok[mid - 1] + ok[mid]) / 2;
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'lost');

export async function benchLocalBroker(
  options: LocalBrokerBenchOptions = {},
): Promise<{ lines: string[] }> {
  const messages = options.messages ?? MESSAGES;
  const runs = options.runs ?? RUNS;
  const brokers = VERSIONS.map((v) => ({ ...v, broker: new LocalBroker(silentLogger, v.load) }));
  const rates = brokers.map(() => ({ 0: [] as number[], 1: [] as number[] }));
  try {
    const ports: number[] = [];
    for (const b of brokers) ports.push((await b.broker.start({ port: 0 })).port);
    // One small warm-up per broker so the first measured run is not also JIT time.
    for (const port of ports) await runOnce(port, 0, 5_000);
    for (let run = 0; run < runs; run++) {
      for (const qos of [0, 1] as const) {
        for (let i = 0; i < brokers.length; i++) {
          rates[i][qos].push(await runOnce(ports[i], qos, messages));
        }
      }
    }
  } finally {
    for (const b of brokers) await b.broker.stop();
  }

  const medians = rates.map((r) => ({ 0: median(r[0]), 1: median(r[1]) }));
  const name = (s: string) => s.padEnd(30);
  const cell = (s: string) => s.padStart(12);
  const lines = [
    `local broker throughput, msgs/s, median of ${runs} (MQTT.js → LocalBroker → MQTT.js, MQTT 3.1.1, ${int(messages)} × ${PAYLOAD.length} B)`,
    `${name('')}${cell('QoS 0')}${cell('QoS 1')}`,
    ...brokers.map(
      (b, i) => `${name(b.name)}${cell(int(medians[i][0]))}${cell(int(medians[i][1]))}`,
    ),
    `${name('ratio 2.0.0-beta.1 / 1.2.0')}${cell((medians[0][0] / medians[1][0]).toFixed(2))}${cell((medians[0][1] / medians[1][1]).toFixed(2))}`,
    `${name('runs (2.0.0-beta.1)')} QoS 0: ${rates[0][0].map(int).join(', ')}; QoS 1: ${rates[0][1].map(int).join(', ')}`,
    `${name('runs (1.2.0)')} QoS 0: ${rates[1][0].map(int).join(', ')}; QoS 1: ${rates[1][1].map(int).join(', ')}`,
  ];
  return { lines };
}

if (require.main === module) {
  benchLocalBroker().then(
    ({ lines }) => console.log(lines.join('\n')),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
