/**
 * The Packet Trace page: a connection picker, the shared virtualised grid of the connection's
 * packets (pulled from the host by index range, only the rows in view) and the detail pane of
 * the selected packet. It follows the newest packets while scrolled to the bottom; stats notices
 * from the host (at most every 100 ms) bring the new range, never the packets.
 */
import {
  TRACE_HOST_MESSAGE_TYPES,
  type TraceConnection,
  type TraceHostToWebview,
  type TraceReplies,
  type TraceRow,
  type TraceStats,
  type TraceWebviewToHost,
} from '../../protocol/packetTrace';
import { el, oncePerFrame } from '../shared/dom';
import { Grid, OVERSCAN, type GridKey } from '../shared/grid';
import { HostClient } from '../shared/hostClient';
import { fetchMissing } from '../shared/pages';
import { l10n } from '../messageLog/l10n';
import { formatCount } from '../messageLog/format';
import { keyTarget, topToShow } from '../messageLog/selection';
import { visibleLine } from '../messageLog/visible';
import { traceRows } from './traceColumns';
import { TraceDetailPane } from './traceDetail';
import { TraceRowCache } from './traceRowCache';

export class TraceApp {
  private readonly host: HostClient<TraceWebviewToHost, TraceHostToWebview, TraceReplies>;
  private readonly cache = new TraceRowCache();
  private readonly grid: Grid<TraceRow>;
  private readonly picker: HTMLSelectElement;
  private readonly status: HTMLSpanElement;
  private readonly detail: TraceDetailPane;
  private top = 0;
  private follow = true;
  private selected: number | undefined;
  private readonly schedule = oncePerFrame(() => this.update());
  private detailRequest = 0;

  constructor(root: HTMLElement) {
    // The page is #app itself, whose height the stylesheet takes from the body.
    root.classList.add('packet-trace');
    const toolbar = el('div', 'toolbar');
    const label = el('label', 'picker-label', l10n.t('Connection'));
    this.picker = el('select', 'connection-picker');
    this.picker.setAttribute('aria-label', l10n.t('Connection'));
    label.append(this.picker);
    // Not a live region: its count changes ten times a second while tracing.
    this.status = el('span', 'trace-status muted');
    toolbar.append(label, this.status);
    this.grid = new Grid(traceRows, {
      onUserScroll: (top, atBottom) => {
        this.top = (this.cache.stats?.start ?? 0) + top;
        this.follow = atBottom;
        this.schedule();
      },
      onRowClick: (abs) => this.select(abs),
      onRowOpen: (abs) => this.select(abs),
      onKey: (key) => this.key(key),
      onResize: () => this.schedule(),
    });
    this.detail = new TraceDetailPane((seq) => this.host.send({ type: 'showInLog', seq }));
    root.append(toolbar, this.grid.element, this.detail.element);
    this.picker.addEventListener('change', () => this.pick(this.picker.value));
    this.host = new HostClient<TraceWebviewToHost, TraceHostToWebview, TraceReplies>(
      {
        hostMessageTypes: TRACE_HOST_MESSAGE_TYPES,
        replyTypes: { showConnection: 'connection', rows: 'rows', detail: 'detail' },
      },
      (m) => this.receive(m),
    );
    this.host.send({ type: 'ready' });
  }

  private receive(m: TraceHostToWebview): void {
    switch (m.type) {
      case 'init':
        this.setConnections(m.connections);
        this.show(m.stats);
        if (m.select !== undefined) this.select(m.select, true);
        return;
      case 'connections':
        this.setConnections(m.connections);
        return;
      case 'stats':
        if (m.stats.connection === this.cache.stats?.connection) {
          this.cache.stats = m.stats;
          this.schedule();
        } else if (!this.cache.stats) this.show(m.stats);
        return;
      case 'select':
        if (m.stats.connection !== this.cache.stats?.connection) this.show(m.stats);
        else this.cache.stats = m.stats;
        if (m.index !== undefined) this.select(m.index, true);
        return;
      default:
        return;
    }
  }

  private setConnections(connections: TraceConnection[]): void {
    const current = this.cache.stats?.connection;
    this.picker.replaceChildren(
      ...connections.map((c) => {
        const option = el(
          'option',
          '',
          visibleLine(c.traced ? c.name : l10n.t('{0} (off)', c.name), 200),
        );
        option.value = c.name;
        return option;
      }),
    );
    if (current !== undefined) this.picker.value = current;
  }

  private pick(connection: string): void {
    void this.host
      .request({ type: 'showConnection', connection })
      .reply.then((r) => this.show(r.stats));
  }

  /** Shows another connection's trace, following its newest packets. */
  private show(stats: TraceStats | undefined): void {
    this.cache.reset(stats);
    this.selected = undefined;
    ++this.detailRequest; // a detail still coming for the last connection is not shown
    this.follow = true;
    if (stats) this.picker.value = stats.connection;
    this.detail.showMessage(l10n.t('Select a packet to see its fields.'));
    this.schedule();
  }

  private select(abs: number, reveal = false): void {
    const s = this.cache.stats;
    if (!s || abs < s.start || abs >= s.end) return;
    this.selected = abs;
    this.follow = abs === s.end - 1 && this.follow && !reveal;
    this.top = reveal
      ? abs - Math.floor(this.grid.visibleRows / 2)
      : topToShow(abs, this.top, this.grid.visibleRows);
    const id = ++this.detailRequest;
    const request = { type: 'detail' as const, connection: s.connection, index: abs };
    void this.host.request(request).reply.then((r) => {
      if (id !== this.detailRequest) return;
      if (r.detail) this.detail.show(r.detail);
      else this.detail.showMessage(r.error ?? '');
    });
    this.schedule();
  }

  private key(key: GridKey): void {
    const s = this.cache.stats;
    if (!s || s.end === s.start) return;
    if (key === 'open') return;
    const shown = { start: s.start, total: s.end - s.start };
    this.select(keyTarget(key, shown, this.selected, this.top, this.grid.visibleRows));
  }

  private update(): void {
    const s = this.cache.stats;
    const start = s?.start ?? 0;
    const total = s ? s.end - s.start : 0;
    const visible = this.grid.visibleRows;
    const maxTop = start + Math.max(0, total - visible);
    if (this.follow) this.top = maxTop;
    this.top = Math.min(Math.max(this.top, start), maxTop);
    const first = Math.max(start, Math.floor(this.top) - OVERSCAN);
    const last = Math.min(start + total, Math.ceil(this.top + visible) + OVERSCAN);
    if (s) {
      const ask = (from: number, count: number) =>
        this.host.request({ type: 'rows', connection: s.connection, start: from, count });
      fetchMissing(this.cache, first, last, ask, (r) => {
        if (this.cache.receive(r)) this.schedule();
      });
    }
    const status = !s
      ? ''
      : s.traced
        ? l10n.t('Tracing · {0} packets kept', formatCount(total))
        : l10n.t('Trace off · {0} packets kept', formatCount(total));
    if (this.status.textContent !== status) this.status.textContent = status;
    this.grid.render({
      start,
      total,
      top: this.top,
      rowAt: (abs) => this.cache.rowAt(abs),
      selectedAbs: this.selected,
      selectedId: this.selected,
      emptyText: s
        ? l10n.t('No packets yet.')
        : l10n.t('No connection is traced. Run "MQTT: Toggle Packet Trace" on a connection.'),
    });
  }
}
