// `test` for the UI test files: node:test's `test`, except that when the runner asks for a
// shuffle (`test/e2e/run.ts --shuffle`, which sets $MQTT_SCOPE_E2E_SHUFFLE to a seed) the tests
// of a file are registered in an order drawn from that seed and the file's name. A test that
// only passes after another one shows up as a failure in some order; the seed printed by the
// runner replays it.
import path from 'node:path';
import { test as nodeTest, type TestContext } from 'node:test';
import { random } from '../support/random';

type TestFn = (t: TestContext) => void | Promise<void>;

const seedText = process.env.MQTT_SCOPE_E2E_SHUFFLE;
const pending: { name: string; fn: TestFn }[] = [];

/** Registers a test of this file (in a shuffled order when the runner asks for one). */
export function test(name: string, fn: TestFn): void {
  if (seedText === undefined) {
    nodeTest(name, fn);
    return;
  }
  // Top-level tests may be registered later in the same process: collect them all, then
  // register them shuffled once the file's module body has run.
  if (pending.length === 0) setImmediate(registerShuffled);
  pending.push({ name, fn });
}

function registerShuffled(): void {
  const file = path.basename(process.argv[1] ?? '');
  const next = random(hash(`${seedText}:${file}`));
  for (let i = pending.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pending[i], pending[j]] = [pending[j], pending[i]];
  }
  console.log(`[e2e] ${file}: order ${pending.map((p) => JSON.stringify(p.name)).join(', ')}`);
  for (const { name, fn } of pending) nodeTest(name, fn);
}

/** A 32-bit FNV-1a hash of `text`. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
