/**
 * `npm run bench`: the message store under flood-sized loads, each figure next to a baseline
 * measured in the same run. Targets are printed as PASS/MISS, not asserted: this is a
 * measurement, and the exit code is non-zero only when the bench itself fails.
 * Sections: a ingest through the real session, b memory with a byte budget, c paging; then the
 * Message Log webview's frames in headless Chromium (bench/webviewFrames.ts), and the embedded
 * broker's throughput on both aedes versions (bench/localBroker.ts).
 * `npm run bench -- ingest --runs 7` runs only the sections named (ingest, memory, paging,
 * webview, broker), the ingest section with 7 measured rounds instead of 5.
 */
import * as os from 'node:os';
import { benchIngest, type Variant } from './ingest';
import { benchMemory } from './memory';
import { PAGING_CASES, benchPaging } from './paging';
import { benchLocalBroker } from './localBroker';
import { benchWebviewFrames } from './webviewFrames';
import { benchDecoding } from './decoding';
import { int, median, mib, micros, printTable, ratio, verdict, type Row } from './table';

const INGEST_MESSAGES = 300_000;
const DEFAULT_INGEST_RUNS = 5;
/** What the pipeline must keep of the bare client's rate. */
const INGEST_TARGET = 0.7;
/** The packet trace, off: nothing measurable (within the noise of a round); on: at most 15 %. */
const TRACE_OFF_TARGET = 0.97;
const TRACE_ON_TARGET = 0.85;
const SECTIONS = ['ingest', 'memory', 'paging', 'decoding', 'webview', 'broker'] as const;
type Section = (typeof SECTIONS)[number];
const MEMORY_MESSAGES = 1_000_000;
const BUDGET = 64 * 1024 * 1024;
const PAGING_ROWS = 1_000_000;
const PAGES = 1_000;
/** Per case: a slow baseline stops early and reports the mean of the pages it did. */
const PAGING_BUDGET_MS = 2_000;

interface Options {
  sections: ReadonlySet<Section>;
  ingestRuns: number;
}

