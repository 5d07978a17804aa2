/**
 * The Message Log webview under load, in headless Chromium through the test harness
 * (test/webview/harness.ts: the real bundle, CSP and core behind a fake host):
 *   a. a live tail: 20,000 messages/s appended in slices every 10 ms, stats every 100 ms as the
 *      host sends them, Follow on, for 10 s — frame times (requestAnimationFrame deltas) and the
 *      latency from a message's append to its row appearing in the DOM, against the same page
 *      idle (no traffic) measured in the same run;
 *   b. scrolling a 1,000,000-row log from top to bottom in ~5 s of scrollTop steps (one per
 *      frame) — frame times against the idle page.
 * Targets are printed as PASS/MISS, not asserted.
 */
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import type { Page } from 'playwright-core';
import { LogHost } from '../test/webview/logHost';
import {
  launch,
  repoRoot,
  settle,
  visibleSeqs,
  withOpenLog,
  type LogPage,
} from '../test/webview/harness';
import { int, ratio, tableLines, verdict, type Row } from './table';

const RATE = 20_000;
const SLICE_MS = 10;
const LIVE_MS = 10_000;
const IDLE_MS = 3_000;
const SCROLL_ROWS = 1_000_000;
const SCROLL_MS = 5_000;
const FRAME_TARGET_MS = 50;
const LATENCY_TARGET_MS = 250;

interface PageSample {
  frames: number[];
  seen: [number, number][];
  loadingFrames: number;
  /** Durations of the page's main-thread tasks over 50 ms (PerformanceObserver 'longtask'). */
  longTasks: number[];
}

/** Page-side recorder: rAF deltas, and the Date.now() at which each seq first enters the DOM. */
function installRecorder(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    let frames: number[] = [];
    let seen = new Map<number, number>();
    let loadingFrames = 0;
    let longTasks: number[] = [];
    let running = false;
    new PerformanceObserver((list) => {
      if (running) for (const e of list.getEntries()) longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    let last = 0;
    const tick = (t: number) => {
      if (!running) return;
      if (last) frames.push(t - last);
      last = t;
      if (document.querySelector('.grid-row.loading')) loadingFrames++;
      requestAnimationFrame(tick);
    };
    const note = (n: Node) => {
      const seq = Number((n as HTMLElement).dataset?.seq);
      if (seq > 0 && !seen.has(seq)) seen.set(seq, Date.now());
    };
    const observer = new MutationObserver((records) => {
      if (!running) return;
      for (const r of records) {
        if (r.type === 'attributes') note(r.target);
        else r.addedNodes.forEach(note);
      }
    });
    observer.observe(document.querySelector('.grid-rows')!, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-seq'],
    });
    w.__bench = {
      start() {
        frames = [];
        seen = new Map();
        loadingFrames = 0;
        longTasks = [];
        last = 0;
        running = true;
        requestAnimationFrame(tick);
      },
      stop() {
        running = false;
        return { frames, seen: [...seen.entries()], loadingFrames, longTasks };
      },
    };
  });
}

const start = (page: Page) =>
  page.evaluate(() => (window as unknown as { __bench: { start(): void } }).__bench.start());
const stop = (page: Page) =>
  page.evaluate(() => (window as unknown as { __bench: { stop(): PageSample } }).__bench.stop());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const max = (v: number[]) => (v.length ? Math.max(...v) : NaN);
/** "3 frames over 50 ms; 1 long task (72 ms)" */
function jank(s: PageSample): string {
  const slow = s.frames.filter((f) => f > FRAME_TARGET_MS).length;
  const tasks = s.longTasks.length
    ? `${s.longTasks.length} long task${s.longTasks.length === 1 ? '' : 's'} (longest ${s.longTasks.reduce((a, b) => Math.max(a, b), 0).toFixed(0)} ms)`
    : 'no long task';
  return `${slow} frame${slow === 1 ? '' : 's'} over ${FRAME_TARGET_MS} ms, ${tasks}`;
}

async function idle(log: LogPage, duration: number): Promise<PageSample> {
  await start(log.page);
  await sleep(duration);
  return stop(log.page);
}

async function live(
  log: LogPage,
): Promise<{ sample: PageSample; latencies: number[]; appended: number; seconds: number }> {
  const { host, page } = log;
  /** [first seq, last seq, append time] of each slice. */
  const slices: [number, number, number][] = [];
  const payloads = Array.from({ length: 256 }, (_, i) =>
    Buffer.from(JSON.stringify({ temp: 20 + (i % 10) / 10, hum: 40 + (i % 30), ok: i % 2 === 0 })),
  );
  let appended = 0;
  await start(page);
  host.scheduler.release();
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Date.now();
      const due = Math.min(RATE * (LIVE_MS / 1000), Math.floor(((now - t0) * RATE) / 1000));
      let first = 0;
      let last = 0;
      for (; appended < due; appended++) {
        last = host.store.append('local', 'in', {
          topic: `plant/line${appended % 10}/sensor${appended % 1000}`,
          payload: payloads[appended & 255],
          qos: 0,
          retain: false,
          receivedAt: now,
        });
        if (!first) first = last;
      }
      if (first) slices.push([first, last, now]);
      if (now - t0 >= LIVE_MS) {
        clearInterval(timer);
        resolve();
      }
    }, SLICE_MS);
  });
  const seconds = (Date.now() - t0) / 1000;
  await sleep(400); // let the last stats and rows land
  const sample = await stop(page);
  const latencies: number[] = [];
  for (const [seq, seenAt] of sample.seen) {
    let lo = 0;
    let hi = slices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (slices[mid][1] < seq) lo = mid + 1;
      else if (slices[mid][0] > seq) hi = mid - 1;
      else {
        latencies.push(seenAt - slices[mid][2]);
        break;
      }
    }
  }
  return { sample, latencies, appended, seconds };
}

