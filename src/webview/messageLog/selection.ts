/** Moving the selection with the keyboard, and finding a message again as rows shift. */
import type { GridKey } from '../shared/grid';
import type { RowModel, Window } from './rowModel';

/**
 * The row `key` moves the selection to, kept within the rows shown. With nothing selected, the
 * moves start from the first fully visible row.
 */
export function keyTarget(
  key: Exclude<GridKey, 'open'>,
  shown: Window,
  selected: number | undefined,
  top: number,
  visibleRows: number,
): number {
  const page = Math.max(1, Math.floor(visibleRows) - 1);
  const firstVisible = Math.ceil(top);
  let next: number;
  switch (key) {
    case 'down':
      next = selected === undefined ? firstVisible : selected + 1;
      break;
    case 'up':
      next = selected === undefined ? firstVisible : selected - 1;
      break;
    case 'pageDown':
      next = (selected ?? firstVisible) + page;
      break;
    case 'pageUp':
      next = (selected ?? firstVisible) - page;
      break;
    case 'home':
      next = shown.start;
      break;
    case 'end':
      next = shown.start + shown.total - 1;
      break;
  }
  return Math.min(Math.max(next, shown.start), shown.start + shown.total - 1);
}

/**
 * Where message `seq`, last seen at row `abs`, is now, if another message has taken that row
 * (under a filter, evictions shift rows up). Undefined when it has not moved or is not found.
 */
export function relocate(model: RowModel, seq: number, abs: number): number | undefined {
  const row = model.rowAt(abs);
  return row && row.seq !== seq ? model.findSeq(seq, abs) : undefined;
}

/** The top that brings row `abs` into view, scrolling as little as possible. */
export function topToShow(abs: number, top: number, visibleRows: number): number {
  if (abs < top) return abs;
  if (abs + 1 > top + visibleRows) return abs + 1 - visibleRows;
  return top;
}

/** The row of [first, last) that holds message `seq` (the last one, should there be two). */
export function findRow(
  model: RowModel,
  seq: number,
  first: number,
  last: number,
): number | undefined {
  let found: number | undefined;
  for (let abs = first; abs < last; abs++) if (model.rowAt(abs)?.seq === seq) found = abs;
  return found;
}
