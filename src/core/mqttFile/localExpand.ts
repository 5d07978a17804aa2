/**
 * A minimal `{{…}}` expander with the signatures of `expand.ts`, used by the runner until the
 * full one is in place.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SourceRange, Template } from './mqttFileAst';

export interface CapturedMessage {
  topic: string;
  payload: Uint8Array;
}

export interface ExpansionScope {
  variables: Record<string, string>;
  env(name: string): string | undefined;
  secret(name: string): string | undefined;
  index?: number;
  captures: Record<string, CapturedMessage | undefined>;
}

export class ExpansionError extends Error {
  constructor(
    message: string,
    readonly range: SourceRange,
  ) {
    super(message);
  }
}

export type TemplateReference = {
  kind: 'variable' | 'dynamic' | 'capture' | 'env' | 'secret';
  name: string;
};

const EXPANSION = /\{\{\s*([^}]*?)\s*\}\}/g;

export function templateReferences(t: Template): TemplateReference[] {
  const refs: TemplateReference[] = [];
  for (const m of t.raw.matchAll(EXPANSION)) {
    const inner = m[1] ?? '';
    const [head = '', arg = ''] = inner.split(/\s+/);
    if (head === '$env') refs.push({ kind: 'env', name: arg });
    else if (head === '$secret') refs.push({ kind: 'secret', name: arg });
    else if (head.startsWith('$')) refs.push({ kind: 'dynamic', name: head });
    else if (/^(lastReply|lastMessage)\./.test(head))
      refs.push({ kind: 'capture', name: head.split('.')[0]! });
    else refs.push({ kind: 'variable', name: head });
  }
  return refs;
}

export function expandTemplate(t: Template, scope: ExpansionScope): string {
  return t.raw.replace(EXPANSION, (_all, inner: string) => {
    const fail = (message: string): never => {
      throw new ExpansionError(message, t.range);
    };
    const [head = '', ...args] = inner.split(/\s+/);
    switch (head) {
      case '$timestamp':
        return String(Math.floor(Date.now() / 1000));
      case '$isoTimestamp':
        return new Date().toISOString();
      case '$uuid':
        return randomUUID();
      case '$randomInt':
        return String(randomInt(Number(args[0]), Number(args[1])));
      case '$index':
        return scope.index === undefined
          ? fail('{{$index}} is only set in a REPEAT.')
          : String(scope.index);
      case '$env':
        return scope.env(args[0] ?? '') ?? fail(`The environment variable ${args[0]} is not set.`);
      case '$secret':
        return scope.secret(args[0] ?? '') ?? fail(`The secret ${args[0]} is not set.`);
    }
    const capture = /^(lastReply|lastMessage)\.(topic|payload|json)(.*)$/.exec(head);
    if (capture) {
      const message = scope.captures[capture[1]!];
      if (!message) return fail(`{{${head}}}: there is no ${capture[1]} yet.`);
      if (capture[2] === 'topic') return message.topic;
      const text = Buffer.from(message.payload).toString('utf8');
      if (capture[2] === 'payload') return text;
      const value = jsonPathGet(JSON.parse(text), parseJsonPath('$' + capture[3]) ?? []);
      return typeof value === 'string' ? value : JSON.stringify(value);
    }
    return scope.variables[head] ?? fail(`Unknown variable "${head}".`);
  });
}

/** `$.a.b[0]` → ['a', 'b', 0]; undefined when it is no path. */
export function parseJsonPath(text: string): (string | number)[] | undefined {
  if (!text.startsWith('$')) return undefined;
  const path: (string | number)[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < text.length) {
    const m = re.exec(text);
    if (!m) return undefined;
    path.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3]!));
  }
  return path;
}

export function jsonPathGet(value: unknown, path: readonly (string | number)[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(at)) return undefined;
      at = at[key];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(at, key)) return undefined;
      at = (at as Record<string, unknown>)[key];
    }
  }
  return at;
}