async function sweep(page: Page, duration: number): Promise<void> {
  await page.evaluate(
    (d) =>
      new Promise<void>((resolve) => {
        const s = document.querySelector<HTMLElement>('.grid-scroller')!;
        const t0 = performance.now();
        const step = (t: number) => {
          const f = Math.min(1, (t - t0) / d);
          s.scrollTop = f * (s.scrollHeight - s.clientHeight);
          if (f < 1) requestAnimationFrame(step);
          else resolve();
        };
        requestAnimationFrame(step);
      }),
    duration,
  );
}

/** The two frame-time rows: the sample against the idle baseline, the max against its target. */
function frameRows(sample: PageSample, base: PageSample): Row[] {
  const fMax = max(sample.frames);
  const fP99 = quantile(sample.frames, 0.99);
  const bMax = max(base.frames);
  const bP99 = quantile(base.frames, 0.99);
  return [
    [
      '   frame time, max',
      ms(fMax),
      ms(bMax),
      ratio(fMax / bMax),
      `≤ ${FRAME_TARGET_MS} ms`,
      verdict(fMax <= FRAME_TARGET_MS),
    ],
    ['   frame time, p99', ms(fP99), ms(bP99), ratio(fP99 / bP99), '', ''],
  ];
}

export async function benchWebviewFrames(): Promise<{ lines: string[] }> {
  const started = Date.now();
  const load = os.loadavg()[0].toFixed(2);
  // The page runs the bundle in dist/webview: build it so the bench measures the current code.
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  const env = await launch();
  const rows: Row[] = [];
  let version = '';
  try {
    version = env.browser.version();

    // a. live tail
    const host = new LogHost({ maxMessages: 100_000 });
    host.fill(1_000);
    await withOpenLog(env, host, async (log) => {
      await installRecorder(log.page);
      const base = await idle(log, IDLE_MS);
      const requestsBefore = host.ofType('rows').length;
      const run = await live(log);
      const requests = host.ofType('rows').slice(requestsBefore);
      const l50 = quantile(run.latencies, 0.5);
      const l99 = quantile(run.latencies, 0.99);
      const tail = await visibleSeqs(log.page);
      rows.push(
        [
          `a. live tail: ${int(RATE)} msgs/s in ${SLICE_MS} ms slices for ${LIVE_MS / 1000} s, stats every 100 ms, Follow on (baseline: same page idle ${IDLE_MS / 1000} s)`,
        ],
        ...frameRows(run.sample, base),
        ['   append → row in DOM, p50', ms(l50), '', '', '', ''],
        [
          '   append → row in DOM, p99',
          ms(l99),
          '',
          '',
          `≤ ${LATENCY_TARGET_MS} ms`,
          verdict(l99 <= LATENCY_TARGET_MS),
        ],
        [
          `   ${int(run.appended)} messages in ${run.seconds.toFixed(1)} s (${int(run.appended / run.seconds)}/s); ${int(run.sample.frames.length)} frames (idle ${int(base.frames.length)}); ` +
            `${int(run.latencies.length)} rows shown; ${int(requests.length)} rows requests, largest ${int(max(requests.map((r) => r.count)))} rows; ` +
            `newest row at the end ${int(max(tail))} of ${int(host.store.stats().lastSeq)}`,
        ],
        [`   live: ${jank(run.sample)}; idle: ${jank(base)}`],
      );
    });

    // b. scrolling a million rows
    const big = new LogHost({ maxMessages: SCROLL_ROWS });
    big.fill(SCROLL_ROWS, 1000);
    await withOpenLog(env, big, async (log) => {
      await log.page.evaluate(
        () => (document.querySelector<HTMLElement>('.grid-scroller')!.scrollTop = 0),
      );
      await settle(log);
      await installRecorder(log.page);
      const base = await idle(log, IDLE_MS);
      const before = big.ofType('rows').length;
      await start(log.page);
      await sweep(log.page, SCROLL_MS);
      const sample = await stop(log.page);
      await settle(log);
      const requests = big.ofType('rows').slice(before);
      const last = await visibleSeqs(log.page);
      rows.push(
        [
          `b. scrolling ${int(SCROLL_ROWS)} rows top to bottom in ${SCROLL_MS / 1000} s, one scrollTop step per frame (baseline: same page idle ${IDLE_MS / 1000} s)`,
        ],
        ...frameRows(sample, base),
        [
          `   ${int(sample.frames.length)} frames, ${int(sample.loadingFrames)} with rows still loading; ${int(requests.length)} rows requests, largest ${int(max(requests.map((r) => r.count)))} rows; ` +
            `last row shown ${int(max(last))}`,
        ],
        [`   scrolling: ${jank(sample)}; idle: ${jank(base)}`],
      );
    });
  } finally {
    await env.close();
  }
  const lines = [
    `Message Log webview frames — Chromium ${version}, headless, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, load average ${load} at start; frame = requestAnimationFrame delta in the page`,
    '',
    ...tableLines(['figure', 'measured', 'baseline', 'ratio', 'target', 'result'], rows),
    '',
    `ratio = measured / baseline. Latency: Date.now() at append (Node) to Date.now() when the row's seq enters the grid's DOM (page), same machine. Took ${((Date.now() - started) / 1000).toFixed(0)} s.`,
  ];
  return { lines };
}

if (require.main === module) {
  benchWebviewFrames().then(
    ({ lines }) => {
      for (const l of lines) console.log(l);
      process.exit(0);
    },
    (error: unknown) => {
      console.error('the webview bench failed:', error);
      process.exit(1);
    },
  );
}
