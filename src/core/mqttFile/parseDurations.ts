/** Durations and counts as `.mqtt` files write them: `250ms`, `2s`, `1.5s`, `1m`. */

export const MAX_DURATION_MS = 10 * 60 * 1000;
export const MAX_REPEAT = 100_000;

const DURATION = /^(\d{1,9}(?:\.\d{1,6})?)(ms|s|m)$/;

export function parseDuration(text: string): { ms: number } | { error: string } {
  const m = DURATION.exec(text);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  if (!m) return { error: `duration \`${shown}\`: use 250ms, 2s or 1m` };
  const factor = m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000;
  const ms = Math.round(Number(m[1]) * factor);
  if (ms <= 0) return { error: `duration \`${shown}\` must be at least 1ms` };
  if (ms > MAX_DURATION_MS)
    return { error: `duration \`${shown}\` is longer than 10 minutes, the most allowed` };
  return { ms };
}

/** A whole number in [min, max]. */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
