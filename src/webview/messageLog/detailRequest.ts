/**
 * The request/response line of the detail pane: on a request, "Request — reply #12 after 8 ms
 * (+2 more)"; on a reply, "Reply to request #11". The seq is a link that selects the other row.
 */
import type { LogDetail } from '../../protocol/messageLog';
import { el } from './dom';
import { formatCount } from './format';
import { l10n } from './l10n';

/** The line, or undefined for a message that is neither a request nor a reply. */
export function renderRequestLink(
  d: LogDetail,
  select: (seq: number) => void,
): HTMLElement | undefined {
  const link = d.request;
  if (!link) return undefined;
  const box = el('div', `detail-request request-${link.role}`);
  if (link.role === 'reply') {
    box.append(...withLink(l10n.t('Reply to request {0}', '{0}'), link.requestSeq, select));
    return box;
  }
  if (link.replySeq === undefined) {
    box.textContent = l10n.t('Request — no reply in the log');
    return box;
  }
  const after = l10n.t('{0} ms', formatCount(Math.round(link.latencyMs ?? 0)));
  const text =
    link.otherReplies > 0
      ? l10n.t('Request — reply {0} after {1} (+{2} more)', '{0}', after, link.otherReplies)
      : l10n.t('Request — reply {0} after {1}', '{0}', after);
  box.append(...withLink(text, link.replySeq, select));
  return box;
}

/** The text with its `{0}` replaced by a link to message `seq`. */
function withLink(text: string, seq: number, select: (seq: number) => void): (Node | string)[] {
  const [before, after = ''] = text.split('{0}');
  const a = el('a', 'request-link', `#${seq}`);
  a.href = '#';
  a.title = l10n.t('Select message {0}', seq);
  a.addEventListener('click', (event) => {
    event.preventDefault();
    select(seq);
  });
  return [before, a, after];
}
