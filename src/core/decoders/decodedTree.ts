/**
 * Plain JavaScript values (from JSON.parse, cbor-x, @msgpack/msgpack, protobufjs) as a
 * `DecodedNode` tree, bounded: at most `MAX_DEPTH` levels and `MAX_NODES` nodes, so a hostile
 * payload (deep nesting, millions of tiny items) cannot exhaust the host. And the tree as
 * JSON-like display text.
 */
import type { DecodedNode } from '../../protocol/decoded';
import { toHex } from '../../shared/hex';

export const MAX_DEPTH = 64;
export const MAX_NODES = 100_000;
/** Bytes inside a value show this many as hex. */
const BYTES_SHOWN = 64;

export function toDecodedNode(value: unknown): DecodedNode {
  const budget = { left: MAX_NODES };
  return convert(value, 0, budget);
}

function convert(value: unknown, depth: number, budget: { left: number }): DecodedNode {
  if (budget.left-- <= 0) return { t: 'cut', why: `more than ${MAX_NODES} values` };
  if (value === null || value === undefined) return { t: 'null' };
  switch (typeof value) {
    case 'boolean':
      return { t: 'bool', v: value };
    case 'number':
      return { t: 'num', v: value };
    case 'bigint':
      return Number.isSafeInteger(Number(value))
        ? { t: 'num', v: Number(value) }
        : { t: 'int', v: value.toString() };
    case 'string':
      return { t: 'str', v: value };
    case 'object':
      break;
    default:
      return { t: 'str', v: String(value) };
  }
  if (value instanceof Uint8Array) return bytesNode(value);
  // CBOR and MessagePack timestamps; CBOR typed arrays (RFC 8746) as lists of numbers.
  if (value instanceof Date)
    return { t: 'str', v: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return convert(Array.from(value as unknown as ArrayLike<number>), depth, budget);
  if (depth >= MAX_DEPTH) return { t: 'cut', why: `nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    const items: DecodedNode[] = [];
    for (const item of value) {
      if (budget.left <= 0) {
        items.push({ t: 'cut', why: `more than ${MAX_NODES} values` });
        break;
      }
      items.push(convert(item, depth + 1, budget));
    }
    return { t: 'list', items };
  }
  const entries: [string, DecodedNode][] = [];
  const pairs: Iterable<[unknown, unknown]> =
    value instanceof Map ? value.entries() : Object.entries(value as Record<string, unknown>);
  for (const [key, item] of pairs) {
    if (budget.left <= 0) {
      entries.push(['…', { t: 'cut', why: `more than ${MAX_NODES} values` }]);
      break;
    }
    entries.push([typeof key === 'string' ? key : keyText(key), convert(item, depth + 1, budget)]);
  }
  return { t: 'map', entries };
}

export function bytesNode(bytes: Uint8Array): DecodedNode {
  const hex = toHex(bytes, BYTES_SHOWN, '');
  return bytes.byteLength > BYTES_SHOWN
    ? { t: 'bytes', size: bytes.byteLength, hex, cut: true }
    : { t: 'bytes', size: bytes.byteLength, hex };
}

function keyText(key: unknown): string {
  if (key instanceof Uint8Array) return `h'${toHex(key, key.byteLength, '')}'`;
  return typeof key === 'object' ? (JSON.stringify(key) ?? String(key)) : String(key);
}

/** The tree as indented JSON-like text: bytes as h'…', big integers as digits, cuts as «…». */
export function decodedText(node: DecodedNode, indent = '  '): string {
  const out: string[] = [];
  write(node, '', indent, out);
  return out.join('');
}

function write(node: DecodedNode, pad: string, indent: string, out: string[]): void {
  switch (node.t) {
    case 'null':
      out.push('null');
      return;
    case 'bool':
    case 'num':
      out.push(String(node.v));
      return;
    case 'int':
      out.push(node.v);
      return;
    case 'str':
      out.push(JSON.stringify(node.v));
      return;
    case 'bytes':
      out.push(`h'${node.hex}${node.cut ? '…' : ''}' (${node.size} B)`);
      return;
    case 'cut':
      out.push(`«${node.why}»`);
      return;
    case 'list': {
      if (node.items.length === 0) return void out.push('[]');
      const inner = pad + indent;
      out.push('[\n');
      node.items.forEach((item, i) => {
        out.push(inner);
        write(item, inner, indent, out);
        out.push(i < node.items.length - 1 ? ',\n' : '\n');
      });
      out.push(`${pad}]`);
      return;
    }
    case 'map': {
      if (node.entries.length === 0) return void out.push('{}');
      const inner = pad + indent;
      out.push('{\n');
      node.entries.forEach(([key, item], i) => {
        out.push(`${inner}${JSON.stringify(key)}: `);
        write(item, inner, indent, out);
        out.push(i < node.entries.length - 1 ? ',\n' : '\n');
      });
      out.push(`${pad}}`);
      return;
    }
  }
}
