/**
 * The Message Log's columns and how a LogRow fills its cells in the shared grid.
 */
import type { LogRow } from '../../protocol/messageLog';
import type { GridColumn, GridRows } from '../shared/grid';
import { srOnly } from './dom';
import { formatBytes } from '../../shared/byteSize';
import { formatTime } from '../../shared/clockTime';
import { l10n } from './l10n';
import { directionIcon } from './rowModel';
import { outcomeText } from './detailOutcome';
import { visibleLine } from './visible';

const COLUMNS: GridColumn[] = [
  {
    key: 'time',
    label: l10n.t('Time'),
    title: l10n.t('Time received or sent (24-hour, milliseconds)'),
  },
  { key: 'conn', label: l10n.t('Connection'), title: l10n.t('Connection') },
  {
    key: 'dir',
    label: l10n.t('Dir'),
    title: l10n.t('Direction: received (in) or published (out)'),
  },
  { key: 'topic', label: l10n.t('Topic'), title: l10n.t('Topic') },
  { key: 'qos', label: l10n.t('QoS'), title: l10n.t('Quality of service') },
  { key: 'retain', label: 'R', title: l10n.t('Retain flag') },
  { key: 'dup', label: 'D', title: l10n.t('Duplicate flag') },
  { key: 'size', label: l10n.t('Size'), title: l10n.t('Payload size') },
  { key: 'payload', label: l10n.t('Payload'), title: l10n.t('Payload preview') },
];

export const logRows: GridRows<LogRow> = {
  columns: COLUMNS,
  label: l10n.t('Messages'),
  idOf: (row) => row.seq,
  // An outcome arriving, or new decoder rules (another preview), fill the row again.
  versionOf: (row) => `${row.outcome ?? ''}${row.preview}`,
  createRow(element, c) {
    const dirIcon = document.createElement('span');
    dirIcon.className = 'codicon';
    dirIcon.setAttribute('aria-hidden', 'true');
    const dirText = srOnly('');
    c[2].append(dirIcon, dirText);
    return (row) => {
      if (!row) {
        element.removeAttribute('data-seq');
        for (let i = 0; i < c.length; i++) if (i !== 2) c[i].textContent = '';
        dirIcon.className = 'codicon';
        dirText.textContent = '';
        delete element.dataset.outcome;
        c[8].textContent = '…';
        return;
      }
      element.dataset.seq = String(row.seq);
      c[0].textContent = formatTime(row.time);
      const conn = visibleLine(row.connection, 200);
      c[1].textContent = conn;
      c[1].title = conn;
      const out = row.direction === 'out';
      dirIcon.className = `codicon codicon-${directionIcon(row)} dir-${out ? 'out' : 'in'}`;
      dirText.textContent = out ? l10n.t('out') : l10n.t('in');
      c[2].title = out ? l10n.t('Published (out)') : l10n.t('Received (in)');
      if (row.outcome) {
        dirText.textContent += `, ${outcomeText(row.outcome)}`;
        c[2].title += ` — ${outcomeText(row.outcome)}`;
      }
      // A refused or failed publish is red (media/messageLog.css); its title says why in words.
      element.dataset.outcome = row.outcome ?? '';
      const topic = visibleLine(row.topic);
      c[3].textContent = topic;
      c[3].title = topic;
      c[4].textContent = String(row.qos);
      c[5].textContent = row.retain ? 'R' : '';
      c[5].title = row.retain ? l10n.t('Retained') : '';
      c[6].textContent = row.dup ? 'D' : '';
      c[6].title = row.dup ? l10n.t('Duplicate delivery') : '';
      c[7].textContent = formatBytes(row.size);
      c[8].textContent = visibleLine(row.preview, 300);
      c[8].classList.toggle('binary', row.binary);
    };
  },
};
