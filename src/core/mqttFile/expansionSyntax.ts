/**
 * What a `{{…}}` expansion says: a variable, a dynamic value (`$uuid`, `$randomInt 1 100`, …),
 * an environment variable or secret, or a capture (`lastReply.json.id`). One reading for the
 * parser's checks and for expansion.
 */
import { type JsonPath, parseJsonPath } from './jsonPath';

export type Expansion =
  | { kind: 'variable'; name: string }
  | { kind: 'dynamic'; name: 'timestamp' | 'isoTimestamp' | 'uuid' | 'index' }
  | { kind: 'dynamic'; name: 'randomInt'; min: number; max: number }
  | { kind: 'env' | 'secret'; name: string }
  | {
      kind: 'capture';
      source: 'lastReply' | 'lastMessage';
      field: 'payload' | 'topic' | 'json';
      path: JsonPath;
      /** As written, e.g. `lastReply.json.id`. */
      name: string;
    };

export const DYNAMIC_NAMES = [
  '$timestamp',
  '$isoTimestamp',
  '$uuid',
  '$randomInt',
  '$index',
  '$env',
  '$secret',
] as const;

export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const INTEGER = /^-?\d{1,15}$/;
const CAPTURE_SOURCES = ['lastReply', 'lastMessage'];

export function parseExpansion(inner: string): Expansion | { error: string } {
  const text = inner.trim();
  if (text === '') return { error: 'empty `{{}}`: write a variable name or a $value inside' };
  if (text.startsWith('$')) return parseDynamic(text);
  const dot = text.indexOf('.');
  const head = dot < 0 ? text : text.slice(0, dot);
  if (CAPTURE_SOURCES.includes(head)) return parseCapture(text, head as 'lastReply');
  if (!VARIABLE_NAME.test(text)) {
    return {
      error: `\`{{${shorten(text)}}}\` is not a variable name (letters, digits, _ and -), a $value or a capture such as lastReply.payload`,
    };
  }
  return { kind: 'variable', name: text };
}

function parseDynamic(text: string): Expansion | { error: string } {
  const words = /\s/.test(text) ? text.split(/\s+/) : [text];
  const name = words[0];
  const args = words.slice(1);
  const noArgs = (
    n: 'timestamp' | 'isoTimestamp' | 'uuid' | 'index',
  ): Expansion | { error: string } =>
    args.length ? { error: `\`${name}\` takes no arguments` } : { kind: 'dynamic', name: n };
  switch (name) {
    case '$timestamp':
      return noArgs('timestamp');
    case '$isoTimestamp':
      return noArgs('isoTimestamp');
    case '$uuid':
      return noArgs('uuid');
    case '$index':
      return noArgs('index');
    case '$randomInt': {
      if (args.length !== 2 || !INTEGER.test(args[0]) || !INTEGER.test(args[1])) {
        return { error: '`$randomInt` needs two integers: {{$randomInt min max}} (min ≤ n < max)' };
      }
      const min = Number(args[0]);
      const max = Number(args[1]);
      if (min >= max) return { error: `\`$randomInt ${min} ${max}\`: min must be less than max` };
      return { kind: 'dynamic', name: 'randomInt', min, max };
    }
    case '$env':
    case '$secret':
      if (args.length !== 1 || !ENV_NAME.test(args[0])) {
        return { error: `\`${name}\` needs one name: {{${name} NAME}}` };
      }
      return { kind: name === '$env' ? 'env' : 'secret', name: args[0] };
    default:
      return {
        error: `unknown dynamic value \`${shorten(name)}\`; expected one of ${DYNAMIC_NAMES.join(', ')}`,
      };
  }
}

function parseCapture(
  text: string,
  source: 'lastReply' | 'lastMessage',
): Expansion | { error: string } {
  const rest = text.slice(source.length + 1);
  const usage = `\`{{${shorten(text)}}}\`: expected ${source}.payload, ${source}.topic or ${source}.json.<path>`;
  if (text.length === source.length) return { error: usage };
  if (rest === 'payload' || rest === 'topic') {
    return { kind: 'capture', source, field: rest, path: [], name: text };
  }
  if (rest === 'json' || rest.startsWith('json.') || rest.startsWith('json[')) {
    const parsed = parseJsonPath(rest.slice(4));
    if ('error' in parsed) return { error: `\`{{${shorten(text)}}}\`: ${parsed.error}` };
    return { kind: 'capture', source, field: 'json', path: parsed.path, name: text };
  }
  return { error: usage };
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
