/** What the parser's pieces share: the lines, the problems found and the names known so far. */
import type { MqttFileProblem, SourceRange, Template } from './mqttFileAst';

export interface ParseContext {
  lines: string[];
  problems: MqttFileProblem[];
  /** How many of the problems are errors (kept as they are added, for linear time). */
  errors: number;
  /** File variables (all of them: they precede every block). */
  fileVariables: Set<string>;
  /** Given by the host: an unknown `{{name}}` is then an error, not a warning. */
  knownVariables?: Set<string>;
  /** Named clients open at this point of the file: name → line of its CONNECT. */
  openClients: Map<string, number>;
  /** Captures set by a block above: `lastReply` after a REQUEST, `lastMessage` after an EXPECT. */
  captured: Set<'lastReply' | 'lastMessage'>;
  /** Named clients closed so far: name → line of the DISCONNECT / DROP. */
  closedClients: Map<string, number>;
}

export function range(
  line: number,
  column: number,
  endColumn: number,
  endLine = line,
): SourceRange {
  return { line, column, endLine, endColumn };
}

export function lineRange(ctx: ParseContext, line: number): SourceRange {
  return range(line, 0, ctx.lines[line]?.length ?? 0);
}

export function error(ctx: ParseContext, message: string, at: SourceRange): void {
  ctx.problems.push({ message, range: at, severity: 'error' });
  ctx.errors++;
}

export function warning(ctx: ParseContext, message: string, at: SourceRange): void {
  ctx.problems.push({ message, range: at, severity: 'warning' });
}

export function errorCount(ctx: ParseContext): number {
  return ctx.errors;
}

/** Text a message quotes (device or user text), cut to a readable length. */
export function quote(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `\`${cut}\``;
}

export function template(raw: string, line: number, column: number): Template {
  return { raw, range: range(line, column, column + raw.length) };
}
