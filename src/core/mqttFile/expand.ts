/**
 * Expands a template's `{{…}}` when its block runs: variables (which may use others; a cycle is
 * an error), dynamic values, `$env` / `$secret`, and values captured from earlier messages.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { MqttFile, SourceRange, Template } from './mqttFileAst';
import { type Expansion, parseExpansion } from './expansionSyntax';
import { formatJsonPath, jsonPathGet } from './jsonPath';
import { jsonDepthWithin, MAX_JSON_DEPTH } from './jsonDepth';
import { scanTemplate, subRange } from './templateText';

export { jsonPathGet, parseJsonPath, formatJsonPath, type JsonPath } from './jsonPath';

export interface CapturedMessage {
  topic: string;
  payload: Uint8Array;
}

export interface ExpansionScope {
  /** File variables over the environment's (see `scopeVariables`); values are templates. */
  variables: Record<string, string>;
  env(name: string): string | undefined;
  secret(name: string): string | undefined;
  /** A REPEAT's iteration (0-based). */
  index?: number;
  /** `lastReply`, `lastMessage`. */
  captures: Record<string, CapturedMessage | undefined>;
  /** Milliseconds since the epoch for `$timestamp` (default `Date.now`). */
  now?: () => number;
}

export class ExpansionError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
  ) {
    super(message);
    this.name = 'ExpansionError';
  }
}

export type TemplateReference = {
  kind: 'variable' | 'dynamic' | 'capture' | 'env' | 'secret';
  name: string;
};

/** The merged variables of a run: the file's `@name = value` over the environment's. */
export function scopeVariables(
  file: MqttFile,
  environment: Record<string, string>,
): Record<string, string> {
  const merged: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(environment)) merged[name] = value;
  for (const v of file.variables) merged[v.name] = v.value.raw;
  return merged;
}

/** What a template refers to, in order (malformed expansions left out: the parser reports them). */
export function templateReferences(t: Template): TemplateReference[] {
  const refs: TemplateReference[] = [];
  for (const part of scanTemplate(t.raw)) {
    if (part.kind !== 'expansion') continue;
    const e = parseExpansion(part.inner);
    if ('error' in e) continue;
    if (e.kind === 'dynamic') refs.push({ kind: 'dynamic', name: `$${e.name}` });
    else refs.push({ kind: e.kind, name: e.name });
  }
  return refs;
}

const MAX_DEPTH = 32;
/** An expanded value may be at most this long (16 MiB). */
export const MAX_LENGTH = 16 * 1024 * 1024;
/** At most this many `{{…}}` are expanded for one template (variables inside variables count). */
const MAX_EXPANSIONS = 100_000;
const TOO_LONG = 'the expanded value is longer than 16 MiB';

/**
 * One template's expansion: a variable's value without dynamic values is expanded once and
 * reused, and the length is checked as the text grows, so a variable that doubles thirty times
 * fails in milliseconds instead of building gigabytes.
 */
interface Expanding {
  scope: ExpansionScope;
  /** Variables expanded already whose value has no dynamic value. */
  memo: Map<string, string>;
  expansions: number;
  /** Set while a value being expanded used a dynamic value (so it is not reused). */
  dynamic: boolean;
}

export function expandTemplate(t: Template, scope: ExpansionScope): string {
  const run: Expanding = { scope, memo: new Map(), expansions: 0, dynamic: false };
  return expandRaw(t.raw, run, (start, end) => subRange(t, start, end), []);
}

function expandRaw(
  raw: string,
  run: Expanding,
  rangeOf: (start: number, end: number) => SourceRange,
  stack: string[],
): string {
  let out = '';
  for (const part of scanTemplate(raw)) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'unclosed') {
      throw new ExpansionError(
        '`{{` without `}}` on its line; write `\\{{` for a literal `{{`',
        rangeOf(part.start, part.end),
      );
    } else {
      const e = parseExpansion(part.inner);
      const range = rangeOf(part.start, part.end);
      if ('error' in e) throw new ExpansionError(e.error, range);
      if (++run.expansions > MAX_EXPANSIONS)
        throw new ExpansionError('more than 100,000 `{{…}}` to expand', range);
      const v = value(e, run, range, stack);
      if (out.length + v.length > MAX_LENGTH) throw new ExpansionError(TOO_LONG, range);
      out += v;
    }
    if (out.length > MAX_LENGTH) throw new ExpansionError(TOO_LONG, rangeOf(0, raw.length));
  }
  return out;
}

