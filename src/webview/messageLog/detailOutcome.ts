/**
 * How a published message went, in the detail pane: acknowledged, refused (reason code and
 * reason string), failed (why) or still waiting, and the exchange — PUBLISH, then PUBACK or
 * PUBREC → PUBREL → PUBCOMP — each packet timed from when the PUBLISH went out.
 */
import type { LogDetail, LogExchange, OutcomeState } from '../../protocol/messageLog';
import { el } from './dom';
import { formatCount } from './format';
import { l10n } from './l10n';
import { appendVisible } from './visible';

export function outcomeText(state: OutcomeState): string {
  switch (state) {
    case 'pending':
      return l10n.t('waiting for the broker');
    case 'ok':
      return l10n.t('acknowledged');
    case 'refused':
      return l10n.t('refused by the broker');
    case 'failed':
      return l10n.t('failed');
  }
}

const ms = (n: number) => l10n.t('{0} ms', formatCount(Math.round(n)));

/** The outcome section, or undefined for a message that was not published from here. */
export function renderOutcome(d: LogDetail): HTMLElement | undefined {
  const x: LogExchange | undefined = d.exchange;
  if (!x) return undefined;
  const box = el('details', `detail-outcome outcome-${x.state}`);
  box.open = true;
  box.appendChild(el('summary', '', l10n.t('Outcome: {0}', outcomeText(x.state))));
  const line = (cls: string, text: string) => {
    const div = el('div', cls);
    appendVisible(div, text.slice(0, 2000));
    box.appendChild(div);
  };
  if (x.reason) line('outcome-reason', l10n.t('Reason: {0}', x.reason));
  if (x.reasonString) line('outcome-reason-string', l10n.t('Reason string: {0}', x.reasonString));
  if (x.error) line('outcome-error', l10n.t('Error: {0}', x.error));
  if (x.queuedMs !== undefined)
    line('outcome-queued', l10n.t('Queued for {0} before it was sent', ms(x.queuedMs)));
  if (x.state === 'pending' || x.elapsedMs === undefined) return box;
  const table = el('table', 'outcome-steps');
  const row = (packet: string, at: string, reason?: string) => {
    const tr = el('tr');
    const name = el('th', '', packet);
    name.scope = 'row';
    tr.append(name, el('td', '', at), el('td', '', reason ?? ''));
    table.appendChild(tr);
  };
  row('PUBLISH', l10n.t('sent'));
  for (const s of x.steps) row(s.packet, `+${ms(s.atMs)}`, s.reason);
  box.appendChild(table);
  if (x.state === 'ok') line('outcome-elapsed', l10n.t('Completed in {0}', ms(x.elapsedMs)));
  return box;
}
