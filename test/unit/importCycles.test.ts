/**
 * No module under src/ imports itself back through others, type-only imports included: a cycle
 * makes the order of evaluation matter and hides which file owns a type.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const found: string[] = [];
  for (const [, spec] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const base = path.resolve(path.dirname(file), spec.replace(/\.js$/, ''));
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target) found.push(target);
  }
  return found;
}

/** Every cycle found by a depth-first walk, each as the chain of files that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

it('finds a cycle when there is one (the check can fail)', () => {
  const graph = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
  ]);
  assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
});

it('src/ has no import cycle', () => {
  const files = sources(SRC);
  assert.ok(files.length > 50, `only ${files.length} files found under ${SRC}`);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const found = cycles(graph).map((c) => c.map((f) => path.relative(SRC, f)).join(' → '));
  assert.deepEqual(found, []);
});
