/** The toolbar's status line (message counts) and, while paused, the Resume badge. */
import type { LogStats } from '../../protocol/messageLog';
import { arrivedWhilePaused, type Paused } from './follow';
import { formatCount } from './format';
import type { Toolbar } from './toolbar';

export function showStatus(
  toolbar: Toolbar,
  s: LogStats,
  filtered: boolean,
  paused: Paused | undefined,
): void {
  const noun = (n: number) => (n === 1 ? 'message' : 'messages');
  let text = filtered
    ? `${formatCount(s.total)} of ${formatCount(s.stored)} ${noun(s.stored)}`
    : `${formatCount(s.stored)} ${noun(s.stored)}`;
  if (s.evicted > 0) text += ` · ${formatCount(s.evicted)} evicted`;
  toolbar.setStatus(text);
  if (paused) {
    const arrived = arrivedWhilePaused(paused, s, filtered);
    toolbar.setPaused(true, arrived, formatCount(arrived));
  }
}
