/**
 * Checks, at run time, every message a Message Log webview posts before the host acts on it: the
 * type, the shape of each field and its bounds. A webview renders bytes from devices nobody
 * controls; if anything ever ran in it, this is the line it could not cross. A message that does
 * not fit is described (never echoed whole) so the host can log it and ignore it.
 */
import { describeValue as describe } from '../shared/describeValue';
import type { LogAction, LogFilter, WebviewToHost } from './messageLog';

/** Rows one request may ask for: a screen or two, never the log. */
export const MAX_ROWS_PER_REQUEST = 500;
/** The longest topic filter MQTT allows is 65,535 bytes. */
export const MAX_TOPIC_FILTER_LENGTH = 65_535;
/** Payload text or regular expression typed in the filter field. */
export const MAX_FILTER_TEXT_LENGTH = 10_000;
export const MAX_CONNECTION_NAME_LENGTH = 4096;

const LOG_ACTIONS: readonly LogAction[] = [
  'copyPayload',
  'copyTopic',
  'openInEditor',
  'publishAgain',
  'revealInTree',
  'selectMessage',
  'showInPacketTrace',
  'openBlock',
];
const FILTER_KEYS = new Set([
  'topicFilter',
  'text',
  'regex',
  'connection',
  'direction',
  'qos',
  'retainedOnly',
]);

export type WebviewMessageCheck =
  { ok: true; message: WebviewToHost } | { ok: false; problem: string };

/** Thrown inside the checks only; the caller gets `{ ok: false, problem }`. */
class Malformed extends Error {}

export function validateWebviewMessage(data: unknown): WebviewMessageCheck {
  try {
    return { ok: true, message: check(data) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, problem: error.message };
    throw error;
  }
}

function check(data: unknown): WebviewToHost {
  const m = record(data, 'the message');
  const type = m.type;
  switch (type) {
    case 'ready':
    case 'clear':
      return { type };
    case 'rows':
      return {
        type,
        requestId: requestId(m),
        start: integer(m.start, 'rows.start', 0, Number.MAX_SAFE_INTEGER),
        count: integer(m.count, 'rows.count', 0, MAX_ROWS_PER_REQUEST),
      };
    case 'detail': {
      const full = optional(m.full, 'detail.full', boolean);
      return { type, requestId: requestId(m), seq: seq(m.seq, 'detail.seq'), ...opt('full', full) };
    }
    case 'setFilter':
      return { type, requestId: requestId(m), filter: logFilter(m.filter) };
    case 'locate':
      return { type, requestId: requestId(m), seq: seq(m.seq, 'locate.seq') };
    case 'action':
      return {
        type,
        action: oneOf(m.action, 'action.action', LOG_ACTIONS),
        seq: seq(m.seq, 'action.seq'),
      };
    default:
      throw new Malformed(`unknown message type ${describe(type)}`);
  }
}

function logFilter(value: unknown): LogFilter {
  const f = record(value, 'setFilter.filter');
  for (const key of Object.keys(f))
    if (!FILTER_KEYS.has(key) && f[key] !== undefined)
      throw new Malformed(`setFilter.filter has an unknown field ${describe(key)}`);
  const at = (k: string) => `setFilter.filter.${k}`;
  const out: LogFilter = {};
  const topicFilter = optional(f.topicFilter, at('topicFilter'), (v, w) =>
    string(v, w, MAX_TOPIC_FILTER_LENGTH),
  );
  const text = optional(f.text, at('text'), (v, w) => string(v, w, MAX_FILTER_TEXT_LENGTH));
  const connection = optional(f.connection, at('connection'), (v, w) =>
    string(v, w, MAX_CONNECTION_NAME_LENGTH),
  );
  const qos = optional(f.qos, at('qos'), qosList);
  Object.assign(
    out,
    opt('topicFilter', topicFilter),
    opt('text', text),
    opt('regex', optional(f.regex, at('regex'), boolean)),
    opt('connection', connection),
    opt(
      'direction',
      optional(f.direction, at('direction'), (v, w) => oneOf(v, w, ['in', 'out'])),
    ),
    opt('qos', qos),
    opt('retainedOnly', optional(f.retainedOnly, at('retainedOnly'), boolean)),
  );
  return out;
}

function qosList(value: unknown, where: string): (0 | 1 | 2)[] {
  if (!Array.isArray(value) || value.length > 3)
    throw new Malformed(`${where} must be a list of at most 3 QoS levels, not ${describe(value)}`);
  const seen = new Set<number>();
  return value.map((q, i) => {
    const level = integer(q, `${where}[${i}]`, 0, 2) as 0 | 1 | 2;
    if (seen.has(level)) throw new Malformed(`${where} names QoS ${level} twice`);
    seen.add(level);
    return level;
  });
}

// ---- field checks -----------------------------------------------------------------------

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Malformed(`${where} must be an object, not ${describe(value)}`);
  return value as Record<string, unknown>;
}

function requestId(m: Record<string, unknown>): number {
  return integer(m.requestId, `${String(m.type)}.requestId`, 0, Number.MAX_SAFE_INTEGER);
}

function seq(value: unknown, where: string): number {
  return integer(value, where, 0, Number.MAX_SAFE_INTEGER);
}

function integer(value: unknown, where: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new Malformed(
      `${where} must be an integer from ${min} to ${max}, not ${describe(value)}`,
    );
  return value;
}

function boolean(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean')
    throw new Malformed(`${where} must be true or false, not ${describe(value)}`);
  return value;
}

function string(value: unknown, where: string, maxLength: number): string {
  if (typeof value !== 'string')
    throw new Malformed(`${where} must be text, not ${describe(value)}`);
  if (value.length > maxLength)
    throw new Malformed(
      `${where} is ${value.length} characters long; at most ${maxLength} are allowed`,
    );
  return value;
}

function oneOf<T extends string>(value: unknown, where: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new Malformed(`${where} must be one of ${allowed.join(', ')}, not ${describe(value)}`);
  return value as T;
}

/** An absent (undefined) field is fine; otherwise it must pass `checkValue`. */
function optional<T>(
  value: unknown,
  where: string,
  checkValue: (v: unknown, where: string) => T,
): T | undefined {
  return value === undefined ? undefined : checkValue(value, where);
}

function opt<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}
