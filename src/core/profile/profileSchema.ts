/**
 * The one schema of a connection profile: the `items` schema of `mqttScope.connections` in the
 * extension's manifest (package.json), the same one VS Code's settings editor checks against.
 * Ajv checks each entry against it, and each error becomes a problem in the project's words,
 * with its setting path. What a schema cannot say (topic filter rules, MQTT 5-only options, a
 * certificate needs its key, unique names, what a URL holds) is checked in code after it.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import manifest from '../../../package.json';
import { brokerText } from './brokerText';
import { describe } from './profileReader';
import { visibleLine } from '../../shared/visibleText';

/** A JSON schema node, as far as the messages below read it. */
interface SchemaNode {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  enum?: unknown[];
}

export const PROFILE_SCHEMA: object =
  manifest.contributes.configuration.properties['mqttScope.connections'].items;

// strict: false, so VS Code's own keywords (markdownDescription, defaultSnippets,
// enumDescriptions, patternErrorMessage…) are read as the annotations they are.
// Compiled on first use (~150 ms on a busy 2-core machine): a window without profiles never pays.
let compiled: ValidateFunction | undefined;
const checker = () =>
  (compiled ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(PROFILE_SCHEMA));

/** One schema mistake: the key path under the profile (`subscriptions[0].qos`) and the words. */
export interface SchemaProblem {
  key: string;
  message: string;
}

/** Checks one profile against the manifest's schema; no problems when it conforms. */
export function schemaProblems(entry: unknown): SchemaProblem[] {
  const check = checker();
  if (check(entry)) return [];
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of check.errors ?? []) {
    const problem = toProblem(error);
    // A value of the wrong type may also fail the keywords of its other allowed forms.
    if (!problem || seen.has(problem.key)) continue;
    seen.add(problem.key);
    problems.push({ key: visibleLine(problem.key, 200), message: visibleLine(problem.message) });
  }
  return problems;
}

/** `/subscriptions/0/qos` → `subscriptions[0].qos`. */
function keyPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce(
    (path, p) => (/^\d+$/.test(p) ? `${path}[${p}]` : path ? `${path}.${p}` : p),
    '',
  );
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/** What a field must be, in words, by the name of its key where the type alone says too little. */
const KEY_WORDS: Record<string, string> = {
  ca: 'a file path string',
  cert: 'a file path string',
  key: 'a file path string',
  protocol: '"mqtt", "mqtts", "ws" or "wss"',
  protocolVersion: '5 (MQTT 5.0) or 4 (MQTT 3.1.1)',
};

/** The words for what `node` accepts. */
function expected(node: SchemaNode, last: string): string {
  if (KEY_WORDS[last]) return KEY_WORDS[last];
  if (node.enum) return oneOf(node.enum);
  if (node.minimum !== undefined && node.maximum !== undefined)
    return `a whole number from ${node.minimum} to ${node.maximum}`;
  if (node.type === 'string' && (node.minLength || node.pattern)) return 'a non-empty string';
  return TYPE_WORDS[node.type ?? ''] ?? String(node.type);
}

/** What a `pattern` means, by the name of the key it is on. */
const PATTERN_MESSAGES: Record<string, (v: string) => string | undefined> = {
  url: (v) => {
    const scheme = /^[a-z][\w+.-]*:/i.exec(v);
    return scheme
      ? `Unknown protocol "${scheme[0]}"; use mqtt://, mqtts://, ws:// or wss://.`
      : `"${brokerText(v)}" is not a URL; expected e.g. mqtt://broker.example.com:1883.`;
  },
  host: (v) =>
    v.trim()
      ? `"host" takes a host name or IP address, without spaces, "/" or "@"; not "${brokerText(v)}".`
      : undefined,
  path: (v) => `"path" must start with "/", not ${describe(v)}.`,
};

function toProblem(e: ErrorObject): SchemaProblem | undefined {
  const key = keyPath(e.instancePath);
  const last = key.replace(/^.*[.\]]/, '') || key;
  const label = last === 'qos' ? 'QoS' : /^\d*$/.test(last) ? key : `"${last}"`;
  const node = (e.parentSchema ?? {}) as SchemaNode;
  const mustBe = () =>
    last === 'protocol'
      ? `Unknown protocol ${describe(e.data)}; use ${KEY_WORDS.protocol}.`
      : `${label} must be ${expected(node, last)}, not ${describe(e.data)}.`;
  switch (e.keyword) {
    case 'required': {
      const missing = String(e.params.missingProperty);
      return { key: keyPath(e.instancePath, missing), message: `"${missing}" is required.` };
    }
    case 'additionalProperties': {
      const extra = String(e.params.additionalProperty);
      const message =
        extra === 'password' && e.instancePath === ''
          ? 'Passwords are never read from settings files. Remove it; MQTT Scope asks for the password when it connects.'
          : `Unknown property "${extra}".`;
      return { key: keyPath(e.instancePath, extra), message };
    }
    case 'type':
      if (/^subscriptions\[\d+\]$/.test(key))
        return {
          key,
          message: `A subscription must be an object like {"topic": "sensors/#", "qos": 1}, not ${describe(e.data)}.`,
        };
      return { key, message: mustBe() };
    case 'pattern':
      return { key, message: PATTERN_MESSAGES[last]?.(String(e.data)) ?? mustBe() };
    case 'enum':
      if (last === 'protocolVersion' && e.data === 3)
        return {
          key,
          message: 'MQTT 3.1 (protocol version 3) is not supported; use 4 (MQTT 3.1.1) or 5.',
        };
      return { key, message: mustBe() };
    case 'minimum':
    case 'maximum':
    case 'minLength':
      return { key, message: mustBe() };
    default:
      return { key, message: `${label}: ${e.message ?? 'invalid'}.` };
  }
}

function oneOf(values: unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}` : shown.join('');
}
