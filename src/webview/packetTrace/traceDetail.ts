/**
 * The detail pane of the selected packet: every field, name and value, as text, and for a
 * PUBLISH that has a Message Log entry, "Show in Message Log".
 */
import type { TraceDetail } from '../../protocol/packetTrace';
import { button, el } from '../shared/dom';
import { l10n } from '../messageLog/l10n';
import { appendVisible } from '../messageLog/visible';
import { directionText, formatRtt } from './traceColumns';
import { formatTime } from '../../shared/clockTime';

export class TraceDetailPane {
  readonly element: HTMLElement;

  constructor(private readonly onShowInLog: (seq: number) => void) {
    this.element = el('section', 'detail');
    this.element.setAttribute('aria-label', l10n.t('Packet detail'));
    this.showMessage(l10n.t('Select a packet to see its fields.'));
  }

  showMessage(text: string): void {
    this.element.replaceChildren(el('div', 'detail-message muted', text));
  }

  show(d: TraceDetail): void {
    const head = el('div', 'detail-head');
    head.append(el('span', 'detail-title', `${d.type} · ${directionText(d.direction)}`));
    if (d.seq !== undefined) {
      const seq = d.seq;
      const b = button({
        icon: 'output',
        label: l10n.t('Show in Message Log'),
        title: l10n.t('Show in Message Log'),
        className: 'action action-showInLog',
      });
      b.addEventListener('click', () => this.onShowInLog(seq));
      head.append(b);
    }
    const list = el('dl', 'detail-fields');
    const add = (name: string, value: string) => {
      const dd = el('dd');
      appendVisible(dd, value);
      list.append(el('dt', '', name), dd);
    };
    add(l10n.t('time'), formatTime(d.time, 'us'));
    if (d.size !== undefined) add(l10n.t('size on the wire'), l10n.t('{0} bytes', d.size));
    if (d.rttMs !== undefined) add(l10n.t('round trip'), formatRtt(d.rttMs));
    for (const f of d.fields) add(f.name, f.value);
    this.element.replaceChildren(head, list);
  }
}
