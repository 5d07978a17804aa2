/**
 * A decoded value tree (src/protocol/decoded.ts, built by the host's decoders) as the tokens the
 * tree renderer reads, walked without recursion: keys and strings JSON-quoted (so a key a device
 * sent can never pass for punctuation; invisible characters are marked when rendered), big
 * integers as their digits, bytes as their size and first bytes in hex, cuts as why they are.
 */
import type { DecodedNode } from '../../protocol/decoded';
import type { JsonToken } from './json';
import type { TokenSource } from './treeRenderer';

type Level =
  | { items: DecodedNode[]; keys?: undefined; i: number }
  | { items: DecodedNode[]; keys: string[]; i: number };

/** The longest string quoted whole; the renderer shows at most 10,000 characters anyway. */
const MAX_STRING_CHARS = 100_000;

export class DecodedTokens implements TokenSource {
  private readonly queue: JsonToken[] = [];
  private readonly stack: Level[] = [];

  constructor(root: DecodedNode) {
    this.emit(root);
  }

  next(): JsonToken | undefined {
    if (this.queue.length === 0) this.fill();
    return this.queue.shift();
  }

  peek(): JsonToken | undefined {
    if (this.queue.length === 0) this.fill();
    return this.queue[0];
  }

  /** Queues the next tokens of the walk (nothing when it is over). */
  private fill(): void {
    const level = this.stack[this.stack.length - 1];
    if (!level) return;
    if (level.i >= level.items.length) {
      this.stack.pop();
      this.queue.push({ kind: 'close', text: level.keys ? '}' : ']' });
      return;
    }
    if (level.i > 0) this.queue.push({ kind: 'comma', text: ',' });
    if (level.keys) {
      this.queue.push({ kind: 'string', text: quote(level.keys[level.i]) });
      this.queue.push({ kind: 'colon', text: ':' });
    }
    const item = level.items[level.i++];
    this.emit(item);
  }

  private emit(node: DecodedNode): void {
    switch (node.t) {
      case 'null':
        return void this.queue.push({ kind: 'literal', text: 'null' });
      case 'bool':
        return void this.queue.push({ kind: 'literal', text: node.v ? 'true' : 'false' });
      case 'num':
        return void this.queue.push({ kind: 'number', text: numberText(node.v) });
      case 'int':
        return void this.queue.push({ kind: 'number', text: node.v });
      case 'str':
        return void this.queue.push({ kind: 'string', text: quote(node.v) });
      case 'bytes':
        return void this.queue.push({
          kind: 'bytes',
          text: `${spacedHex(node.hex)}${node.cut ? ' …' : ''}`,
          size: node.size,
        });
      case 'cut':
        return void this.queue.push({ kind: 'cut', text: `… ${node.why}` });
      case 'list':
        this.queue.push({ kind: 'open', text: '[' });
        this.stack.push({ items: node.items, i: 0 });
        return;
      case 'map':
        this.queue.push({ kind: 'open', text: '{' });
        this.stack.push({
          items: node.entries.map((e) => e[1]),
          keys: node.entries.map((e) => e[0]),
          i: 0,
        });
        return;
      default:
        this.queue.push({ kind: 'invalid', text: '?' });
    }
  }
}

function quote(text: string): string {
  if (text.length <= MAX_STRING_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_STRING_CHARS)).slice(0, -1)}…"`;
}

/** NaN and the infinities (CBOR, MessagePack floats) as words; -0 as -0. */
function numberText(n: number): string {
  if (Object.is(n, -0)) return '-0';
  return String(n);
}

function spacedHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ');
}
