/**
 * Section b: 1,000,000 messages through a store with a byte budget: the peak and retained
 * memory (JS heap + ArrayBuffers, the slabs live in the latter) against the memory before,
 * the store's own byte count against the budget, and the throughput of append alone.
 * MessageStore and the naive baseline each run in a fresh process, so neither inherits the
 * other's heap.
 */
import { MessageStore } from '../src/core/store/messageStore';
import { realScheduler } from '../src/core/ports';
import { forkTs, serveRequests } from './child';
import { NaiveStore } from './naiveStore';
import { syntheticMessages, type SyntheticMessage } from './workload';

export type StoreKind = 'store' | 'naive';

export interface MemoryResult {
  /** Bytes of heap + ArrayBuffers before the store existed. */
  before: number;
  /** Highest sample while appending, garbage included. */
  peak: number;
  /** After a full GC, with the store still alive. */
  retained: number;
  /** The growth of `retained` split: JS heap, and ArrayBuffers (payload slabs, socket chunks). */
  retainedHeap: number;
  retainedBuffers: number;
  storeBytes: number;
  count: number;
  /** Messages per second of append alone, on pre-built messages. */
  appendRate: number;
}

interface Appender {
  append(m: SyntheticMessage): void;
  bytes(): number;
  count(): number;
}

function open(kind: StoreKind, maxMessages: number, maxBytes: number): Appender {
  if (kind === 'naive') {
    const naive = new NaiveStore(maxMessages, maxBytes);
    return {
      append: (m) => naive.append('bench', 'in', m),
      bytes: () => naive.storedBytes,
      count: () => naive.count,
    };
  }
  const store = new MessageStore({ scheduler: realScheduler, maxMessages, maxBytes });
  return {
    append: (m) => store.append('bench', 'in', m),
    bytes: () => store.stats().bytes,
    count: () => store.stats().count,
  };
}

function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * A full collection, twice with a pause: ArrayBuffer memory is released by a sweeper that runs
 * after the GC, so one gc() can still count dead socket-chunk copies.
 */
async function gc(): Promise<void> {
  if (!global.gc) throw new Error('run the bench with node --expose-gc');
  for (let k = 0; k < 2; k++) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measure(kind: StoreKind, messages: number, budget: number): Promise<MemoryResult> {
  await gc();
  const before = used();
  const start = process.memoryUsage();
  let peak = before;
  let store: Appender | undefined = open(kind, messages, budget);
  let i = 0;
  for (const m of syntheticMessages(messages)) {
    store.append(m);
    if (++i % 10_000 === 0) peak = Math.max(peak, used());
  }
  await gc();
  const retained = used();
  const end = process.memoryUsage();
  const result = { storeBytes: store.bytes(), count: store.count() };
  store = undefined;

  // Append alone: messages are built untimed in small batches, then appended timed, so the
  // payloads are still in the CPU cache as they are when MQTT.js just parsed them, every topic
  // string is fresh (no hash computed yet), and the GC work the store causes is counted.
  const timed = open(kind, messages, budget);
  await gc();
  const BATCH = 1_000;
  const source = syntheticMessages(messages);
  const batch: SyntheticMessage[] = [];
  let elapsed = 0;
  for (let done = 0; done < messages; done += BATCH) {
    batch.length = 0;
    for (let k = 0; k < BATCH; k++) batch.push(source.next().value as SyntheticMessage);
    const t0 = performance.now();
    for (let k = 0; k < BATCH; k++) timed.append(batch[k]);
    elapsed += performance.now() - t0;
  }
  return {
    before,
    peak,
    retained,
    retainedHeap: end.heapUsed - start.heapUsed,
    retainedBuffers: end.arrayBuffers - start.arrayBuffers,
    ...result,
    appendRate: (messages / elapsed) * 1000,
  };
}

export function benchMemory(
  kind: StoreKind,
  messages: number,
  budget: number,
): Promise<MemoryResult> {
  const child = forkTs(__filename, ['--memory', kind]);
  return child.ask<MemoryResult>({ messages, budget }).finally(() => child.close());
}

if (process.argv[2] === '--memory') {
  const kind = process.argv[3] as StoreKind;
  serveRequests(async (request) => {
    const { messages, budget } = request as { messages: number; budget: number };
    return measure(kind, messages, budget);
  });
}
