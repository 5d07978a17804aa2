/**
 * The rows of Who Floods: one per topic, kept per connection and topic across rankings so the
 * row with the keyboard focus keeps it when the order changes. Topic and connection are device
 * text, set as text through the visible-text rule.
 */
import type { FloodRow } from '../../protocol/floods';
import { el } from '../shared/dom';
import { formatBytes } from '../../shared/byteSize';
import { formatRate } from '../../shared/counts';
import { countLocale } from '../messageLog/format';
import { l10n } from '../messageLog/l10n';
import { visibleLine } from '../messageLog/visible';
import { drawSparkline, sparkline } from './sparkline';

export interface RowView {
  key: string;
  element: HTMLTableRowElement;
  row: FloodRow;
  topic: HTMLTableCellElement;
  connection: HTMLTableCellElement;
  msgs: HTMLTableCellElement;
  bytes: HTMLTableCellElement;
  spark: SVGSVGElement;
}

export function rowKey(row: { connection: string; topic: string }): string {
  return `${row.connection}\u0000${row.topic}`;
}

export function createRow(row: FloodRow): RowView {
  const element = el('tr', 'flood-row');
  element.tabIndex = -1;
  const topic = el('td', 'col-topic');
  const connection = el('td', 'col-connection muted');
  const msgs = el('td', 'col-num col-msgs');
  const bytes = el('td', 'col-num col-bytes');
  const sparkCell = el('td', 'col-spark');
  const spark = sparkline();
  sparkCell.append(spark);
  element.append(topic, connection, msgs, bytes, sparkCell);
  const view: RowView = { key: rowKey(row), element, row, topic, connection, msgs, bytes, spark };
  updateRow(view, row);
  return view;
}

export function updateRow(view: RowView, row: FloodRow): void {
  view.row = row;
  const topic = visibleLine(row.topic);
  const connection = visibleLine(row.connection);
  if (view.topic.textContent !== topic) {
    view.topic.textContent = topic;
    view.topic.title = topic;
  }
  if (view.connection.textContent !== connection) view.connection.textContent = connection;
  view.msgs.textContent = perSecond(row.msgsPerSecond);
  view.bytes.textContent = bytesPerSecond(row.bytesPerSecond);
  drawSparkline(view.spark, row.spark);
  view.element.setAttribute(
    'aria-label',
    l10n.t(
      '{0} on {1}: {2} messages per second, {3}. Enter shows its messages.',
      topic,
      connection,
      perSecond(row.msgsPerSecond),
      bytesPerSecond(row.bytesPerSecond),
    ),
  );
}

/** "12/s", "0.4/s", "1,234/s". */
export function perSecond(n: number): string {
  return l10n.t('{0}/s', formatRate(n, countLocale()));
}

/** "512 B/s", "1.5 KiB/s". */
export function bytesPerSecond(n: number): string {
  return l10n.t('{0}/s', formatBytes(Math.round(n)));
}
