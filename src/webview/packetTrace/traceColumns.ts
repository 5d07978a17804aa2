/**
 * The Packet Trace's columns and how a TraceRow fills its cells in the shared grid.
 */
import type { TraceRow } from '../../protocol/packetTrace';
import type { GridColumn, GridRows } from '../shared/grid';
import { l10n } from '../messageLog/l10n';
import { visibleLine } from '../messageLog/visible';
import { formatTime } from '../../shared/clockTime';

const COLUMNS: GridColumn[] = [
  {
    key: 'time',
    label: l10n.t('Time'),
    title: l10n.t('Time sent or received (24-hour, microseconds)'),
  },
  { key: 'dir', label: l10n.t('Dir'), title: l10n.t('Direction: sent or received') },
  { key: 'packet', label: l10n.t('Packet'), title: l10n.t('Packet type') },
  { key: 'id', label: l10n.t('ID'), title: l10n.t('Packet identifier') },
  { key: 'size', label: l10n.t('Size'), title: l10n.t('Bytes on the wire') },
  {
    key: 'rtt',
    label: l10n.t('RTT'),
    title: l10n.t('Round-trip time of the exchange this packet answers'),
  },
  { key: 'summary', label: l10n.t('Summary'), title: l10n.t('What the packet says') },
];

export function formatRtt(ms: number | undefined): string {
  return ms === undefined ? '' : `${ms.toFixed(3)} ms`;
}

export function directionText(direction: TraceRow['direction']): string {
  return direction === 'sent' ? l10n.t('sent') : l10n.t('received');
}

export const traceRows: GridRows<TraceRow> = {
  columns: COLUMNS,
  label: l10n.t('Packets'),
  idOf: (row) => row.index,
  createRow(element, c) {
    const dirIcon = document.createElement('span');
    dirIcon.className = 'codicon';
    dirIcon.setAttribute('aria-hidden', 'true');
    const dirText = document.createElement('span');
    dirText.className = 'sr-only';
    c[1].append(dirIcon, dirText);
    return (row) => {
      if (!row) {
        for (let i = 0; i < c.length; i++) if (i !== 1) c[i].textContent = '';
        dirIcon.className = 'codicon';
        dirText.textContent = '';
        c[6].textContent = '…';
        delete element.dataset.packet;
        delete element.dataset.dir;
        return;
      }
      element.dataset.packet = row.type;
      element.dataset.dir = row.direction;
      c[0].textContent = formatTime(row.time, 'us');
      const sent = row.direction === 'sent';
      dirIcon.className = `codicon codicon-${sent ? 'arrow-up' : 'arrow-down'} dir-${sent ? 'out' : 'in'}`;
      dirText.textContent = directionText(row.direction);
      c[1].title = directionText(row.direction);
      c[2].textContent = row.type;
      c[3].textContent = row.packetId === undefined ? '' : String(row.packetId);
      c[4].textContent = row.size === undefined ? '' : String(row.size);
      c[5].textContent = formatRtt(row.rttMs);
      const summary = visibleLine(row.summary, 300);
      c[6].textContent = summary;
      c[6].title = summary;
    };
  },
};
