/** The toolbar's status line (message counts) and, while paused, the Resume badge. */
import type { LogStats } from '../../protocol/messageLog';
import { arrivedWhilePaused, type Paused } from './follow';
import { formatCount } from './format';
import { l10n } from './l10n';
import type { Toolbar } from './toolbar';

export function showStatus(
  toolbar: Toolbar,
  s: LogStats,
  filtered: boolean,
  paused: Paused | undefined,
): void {
  const [total, stored, one] = [formatCount(s.total), formatCount(s.stored), s.stored === 1];
  let text = filtered
    ? one
      ? l10n.t('{0} of {1} message', total, stored)
      : l10n.t('{0} of {1} messages', total, stored)
    : one
      ? l10n.t('{0} message', stored)
      : l10n.t('{0} messages', stored);
  if (s.evicted > 0) text += ` · ${l10n.t('{0} evicted', formatCount(s.evicted))}`;
  toolbar.setStatus(text);
  if (paused) {
    const arrived = arrivedWhilePaused(paused, s, filtered);
    toolbar.setPaused(true, arrived, formatCount(arrived));
  }
}
