/**
 * What a received message is checked against (an EXPECT's headers and body, a REQUEST's reply
 * matchers), with the values expanded once when the block starts, and the texts a failure shows:
 * the expectation and the message that came closest, in the file's own `name: value` form.
 */
import type { MessageMatchers, JsonCondition, QoSLevel } from './mqttFileAst';
import { jsonPathGet } from './expand';
import type { RunMessage } from './runTypes';
import { jsonDepthWithin } from './jsonDepth';
import { compileMatchRegex, type MatchRegex } from './matchRegex';

/** A regular expression from a file runs on at most this much of a payload. */
export const MAX_MATCH_BYTES = 64 * 1024;
/** Payloads up to this size are parsed as JSON (for `json:` and JSON payload comparison). */
export const MAX_JSON_BYTES = 1024 * 1024;

export interface CompiledCondition {
  condition: JsonCondition;
  /** The JSON literal, parsed (absent for `exists`). */
  value?: unknown;
}

export interface CompiledMatchers {
  payload?: Uint8Array;
  regex?: MatchRegex;
  json: CompiledCondition[];
  /** Required QoS of what arrives. */
  qos?: QoSLevel;
  retained?: boolean;
}

export interface MatchOutcome {
  /** How many checks failed (0: it matches); the closest message fails the fewest. */
  misses: number;
  /** Why checking failed unexpectedly (the message then counts as not matching). */
  error?: string;
}

/** Builds the regular expression of `match:`; throws an Error naming the problem. */
export function compileRegex(regex: NonNullable<MessageMatchers['regex']>): MatchRegex {
  try {
    return compileMatchRegex(regex.source, regex.flags);
  } catch (error) {
    throw new Error(`match: ${(error as Error).message}`, { cause: error });
  }
}

/** Parses a `json:` condition's literal; throws an Error naming the condition. */
export function parseConditionValue(condition: JsonCondition, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(
      `json: ${condition.pathText} ${condition.op} ${text}: the value is no JSON literal.`,
    );
  }
}

/** Checks a received message; never throws (an unexpected error is a miss with its reason). */
export function checkMessage(message: RunMessage, m: CompiledMatchers): MatchOutcome {
  try {
    return { misses: countMisses(message, m) };
  } catch (error) {
    return {
      misses: 1 + m.json.length + 4,
      error: `checking the message failed: ${String(error)}`,
    };
  }
}

function countMisses(message: RunMessage, m: CompiledMatchers): number {
  let misses = 0;
  if (m.qos !== undefined && message.qos !== m.qos) misses++;
  if (m.retained !== undefined && message.retain !== m.retained) misses++;
  if (m.payload && !samePayload(m.payload, message.payload)) misses++;
  if (m.regex && !m.regex.test(payloadText(message.payload, MAX_MATCH_BYTES))) misses++;
  if (m.json.length > 0) {
    const doc = parseJson(message.payload);
    for (const c of m.json) if (!conditionHolds(c, doc)) misses++;
  }
  return misses;
}

/** Byte equality, or structural equality when both sides are JSON. */
export function samePayload(expected: Uint8Array, actual: Uint8Array): boolean {
  if (Buffer.from(expected).equals(Buffer.from(actual))) return true;
  const a = parseJson(expected);
  const b = parseJson(actual);
  return a.ok && b.ok && deepEqual(a.value, b.value);
}

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseJson(bytes: Uint8Array): Parsed {
  if (bytes.byteLength > MAX_JSON_BYTES) return { ok: false };
  const text = strictUtf8(bytes);
  if (text === undefined || !/^\s*[[{"\d\-tfn]/.test(text)) return { ok: false };
  // Deeper nesting is compared and shown as text: nothing recursive ever sees it.
  if (!jsonDepthWithin(text)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function conditionHolds(c: CompiledCondition, doc: Parsed): boolean {
  if (!doc.ok) return false;
  const actual = jsonPathGet(doc.value, c.condition.path);
  // A path that is not there fails every condition, `!=` and `exists` included.
  if (actual === undefined) return false;
  switch (c.condition.op) {
    case 'exists':
      return true;
    case '==':
      return deepEqual(actual, c.value);
    case '!=':
      return !deepEqual(actual, c.value);
    default:
      return ordered(actual, c.value, c.condition.op);
  }
}

/** `<`, `<=`, `>`, `>=` compare numbers only: a side that is no number fails the condition. */
function ordered(x: unknown, y: unknown, op: '<' | '<=' | '>' | '>='): boolean {
  if (typeof x !== 'number' || typeof y !== 'number') return false;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.prototype.hasOwnProperty.call(bo, k) &&
        deepEqual((a as Record<string, unknown>)[k], bo[k]),
    )
  );
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A payload as text (lossy UTF-8), at most `maxBytes` of it. */
export function payloadText(bytes: Uint8Array, maxBytes = bytes.byteLength): string {
  return new TextDecoder('utf-8').decode(bytes.subarray(0, maxBytes));
}

/** A payload for a diff: pretty-printed JSON when it is JSON, text when UTF-8, else hex. */
export function showPayload(bytes: Uint8Array): string {
  const json = parseJson(bytes);
  if (json.ok) return JSON.stringify(json.value, null, 2);
  const text = strictUtf8(bytes);
  if (text !== undefined)
    return text.length > MAX_MATCH_BYTES ? `${text.slice(0, MAX_MATCH_BYTES)}…` : text;
  const shown = Buffer.from(bytes.subarray(0, 4096)).toString('hex');
  return `hex:${shown}${bytes.byteLength > 4096 ? '…' : ''}`;
}

/** The expectation as text: its conditions as header lines, then the expected payload. */
export function expectedText(m: CompiledMatchers): string {
  const lines = headerLines(
    m,
    (c) =>
      `${c.condition.op === 'exists' ? 'exists' : `${c.condition.op} ${JSON.stringify(c.value)}`}`,
  );
  if (m.regex) lines.push(`match: ${m.regex.text}`);
  return withPayload(lines, m.payload ? showPayload(m.payload) : undefined);
}

/** A received message as text, in the same order as `expectedText`, with what it carried. */
export function actualText(message: RunMessage | undefined, m: CompiledMatchers): string {
  if (!message) return '(no message arrived)';
  const doc = m.json.length > 0 ? parseJson(message.payload) : ({ ok: false } as Parsed);
  const lines = headerLines(
    m,
    (c) => {
      const v = doc.ok ? jsonPathGet(doc.value, c.condition.path) : undefined;
      if (v === undefined) return '(absent)';
      const shown = `= ${JSON.stringify(v)}`;
      return isOrdering(c) && typeof v !== 'number' ? `${shown} (not a number)` : shown;
    },
    message,
  );
  return withPayload(lines, showPayload(message.payload));
}

function headerLines(
  m: CompiledMatchers,
  json: (c: CompiledCondition) => string,
  message?: RunMessage,
): string[] {
  const lines: string[] = [];
  if (m.qos !== undefined) lines.push(`qos: ${message ? message.qos : m.qos}`);
  if (m.retained !== undefined) lines.push(`retained: ${message ? message.retain : m.retained}`);
  for (const c of m.json) lines.push(`json: ${c.condition.pathText} ${json(c)}`);
  return lines;
}

function withPayload(lines: string[], payload: string | undefined): string {
  if (payload === undefined) return lines.join('\n');
  return lines.length > 0 ? `${lines.join('\n')}\n\n${payload}` : payload;
}

function isOrdering(c: CompiledCondition): boolean {
  const op = c.condition.op;
  return op === '<' || op === '<=' || op === '>' || op === '>=';
}