function value(e: Expansion, run: Expanding, range: SourceRange, stack: string[]): string {
  const { scope } = run;
  switch (e.kind) {
    case 'variable': {
      const raw = Object.prototype.hasOwnProperty.call(scope.variables, e.name)
        ? scope.variables[e.name]
        : undefined;
      if (raw === undefined) {
        throw new ExpansionError(
          `unknown variable \`{{${e.name}}}\`: define @${e.name} = … in the file or in the environment`,
          range,
        );
      }
      if (stack.includes(e.name)) {
        throw new ExpansionError(
          `variables refer to each other in a cycle: ${[...stack, e.name].join(' → ')}`,
          range,
        );
      }
      if (stack.length >= MAX_DEPTH)
        throw new ExpansionError('variables nest more than 32 deep', range);
      const known = run.memo.get(e.name);
      if (known !== undefined) return known;
      const outer = run.dynamic;
      run.dynamic = false;
      // Errors inside a variable's value point at the reference in this template.
      const text = expandRaw(raw, run, () => range, [...stack, e.name]);
      if (!run.dynamic) run.memo.set(e.name, text);
      run.dynamic ||= outer;
      return text;
    }
    case 'dynamic':
      run.dynamic = true;
      return dynamicValue(e, scope, range);
    case 'env':
    case 'secret': {
      const v = e.kind === 'env' ? scope.env(e.name) : scope.secret(e.name);
      if (v === undefined) {
        throw new ExpansionError(
          e.kind === 'env'
            ? `the environment variable ${e.name} is not set`
            : `no secret named ${e.name} is stored`,
          range,
        );
      }
      return v;
    }
    case 'capture':
      return captureValue(e, scope, range);
  }
}

function dynamicValue(
  e: Expansion & { kind: 'dynamic' },
  scope: ExpansionScope,
  range: SourceRange,
): string {
  const now = scope.now ?? Date.now;
  switch (e.name) {
    case 'timestamp':
      return String(Math.floor(now() / 1000));
    case 'isoTimestamp':
      return new Date(now()).toISOString();
    case 'uuid':
      return randomUUID();
    case 'index':
      if (scope.index === undefined)
        throw new ExpansionError('`{{$index}}` is only set in a PUBLISH … REPEAT block', range);
      return String(scope.index);
    case 'randomInt':
      return String(randomIntIn(e.min, e.max));
  }
}

function randomIntIn(min: number, max: number): number {
  if (max - min <= 2 ** 48 - 1 && Number.isSafeInteger(min) && Number.isSafeInteger(max)) {
    return randomInt(min, max);
  }
  return Math.min(max - 1, min + Math.floor(Math.random() * (max - min)));
}

function captureValue(
  e: Expansion & { kind: 'capture' },
  scope: ExpansionScope,
  range: SourceRange,
): string {
  const what = e.source === 'lastReply' ? 'the last REQUEST' : 'the last EXPECT';
  const captured = scope.captures[e.source];
  if (!captured) throw new ExpansionError(`\`{{${e.name}}}\`: ${what} has no message yet`, range);
  if (e.field === 'topic') return captured.topic;
  const text = new TextDecoder().decode(captured.payload);
  if (e.field === 'payload') return text;
  if (!jsonDepthWithin(text)) {
    throw new ExpansionError(
      `\`{{${e.name}}}\`: the payload of ${what}'s message nests more than ${MAX_JSON_DEPTH} deep`,
      range,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ExpansionError(
      `\`{{${e.name}}}\`: the payload of ${what}'s message is not JSON`,
      range,
    );
  }
  const found = jsonPathGet(parsed, e.path);
  if (found === undefined) {
    throw new ExpansionError(
      `\`{{${e.name}}}\`: the JSON payload has no ${formatJsonPath(e.path)}`,
      range,
    );
  }
  return typeof found === 'string' ? found : JSON.stringify(found);
}
