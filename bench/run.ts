/**
 * `npm run bench`: the message store under flood-sized loads, each figure next to a baseline
 * measured in the same run. Targets are printed as PASS/MISS, not asserted: this is a
 * measurement, and the exit code is non-zero only when the bench itself fails.
 * Sections: a ingest through the real session, b memory with a byte budget, c paging; then the
 * Message Log webview's frames in headless Chromium (bench/webviewFrames.ts), and the embedded
 * broker's throughput on both aedes versions (bench/localBroker.ts).
 */
import * as os from 'node:os';
import { benchIngest } from './ingest';
import { benchMemory } from './memory';
import { PAGING_CASES, benchPaging } from './paging';
import { benchLocalBroker } from './localBroker';
import { benchWebviewFrames } from './webviewFrames';
import { int, median, mib, micros, printTable, ratio, verdict, type Row } from './table';

const INGEST_MESSAGES = 300_000;
const INGEST_RUNS = 3;
const MEMORY_MESSAGES = 1_000_000;
const BUDGET = 64 * 1024 * 1024;
const PAGING_ROWS = 1_000_000;
const PAGES = 1_000;
/** Per case: a slow baseline stops early and reports the mean of the pages it did. */
const PAGING_BUDGET_MS = 2_000;

async function main(): Promise<void> {
  const started = performance.now();
  const cpu = os.cpus();
  console.log(
    `MQTT Scope message store bench — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
      `load average ${os.loadavg()[0].toFixed(2)} at start`,
  );
  const rows: Row[] = [];

  const ingest = await benchIngest(INGEST_MESSAGES, INGEST_RUNS);
  const bare = median(ingest.rates.bare);
  const session = median(ingest.rates.session);
  const pipeline = median(ingest.rates.pipeline);
  rows.push(
    [
      `a. ingest, msgs/s, median of ${INGEST_RUNS} (${int(INGEST_MESSAGES)} × 50 B JSON, 1,000 topics, QoS 0, replay server)`,
    ],
    ['   bare MQTT.js subscriber (the ceiling)', int(bare), int(bare), ratio(1), '', ''],
    ['   MqttSession + topic tree', int(session), int(bare), ratio(session / bare), '', ''],
    [
      '   MqttSession + tree + store.append + events',
      int(pipeline),
      int(bare),
      ratio(pipeline / bare),
      '≥ 0.50',
      verdict(pipeline / bare >= 0.5),
    ],
    [
      '   same, per second of client CPU time (robust on a busy machine)',
      int(median(ingest.cpuRates.pipeline)),
      int(median(ingest.cpuRates.bare)),
      ratio(median(ingest.cpuRates.pipeline) / median(ingest.cpuRates.bare)),
      '(info)',
      '',
    ],
    [
      `   runs: bare ${ingest.rates.bare.map(int).join(' / ')}; session ${ingest.rates.session.map(int).join(' / ')}; pipeline ${ingest.rates.pipeline.map(int).join(' / ')}; ${ingest.pipelineEvents} notifications in the last pipeline run`,
    ],
  );

  const store = await benchMemory('store', MEMORY_MESSAGES, BUDGET);
  const naive = await benchMemory('naive', MEMORY_MESSAGES, BUDGET);
  const grown = (r: typeof store, v: number) => v - r.before;
  rows.push(
    [
      `b. memory, ${int(MEMORY_MESSAGES)} × 50 B through a ${mib(BUDGET)} budget (baseline: naive store, same caps)`,
    ],
    [
      '   store bytes (estimate) / budget',
      mib(store.storeBytes),
      mib(BUDGET),
      ratio(store.storeBytes / BUDGET),
      '≤ 1.00',
      verdict(store.storeBytes <= BUDGET),
    ],
    [
      `   entries kept ${int(store.count)}, heap+ArrayBuffers before ${mib(store.before)} (naive: ${mib(naive.before)})`,
    ],
    [
      '   peak heap+ArrayBuffers over before',
      mib(grown(store, store.peak)),
      mib(grown(naive, naive.peak)),
      ratio(grown(store, store.peak) / grown(naive, naive.peak)),
      '≤ 2 × budget',
      verdict(grown(store, store.peak) <= 2 * BUDGET),
    ],
    [
      '   retained after GC over before',
      mib(grown(store, store.retained)),
      mib(grown(naive, naive.retained)),
      ratio(grown(store, store.retained) / grown(naive, naive.retained)),
      '≤ budget',
      verdict(grown(store, store.retained) <= BUDGET),
    ],
    [
      `   retained, split: store JS heap +${mib(store.retainedHeap)}, ArrayBuffers +${mib(store.retainedBuffers)}; naive JS heap +${mib(naive.retainedHeap)}, ArrayBuffers +${mib(naive.retainedBuffers)}`,
    ],
    [
      '   append alone, msgs/s',
      int(store.appendRate),
      int(naive.appendRate),
      ratio(store.appendRate / naive.appendRate),
      '≥ 2,000,000',
      verdict(store.appendRate >= 2_000_000),
    ],
  );

  const paged = await benchPaging('store', PAGING_ROWS, PAGES, PAGING_BUDGET_MS);
  const naivePaged = await benchPaging('naive', PAGING_ROWS, PAGES, PAGING_BUDGET_MS);
  rows.push([
    `c. paging, µs per page of 200 rows from ${int(PAGING_ROWS)} rows, random positions (baseline: naive store)`,
  ]);
  for (const c of PAGING_CASES) {
    const us = paged.micros[c.name];
    const base = naivePaged.micros[c.name];
    const target = c.filter ? 5_000 : 100;
    const pages = `${paged.pages[c.name]}/${naivePaged.pages[c.name]} pages`;
    rows.push([
      `   ${c.name} (${pages})`,
      micros(us),
      micros(base),
      ratio(us / base),
      `≤ ${int(target)} µs`,
      verdict(us <= target && paged.rows[c.name] === paged.pages[c.name] * 200),
    ]);
  }

  console.log('');
  printTable(['figure', 'measured', 'baseline', 'ratio', 'target', 'result'], rows);
  console.log(
    `\nratio = measured / baseline. Took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
  );

  console.log('');
  for (const line of (await benchWebviewFrames()).lines) console.log(line);

  console.log('');
  for (const line of (await benchLocalBroker()).lines) console.log(line);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('the bench failed:', error);
    process.exit(1);
  },
);
