/** A plain-text table, columns padded to their widest cell; numbers formatted for reading. */
export type Row = string[];

/** The table's lines: header, rule, then the rows. */
export function tableLines(header: Row, rows: Row[]): string[] {
  // Rows of one cell (section titles, notes) run across the columns and do not size them.
  const cells = rows.filter((r) => r.length > 1);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: Row) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : (cell ?? '').padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((r) => (r.length === 1 ? r[0] : line(r))),
  ];
}

export function printTable(header: Row, rows: Row[]): void {
  for (const line of tableLines(header, rows)) console.log(line);
}

export const int = (n: number) => Math.round(n).toLocaleString('en-US');
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const micros = (us: number) => `${us < 100 ? us.toFixed(1) : int(us)} µs`;
export const ratio = (r: number) => (r < 10 ? r.toFixed(3) : r.toFixed(0));

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
