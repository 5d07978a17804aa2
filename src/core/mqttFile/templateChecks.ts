/**
 * The parser's checks of values: every `{{…}}` well formed and known, topics and filters valid
 * when they hold no expansion, JSON bodies well formed (expansions read as a neutral value).
 */
import { validateTopicFilter, validateTopicName } from '../topics/topics';
import type { Template } from './mqttFileAst';
import { parseExpansion } from './expansionSyntax';
import { jsonErrorOffset } from './jsonSyntax';
import { type ParseContext, error, quote, warning } from './parseContext';
import { hasExpansion, literalText, nextClose, scanTemplate, subRange } from './templateText';

export interface TemplateCheckOptions {
  /** `{{$index}}` is allowed (a PUBLISH … REPEAT block). */
  inRepeat?: boolean;
  /** A file variable: captures are checked where it is used, not here. */
  inPreamble?: boolean;
}

/** Reports malformed and unknown expansions; true when the template has no error. */
export function checkTemplate(
  ctx: ParseContext,
  t: Template,
  options: TemplateCheckOptions = {},
): boolean {
  return checkExpansions(ctx, t, options) !== 'error';
}

/** 'none': no expansion; 'ok': expansions, all well formed; 'error': reported. */
function checkExpansions(
  ctx: ParseContext,
  t: Template,
  options: TemplateCheckOptions,
): 'none' | 'ok' | 'error' {
  if (!t.raw.includes('{{')) return 'none';
  let ok = true;
  let expansions = false;
  for (const part of scanTemplate(t.raw)) {
    if (part.kind === 'text') continue;
    expansions = true;
    const at = subRange(t, part.start, part.end);
    if (part.kind === 'unclosed') {
      error(ctx, '`{{` without `}}` on its line; write `\\{{` for a literal `{{`', at);
      ok = false;
      continue;
    }
    const e = parseExpansion(part.inner);
    if ('error' in e) {
      error(ctx, e.error, at);
      ok = false;
    } else if (e.kind === 'variable' && !ctx.fileVariables.has(e.name)) {
      if (ctx.knownVariables?.has(e.name)) continue;
      const message = `unknown variable \`{{${e.name}}}\`: define @${e.name} = … above the first block or in the environment`;
      if (ctx.knownVariables) {
        error(ctx, message, at);
        ok = false;
      } else warning(ctx, message, at);
    } else if (e.kind === 'dynamic' && e.name === 'index' && !options.inRepeat) {
      error(ctx, '`{{$index}}` is only set in a PUBLISH … REPEAT block', at);
      ok = false;
    } else if (e.kind === 'capture' && !options.inPreamble && !ctx.captured.has(e.source)) {
      const block = e.source === 'lastReply' ? 'REQUEST' : 'EXPECT';
      warning(
        ctx,
        `\`{{${e.name}}}\`: no ${block} block above, so there is no message to take it from`,
        at,
      );
    }
  }
  return !ok ? 'error' : expansions ? 'ok' : 'none';
}

/** A topic name (what = 'name') or filter, checked when it holds no expansion. */
export function checkTopic(
  ctx: ParseContext,
  t: Template,
  what: 'name' | 'filter',
  options: TemplateCheckOptions = {},
): void {
  // An empty one is missing from its request line, which reports it.
  if (t.raw === '' || checkExpansions(ctx, t, options) !== 'none') return;
  const topic = literalText(t.raw);
  const problem = what === 'name' ? validateTopicName(topic) : validateTopicFilter(topic);
  if (problem) {
    error(
      ctx,
      `invalid topic ${what === 'filter' ? 'filter ' : ''}${quote(topic)}: ${problem}`,
      t.range,
    );
  }
}

/**
 * A body that must be JSON: each `{{…}}` becomes `0` padded to its length (so `"{{id}}"` and
 * `{{n}}` both stay valid and positions stay put) and `\{{` becomes `{{ `.
 */
export function checkJsonBody(
  ctx: ParseContext,
  body: Template,
  severity: 'error' | 'warning',
): void {
  let neutral = '';
  let at = 0;
  const raw = body.raw;
  let close = -1;
  for (let open = raw.indexOf('{{'); open >= 0; open = raw.indexOf('{{', at)) {
    if (open > 0 && raw[open - 1] === '\\') {
      neutral += raw.slice(at, open - 1) + '{{ ';
      at = open + 2;
      continue;
    }
    close = nextClose(raw, open + 2, close);
    const nl = raw.indexOf('\n', open);
    if (close < 0 || (nl >= 0 && nl < close)) break; // reported by checkTemplate
    neutral += raw.slice(at, open) + '0'.padEnd(close + 2 - open, ' ');
    at = close + 2;
  }
  neutral += raw.slice(at);
  const offset = jsonErrorOffset(neutral);
  if (offset === undefined) return;
  const where = subRange(body, offset, Math.min(offset + 1, raw.length));
  const message = `bad JSON body at line ${where.line + 1} column ${where.column + 1}`;
  if (severity === 'error') error(ctx, message, where);
  else warning(ctx, `${message} (compared as text)`, where);
}

/** A `hex` or `base64` body without expansions. */
export function checkEncodedBody(
  ctx: ParseContext,
  body: Template,
  encoding: 'hex' | 'base64',
): void {
  if (hasExpansion(body.raw)) return;
  const compact = literalText(body.raw).replace(/\s+/g, '');
  const ok =
    encoding === 'hex'
      ? /^(?:[0-9a-fA-F]{2})*$/.test(compact)
      : /^[A-Za-z0-9+/]*={0,2}$/.test(compact) && compact.length % 4 !== 1;
  if (!ok) {
    error(
      ctx,
      encoding === 'hex'
        ? 'the body is not hex: write pairs of hex digits (spaces and line breaks are ignored)'
        : 'the body is not base64: use A–Z, a–z, 0–9, + and / with = padding',
      body.range,
    );
  }
}
