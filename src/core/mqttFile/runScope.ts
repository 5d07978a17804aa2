/**
 * The values a run expands `{{…}}` with: the environment's variables under the file's, the
 * process environment, secrets (asked for once, before the first block), `{{$index}}` and the
 * captured `lastReply` / `lastMessage`. Every error names the line and column it is about.
 */
import type { MqttBlock, MqttFile, PayloadSpec, SourceRange, Template } from './mqttFileAst';
import {
  ExpansionError,
  expandTemplate,
  templateReferences,
  scopeVariables,
  type CapturedMessage,
  type ExpansionScope,
} from './expand';
import { BodyEncodingError, bodyBytes } from './payloadEncoding';
import type { RunOptions } from './runTypes';

/** An error a user reads as it is: a block fails with its message. */
export class RunError extends Error {}

const MASK = '•••';
const MIN_MASKED = 4;

export function at(range: SourceRange, message: string): string {
  return `Line ${range.line + 1}, column ${range.column + 1}: ${message}`;
}

export class RunScope {
  readonly captures: Record<string, CapturedMessage | undefined> = {};
  private readonly variables: Record<string, string>;
  private readonly secrets = new Map<string, string>();
  /** `$secret` and `$env` values a run has used: failure texts show them as `•••`. */
  private readonly hidden = new Set<string>();

  /** The file's variables over the environment's; a variable's value is expanded where used. */
  constructor(
    file: MqttFile,
    private readonly options: RunOptions,
  ) {
    this.variables = scopeVariables(file, options.variables);
  }

  /** Asks for every secret the blocks use, once, so expansion itself never waits. */
  async resolveSecrets(blocks: readonly MqttBlock[]): Promise<void> {
    const names = new Set<string>();
    // Variables are expanded where used, so the environment's may hold `{{$secret …}}` too.
    const nowhere = { line: 0, column: 0, endLine: 0, endColumn: 0 };
    const templates = [
      ...Object.values(this.variables).map((raw): Template => ({ raw, range: nowhere })),
      ...blocks.flatMap(blockTemplates),
    ];
    for (const t of templates)
      for (const ref of templateReferences(t)) if (ref.kind === 'secret') names.add(ref.name);
    for (const name of names) {
      const value = await this.options.secret(name);
      if (value !== undefined) {
        this.secrets.set(name, value);
        this.hide(value);
      }
    }
  }

  /** Expands a template; throws a RunError naming where. */
  expand(t: Template, index?: number): string {
    const scope: ExpansionScope = {
      variables: this.variables,
      env: (name) => {
        const value = this.options.env(name);
        if (value !== undefined) this.hide(value);
        return value;
      },
      secret: (name) => this.secrets.get(name),
      captures: this.captures,
    };
    if (index !== undefined) scope.index = index;
    try {
      return expandTemplate(t, scope);
    } catch (error) {
      const range = error instanceof ExpansionError ? error.range : t.range;
      throw new RunError(at(range, (error as Error).message), { cause: error });
    }
  }

  /**
   * The text with every `$secret` and `$env` value the run used replaced by `•••` (also as it
   * reads inside a JSON string). Values shorter than 4 characters are left: masking every `1`
   * or `on` would make the text unreadable.
   */
  mask(text: string): string {
    if (this.hidden.size === 0) return text;
    const forms = new Set<string>();
    for (const v of this.hidden) {
      forms.add(v);
      forms.add(JSON.stringify(v).slice(1, -1));
    }
    let out = text;
    // The longest first, so a value inside another is not masked half.
    for (const form of [...forms].sort((a, b) => b.length - a.length))
      if (form.length >= MIN_MASKED) out = out.replaceAll(form, MASK);
    return out;
  }

  private hide(value: string): void {
    if (value.length >= MIN_MASKED) this.hidden.add(value);
  }

  /** The bytes of a body or `payload:`; files through `options.readFile`. */
  async payload(spec: PayloadSpec, index?: number): Promise<Uint8Array> {
    switch (spec.kind) {
      case 'empty':
        return new Uint8Array(0);
      case 'file': {
        const path = this.expand(spec.path, index);
        try {
          return await this.options.readFile(path);
        } catch (error) {
          throw new RunError(
            at(spec.path.range, `cannot read "${path}": ${(error as Error).message}`),
            {
              cause: error,
            },
          );
        }
      }
      case 'text':
        return decodeBody(this.expand(spec.text, index), spec.encoding, spec.text.range);
    }
  }
}

function decodeBody(
  text: string,
  encoding: 'text' | 'hex' | 'base64',
  range: SourceRange,
): Uint8Array {
  try {
    return bodyBytes(text, encoding);
  } catch (error) {
    if (error instanceof BodyEncodingError) throw new RunError(at(range, error.message));
    throw error;
  }
}

/** Every template of a block (for the secrets it uses). */
export function blockTemplates(block: MqttBlock): Template[] {
  const out: Template[] = [];
  const payload = (p: PayloadSpec | undefined) => {
    if (p?.kind === 'text') out.push(p.text);
    if (p?.kind === 'file') out.push(p.path);
  };
  switch (block.kind) {
    case 'publish':
    case 'request': {
      const m = block.message;
      const p = m.properties;
      out.push(m.topic);
      payload(m.payload);
      for (const t of [p.contentType, p.responseTopic, p.correlationData]) if (t) out.push(t);
      for (const u of p.userProperties) out.push(u.key, u.value);
      if (block.kind === 'request') {
        payload(block.reply.payload);
        for (const c of block.reply.json) if (c.value) out.push(c.value);
      }
      break;
    }
    case 'expect':
      out.push(block.filter);
      payload(block.matchers.payload);
      for (const c of block.matchers.json) if (c.value) out.push(c.value);
      break;
    case 'connect':
      for (const t of [block.clientId, block.broker, block.username, block.password])
        if (t) out.push(t);
      if (block.will) out.push(block.will.topic, block.will.payload);
      break;
  }
  return out;
}
