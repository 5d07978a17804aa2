/**
 * Numeric fields of a decoded payload (`DecodedNode`, whatever decoder made it), named by a path
 * a user can read and type: `temp`, `a.b[2].c`, `["odd key"]`, and for a list of named items
 * (Sparkplug metrics, any `[{ "name": … }]`) the item by its name: `metrics["Motor/RPM"].value`.
 * The empty path is the payload itself as a number (text such as "21.5").
 */
import type { DecodedNode } from '../../protocol/decoded';

/** The path of the payload itself, read as a number. */
export const PAYLOAD_PATH = '';

/** One step of a path: a map key or list item by name (string), or a list index (number). */
export type PathStep = string | number;

export interface NumericField {
  path: string;
  /** The value in the message the field was found in. */
  value: number;
}

/** Fields listed at most; a payload with more is cut (the pick shows these). */
export const MAX_FIELDS = 500;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** A number as text: what "the payload as a number" accepts (no hex, no empty string). */
const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** The number a leaf holds: a number, a big integer (rounded), or a numeric string. */
export function leafNumber(node: DecodedNode): number | undefined {
  switch (node.t) {
    case 'num':
      return Number.isFinite(node.v) ? node.v : undefined;
    case 'int':
      return Number(node.v);
    case 'str':
      return textNumber(node.v);
    default:
      return undefined;
  }
}

/** Text that is a number and nothing else ("21.5", " -3e2 "), as a number. */
export function textNumber(text: string): number | undefined {
  if (text.length > 64 || !NUMBER_TEXT.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** Every numeric leaf of a tree, depth first, in the order sent, at most `limit`. */
export function numericFields(root: DecodedNode, limit = MAX_FIELDS): NumericField[] {
  const out: NumericField[] = [];
  const visit = (node: DecodedNode, path: string): void => {
    if (node.t === 'map') {
      for (const [key, item] of node.entries) {
        if (out.length >= limit) return;
        visit(item, path + keyStep(key, path === ''));
      }
      return;
    }
    if (node.t === 'list') {
      const names = nameCounts(node.items);
      for (let i = 0; i < node.items.length && out.length < limit; i++)
        visit(node.items[i], path + listStep(node.items[i], i, names));
      return;
    }
    if (out.length >= limit) return;
    const value = leafNumber(node);
    if (value !== undefined) out.push({ path, value });
  };
  visit(root, PAYLOAD_PATH);
  return out;
}

/** The value at `path`, when it is a number. */
export function readField(root: DecodedNode, steps: readonly PathStep[]): number | undefined {
  let node: DecodedNode | undefined = root;
  for (const step of steps) {
    node = child(node, step);
    if (!node) return undefined;
  }
  return leafNumber(node);
}

function child(node: DecodedNode, step: PathStep): DecodedNode | undefined {
  if (node.t === 'map') {
    const key = String(step);
    for (const [k, v] of node.entries) if (k === key) return v;
    return undefined;
  }
  if (node.t !== 'list') return undefined;
  if (typeof step === 'number') return node.items[step];
  for (const item of node.items) if (nameOf(item) === step) return item;
  return undefined;
}

/** The `name` of a list item that is a map with a text `name` entry. */
function nameOf(item: DecodedNode): string | undefined {
  if (item.t !== 'map') return undefined;
  for (const [k, v] of item.entries) if (k === 'name' && v.t === 'str') return v.v;
  return undefined;
}

function keyStep(key: string, first: boolean): string {
  if (IDENTIFIER.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

/** How many items of a list carry each name (counted once per list). */
function nameCounts(items: readonly DecodedNode[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const name = nameOf(item);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** A named item by its name when the name is unique in the list, else by index. */
function listStep(item: DecodedNode, index: number, names: Map<string, number>): string {
  const name = nameOf(item);
  if (name !== undefined && names.get(name) === 1) return `[${JSON.stringify(name)}]`;
  return `[${index}]`;
}

/**
 * A path's steps, or an error naming what is wrong and where: `a.b[2]["x y"]` →
 * `['a', 'b', 2, 'x y']`. The empty path has no steps (the payload itself).
 */
export function parsePath(path: string): { steps: PathStep[] } | { error: string } {
  const steps: PathStep[] = [];
  let i = 0;
  const fail = (what: string, at = i) => ({
    error: `${what} at character ${at + 1} of the field path`,
  });
  while (i < path.length) {
    const c = path[i];
    if (c === '[') {
      const rest = path.slice(i + 1);
      const index = /^(\d{1,9})\]/.exec(rest);
      if (index) {
        steps.push(Number(index[1]));
        i += index[0].length + 1;
        continue;
      }
      const quoted = /^("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!quoted) return fail('expected an index or a quoted name after "["');
      try {
        steps.push(JSON.parse(quoted[1]) as string);
      } catch {
        return fail('a quoted name that is not valid');
      }
      i += quoted[0].length + 1;
      continue;
    }
    if (c === '.' && steps.length === 0) return fail('a "." before any name');
    const start = c === '.' ? i + 1 : i;
    if (c !== '.' && steps.length > 0) return fail('expected "." or "["');
    const name = /^[A-Za-z_$][\w$]*/.exec(path.slice(start));
    if (!name) return fail('expected a name', start);
    steps.push(name[0]);
    i = start + name[0].length;
  }
  return { steps };
}
