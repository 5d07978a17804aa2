import { visibleLine } from './visibleText';

/**
 * A value named briefly for an error or a log line, never echoed whole: its type, and the start
 * of it when it is text (invisible characters as markers, so the line stays one line).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case 'string': {
      // Invisible characters as markers, so a log line stays one line and shows what came.
      const head = visibleLine(value.slice(0, 40), 80);
      return value.length > 40 ? `"${head}…" (${value.length} characters)` : `"${head}"`;
    }
    case 'number':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