function parseOptions(args: string[]): Options {
  const sections = new Set<Section>();
  let ingestRuns = DEFAULT_INGEST_RUNS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const runs = /^--runs(?:=(.*))?$/.exec(arg);
    if (runs) {
      const value = runs[1] ?? args[++i];
      ingestRuns = Number(value);
      if (!Number.isInteger(ingestRuns) || ingestRuns < 1)
        throw new Error(`--runs wants a whole number of at least 1, not "${value ?? ''}"`);
    } else if ((SECTIONS as readonly string[]).includes(arg)) {
      sections.add(arg as Section);
    } else {
      throw new Error(
        `unknown argument "${arg}"; sections: ${SECTIONS.join(', ')}; option: --runs N`,
      );
    }
  }
  return { sections: sections.size > 0 ? sections : new Set(SECTIONS), ingestRuns };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const cpu = os.cpus();
  console.log(
    `MQTT Scope message store bench — Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim()}, ` +
      `load average ${os.loadavg()[0].toFixed(2)} at start`,
  );
  const rows: Row[] = [];
  const verdicts: string[] = [];
  if (options.sections.has('ingest'))
    verdicts.push(...(await ingestRows(options.ingestRuns, rows)));
  if (options.sections.has('memory')) await memoryRows(rows);
  if (options.sections.has('paging')) await pagingRows(rows);
  if (options.sections.has('decoding')) await decodingRows(rows);

  if (rows.length > 0) {
    console.log('');
    printTable(['figure', 'measured', 'baseline', 'ratio', 'target', 'result'], rows);
    console.log(
      `\nratio = measured / baseline. Took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    );
    for (const line of verdicts) console.log(line);
  }

  if (options.sections.has('webview')) {
    console.log('');
    for (const line of (await benchWebviewFrames()).lines) console.log(line);
  }
  if (options.sections.has('broker')) {
    console.log('');
    for (const line of (await benchLocalBroker()).lines) console.log(line);
  }
}

/** Section a; returns the target's verdict lines. */
async function ingestRows(runs: number, rows: Row[]): Promise<string[]> {
  const loadBefore = os.loadavg()[0];
  const ingest = await benchIngest(INGEST_MESSAGES, runs);
  const bare = median(ingest.rates.bare);
  const session = median(ingest.rates.session);
  const pipeline = median(ingest.rates.pipeline);
  const cpuBare = median(ingest.cpuRates.bare);
  const cpuPipeline = median(ingest.cpuRates.pipeline);
  const wallRatio = pipeline / bare;
  const cpuRatio = cpuPipeline / cpuBare;
  // Each round measures the variants back to back, so its own ratio is spared the drift
  // between rounds on a shared machine.
  const perRound = (rates: Record<Variant, number[]>) => {
    const ratios = rates.pipeline.map((p, r) => p / rates.bare[r]);
    return `${ratios.map(ratio).join(' / ')} (median ${ratio(median(ratios))})`;
  };
  rows.push(
    [
      `a. ingest, msgs/s, median of ${runs} (${int(INGEST_MESSAGES)} × 50 B JSON, 1,000 topics, QoS 0, replay server)`,
    ],
    ['   bare MQTT.js subscriber (the ceiling)', int(bare), int(bare), ratio(1), '', ''],
    ['   MqttSession + topic tree', int(session), int(bare), ratio(session / bare), '', ''],
    [
      '   MqttSession + tree + store.append + events (the pipeline)',
      int(pipeline),
      int(bare),
      ratio(wallRatio),
      `≥ ${INGEST_TARGET.toFixed(2)}`,
      verdict(wallRatio >= INGEST_TARGET),
    ],
    [
      '   same, per second of client CPU time (robust on a busy machine)',
      int(cpuPipeline),
      int(cpuBare),
      ratio(cpuRatio),
      `≥ ${INGEST_TARGET.toFixed(2)}`,
      verdict(cpuRatio >= INGEST_TARGET),
    ],
    [
      `   runs: bare ${ingest.rates.bare.map(int).join(' / ')}; session ${ingest.rates.session.map(int).join(' / ')}; pipeline ${ingest.rates.pipeline.map(int).join(' / ')}`,
    ],
    [
      `   pipeline ratio per round: wall ${perRound(ingest.rates)}; CPU ${perRound(ingest.cpuRates)}`,
    ],
    [
      `   ${ingest.pipelineEvents} notifications in the last pipeline run; load average ${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`,
    ],
  );
  const line = (name: string, r: number) => `${name} ${ratio(r)} ${verdict(r >= INGEST_TARGET)}`;
  return [
    `pipeline ratio ≥ ${INGEST_TARGET.toFixed(2)} (median of ${runs}): ${line('wall clock', wallRatio)}, ${line('CPU time', cpuRatio)}`,
    ...traceRows(ingest, rows),
    decoderRuleRow(ingest, rows),
  ];
}

/** The pipeline with a decoder rule and an open log's rows decoded, against the bare client. */
function decoderRuleRow(ingest: Awaited<ReturnType<typeof benchIngest>>, rows: Row[]): string {
  const perRound = (rates: Record<Variant, number[]>) =>
    median(rates.decoderRule.map((x, r) => x / rates.bare[r]));
  const wall = perRound(ingest.rates);
  const cpu = perRound(ingest.cpuRates);
  rows.push(
    ['a3. decoder rule on every topic, an open log decoding its 50 newest rows per notification'],
    [
      '   pipeline + decoder rule, msgs/s (baseline: bare MQTT.js)',
      int(median(ingest.rates.decoderRule)),
      int(median(ingest.rates.bare)),
      ratio(wall),
      `≥ ${INGEST_TARGET.toFixed(2)}`,
      verdict(wall >= INGEST_TARGET),
    ],
    [
      '     per second of client CPU time',
      int(median(ingest.cpuRates.decoderRule)),
      int(median(ingest.cpuRates.bare)),
      ratio(cpu),
      `≥ ${INGEST_TARGET.toFixed(2)}`,
      verdict(cpu >= INGEST_TARGET),
    ],
    [
      `     ratio to the pipeline without a rule, median per round: wall ${ratio(median(ingest.rates.decoderRule.map((x, r) => x / ingest.rates.pipeline[r])))}, CPU ${ratio(median(ingest.cpuRates.decoderRule.map((x, r) => x / ingest.cpuRates.pipeline[r])))}`,
    ],
  );
  return `pipeline + decoder rule ratio to bare ≥ ${INGEST_TARGET.toFixed(2)}: wall ${ratio(wall)} ${verdict(wall >= INGEST_TARGET)}, CPU ${ratio(cpu)} ${verdict(cpu >= INGEST_TARGET)}`;
}

/** Section d: µs per message for each decoder, the same reading in every format. */
async function decodingRows(rows: Row[]): Promise<void> {
  const { cases, baselineMicros } = await benchDecoding();
  rows.push([
    'd. decoding, µs per message, one telemetry reading in each format (baseline: JSON.parse of its JSON)',
  ]);
  for (const c of cases) {
    rows.push([
      `   ${c.name}, ${c.bytes} B: detail (decodePayload)`,
      micros(c.detailMicros),
      micros(baselineMicros),
      ratio(c.detailMicros / baselineMicros),
      '≤ 100 µs',
      verdict(c.detailMicros <= 100),
    ]);
    rows.push([`     row preview (toLogRow) ${micros(c.rowMicros)}`]);
  }
}

/** The packet trace off and on, each against the pipeline of the same round. */
function traceRows(ingest: Awaited<ReturnType<typeof benchIngest>>, rows: Row[]): string[] {
  const perRound = (rates: Record<Variant, number[]>, v: Variant) =>
    median(rates[v].map((x, r) => x / rates.pipeline[r]));
  const figures = (v: Variant, target: number, label: string) => {
    const wall = perRound(ingest.rates, v);
    const cpu = perRound(ingest.cpuRates, v);
    const bare = median(ingest.rates.bare);
    rows.push(
      [
        `   ${label}`,
        int(median(ingest.rates[v])),
        int(median(ingest.rates.pipeline)),
        ratio(wall),
        `≥ ${target.toFixed(2)}`,
        verdict(wall >= target),
      ],
      [
        `     per second of client CPU time; ${ratio(median(ingest.rates[v]) / bare)} of bare`,
        int(median(ingest.cpuRates[v])),
        int(median(ingest.cpuRates.pipeline)),
        ratio(cpu),
        `≥ ${target.toFixed(2)}`,
        verdict(cpu >= target),
      ],
    );
    const runs = ingest.rates[v].map((x, r) => ratio(x / ingest.rates.pipeline[r])).join(' / ');
    rows.push([`     ratio to the pipeline per round (wall): ${runs}`]);
    return `${label} (median per-round ratio to the pipeline): wall ${ratio(wall)} ${verdict(wall >= target)}, CPU ${ratio(cpu)} ${verdict(cpu >= target)} (target ≥ ${target.toFixed(2)})`;
  };
  rows.push(['a2. packet trace, msgs/s, baseline: the pipeline of the same round']);
  return [
    figures('traceOff', TRACE_OFF_TARGET, 'pipeline + packet trace off'),
    figures('traceOn', TRACE_ON_TARGET, 'pipeline + packet trace on'),
  ];
}

async function memoryRows(rows: Row[]): Promise<void> {
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
}

async function pagingRows(rows: Row[]): Promise<void> {
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
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('the bench failed:', error);
    process.exit(1);
  },
);
