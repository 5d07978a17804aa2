/**
 * The Message Log controller: holds the UI state, talks to the host, and decides which rows
 * the grid shows. The grid never gets more than the rows in view; the host is asked only for
 * the pages those rows fall in.
 */
import type {
  HostToWebview,
  LogFilter,
  LogRow,
  LogStats,
  RowsReply,
} from '../../protocol/messageLog';
import type { DetailController } from './detailController';
import { FollowGate, type Paused } from './follow';
import { OVERSCAN, type Grid, type GridKey } from '../shared/grid';
import { buildLayout, type LogUserActions } from './layout';
import { fetchMissing } from '../shared/pages';
import { connectToHost, type LogHostClient } from './logHostClient';
import { l10n } from './l10n';
import { RowModel, type Window } from './rowModel';
import { findRow, keyTarget, relocate, topToShow } from './selection';
import { isFiltering, restoreState, sameFilter, throttledSave, type UiState } from './state';
import { showStatus } from './status';
import type { Toolbar } from './toolbar';
import { oncePerFrame } from '../shared/dom';

export class App implements LogUserActions {
  private readonly host: LogHostClient;
  private readonly model = new RowModel();
  private readonly state: UiState;
  private readonly grid: Grid<LogRow>;
  private readonly toolbar: Toolbar;
  private readonly detail: DetailController;
  private readonly follow = new FollowGate(() => this.schedule());

  private paused: Paused | undefined;
  /** What the grid shows: absolute rows [start, start + total). */
  private shown: Window = { start: 0, total: 0 };
  /** Absolute (fractional) index of the row at the top of the grid. */
  private top = 0;
  /** The message at the top when the grid last rendered, to hold it there as rows shift. */
  private anchor: { seq: number; abs: number } | undefined;
  private selAbs: number | undefined;
  private selSeq: number | undefined;
  private filterInForce: LogFilter = {};
  private lastFilterRequest = 0;
  private readonly schedule = oncePerFrame(() => this.update());
  readonly save = throttledSave(
    (state) => this.host.setState(state),
    () => ({
      ...this.state,
      filter: this.toolbar.currentFilter(),
      selectedSeq: this.selSeq,
      topIndex: Math.max(0, Math.floor(this.top - this.shown.start)),
    }),
  );
  private ready = false;
  /** The grid changes size (detail pane shown or hidden): keep the selected row in view. */
  private revealSelection = false;
  /** The selected row was in view when the grid last rendered. */
  private selectionInView = false;

  constructor(root: HTMLElement) {
    const mode = root.dataset.mode === 'view' ? 'view' : 'panel';
    root.classList.add('message-log', `mode-${mode}`);
    this.host = connectToHost((m) => this.onMessage(m));
    this.state = restoreState(this.host.getState<UiState>());

    ({
      toolbar: this.toolbar,
      grid: this.grid,
      detail: this.detail,
    } = buildLayout(root, this.host, this.state, this));
    this.selSeq = this.state.selectedSeq;
    this.updateStatus();
    this.host.send({ type: 'ready' });
  }

  // ---- host messages -------------------------------------------------------------------

  private onMessage(m: HostToWebview): void {
    switch (m.type) {
      case 'init': {
        this.toolbar.setConnections(m.connections);
        const restored = this.state.filter;
        this.filterInForce = m.filter;
        this.model.reset(isFiltering(m.filter), m.stats);
        if (!isFiltering(m.filter) && isFiltering(restored)) {
          // The host starts unfiltered (e.g. after a reload): bring the user's filter back.
          this.toolbar.setFilter(restored);
          this.setFilter(restored);
        } else {
          this.toolbar.setFilter(m.filter);
          this.state.filter = m.filter;
        }
        this.ready = true;
        this.top = this.state.follow ? 0 : this.model.offset() + this.state.topIndex;
        if (this.selSeq !== undefined && this.state.detailOpen) this.detail.load(this.selSeq);
        this.locateSelection();
        this.takeStats(m.stats);
        break;
      }
      case 'stats':
        this.takeStats(m.stats);
        break;
      case 'filterChanged':
        this.toolbar.clearErrors();
        this.toolbar.setFilter(m.filter);
        if (m.stoppedAfterMs !== undefined) this.toolbar.showFilterStopped(m.stoppedAfterMs);
        this.state.filter = m.filter;
        this.newView(m.filter, m.stats);
        this.save();
        break;
      case 'connections':
        this.toolbar.setConnections(m.connections);
        break;
      case 'select':
        this.reveal(m.seq, m.index);
        break;
      default:
        break;
    }
  }

  private takeStats(stats: LogStats): void {
    const { outcomes, decoding } = this.model.latest;
    const cleared = this.model.update(stats, this.paused !== undefined);
    if (!cleared && stats.outcomes !== outcomes) this.detail.outcomesChanged();
    if (!cleared && stats.decoding !== decoding) this.detail.decodingChanged();
    if (cleared) this.afterClear();
    this.updateStatus();
    this.schedule();
  }

  private newView(filter: LogFilter, stats: LogStats): void {
    this.filterInForce = filter;
    this.model.reset(isFiltering(filter), stats);
    this.selAbs = undefined;
    this.anchor = undefined;
    const w = this.model.window();
    if (this.paused) this.paused = { window: w, lastSeq: stats.lastSeq, total: stats.total };
    this.shown = w;
    this.top = w.start;
    this.locateSelection();
    this.updateStatus();
    this.schedule();
  }

  /**
   * After the view changed: the selected message's row, if the view has it; if the filter hides
   * it, the grid shows no selection and the detail pane says so.
   */
  private locateSelection(): void {
    const seq = this.selSeq;
    if (seq === undefined) return;
    const epoch = this.model.epoch;
    void this.detail.locate(seq).then((r) => {
      if (epoch !== this.model.epoch || seq !== this.selSeq) return;
      this.selAbs = r.index >= 0 ? this.model.offset(r.stats) + r.index : undefined;
      this.schedule();
    });
  }

  private afterClear(): void {
    const w = this.model.window();
    if (this.paused) this.paused = { window: w, lastSeq: this.model.latest.lastSeq, total: 0 };
    this.shown = { start: w.start, total: 0 };
    this.top = w.start;
    this.selAbs = undefined;
    this.selSeq = undefined;
    this.anchor = undefined;
    this.detail.showMessage(l10n.t('The log was cleared.'));
    this.save();
  }

  // ---- rendering -----------------------------------------------------------------------

  private update(): void {
    if (!this.ready) return;
    const visible = this.grid.visibleRows;
    const target = this.paused ? this.paused.window : this.model.window();
    if (!this.paused && this.state.follow) {
      const tailTop = target.start + Math.max(0, target.total - visible);
      const from = Math.max(target.start, Math.floor(tailTop) - OVERSCAN);
      const to = target.start + target.total;
      if (this.follow.ready(target.total === 0, () => this.model.isFresh(from, to))) {
        this.shown = target;
        this.top = tailTop;
      } else {
        this.fetch(from, to);
      }
    } else {
      this.follow.reset();
      this.shown = target;
    }
    const s = this.shown;
    const maxTop = s.start + Math.max(0, s.total - visible);
    const anchor = this.anchor;
    if (!this.state.follow && anchor && anchor.abs === Math.floor(this.top)) {
      // Under a filter, evictions shift rows up: keep the same message at the top.
      const found = relocate(this.model, anchor.seq, anchor.abs);
      if (found !== undefined) this.top += found - anchor.abs;
    }
    if (this.revealSelection && this.selAbs !== undefined && !this.state.follow)
      this.top = topToShow(this.selAbs, this.top, visible);
    this.revealSelection = false;
    this.top = Math.min(Math.max(this.top, s.start), maxTop);

    if (this.selAbs !== undefined && this.selSeq !== undefined) {
      const found = relocate(this.model, this.selSeq, this.selAbs);
      if (found !== undefined) this.selAbs = found;
    } else if (this.selAbs !== undefined && this.selSeq === undefined) {
      const row = this.model.rowAt(this.selAbs);
      if (row) {
        this.selSeq = row.seq;
        this.detail.loadSoon(row.seq);
        this.save();
      }
    }

    const first = Math.max(s.start, Math.floor(this.top) - OVERSCAN);
    const last = Math.min(s.start + s.total, Math.ceil(this.top + visible) + OVERSCAN);
    // A selection known only by seq (restored, or revealed): find its row once it is shown.
    if (this.selAbs === undefined && this.selSeq !== undefined)
      this.selAbs = findRow(this.model, this.selSeq, first, last);
    this.fetch(first, last);
    this.model.touch(first, last);
    this.grid.render({
      start: s.start,
      total: s.total,
      top: this.top,
      rowAt: (abs) => this.model.rowAt(abs),
      selectedAbs: this.selAbs,
      selectedId: this.selSeq,
      emptyText: isFiltering(this.filterInForce)
        ? l10n.t('No messages match the filter.')
        : l10n.t('No messages yet. Messages received and published appear here.'),
    });
    this.selectionInView =
      this.selAbs !== undefined && this.selAbs + 1 > this.top && this.selAbs < this.top + visible;
    const topRow = this.model.rowAt(Math.floor(this.top));
    this.anchor = topRow && { seq: topRow.seq, abs: Math.floor(this.top) };
  }

  /** Asks the host for the rows of [from, to) that are not cached or in flight. */
  private fetch(from: number, to: number): void {
    const ask = (start: number, count: number) => this.host.request({ type: 'rows', start, count });
    fetchMissing(this.model, from, to, ask, (r) => this.onRows(r));
  }

  private onRows(r: RowsReply): void {
    const cleared = this.model.update(r.stats, this.paused !== undefined);
    if (cleared) this.afterClear();
    this.model.receive(r, this.paused !== undefined);
    this.updateStatus();
    this.schedule();
  }

  private updateStatus(): void {
    showStatus(this.toolbar, this.model.latest, isFiltering(this.filterInForce), this.paused);
  }

  // ---- user actions --------------------------------------------------------------------

  gridResized(): void {
    // A layout change (splitter, window) must not push the selected row out of view.
    if (this.selectionInView) this.revealSelection = true;
    this.schedule();
  }

  detailLaidOut(): void {
    this.revealSelection = true;
    this.schedule();
  }

  selectedSeq(): number | undefined {
    return this.selSeq;
  }

  scrolled(topDisplay: number, atBottom: boolean): void {
    this.top = this.shown.start + topDisplay;
    const follow = atBottom && !this.paused ? true : atBottom ? this.state.follow : false;
    if (follow !== this.state.follow) this.setFollow(follow);
    this.save();
    this.schedule();
  }

  toggleFollow(): void {
    this.setFollow(!this.state.follow);
    if (this.state.follow && this.paused) this.togglePause();
    this.save();
    this.schedule();
  }

  private setFollow(on: boolean): void {
    this.state.follow = on;
    this.toolbar.setFollow(on);
  }

  togglePause(): void {
    if (this.paused) {
      // Resume catches up: back to the newest messages.
      this.paused = undefined;
      this.toolbar.setPaused(false, 0, '0');
      this.setFollow(true);
      this.save();
    } else {
      const s = this.model.latest;
      this.paused = { window: { ...this.shown }, lastSeq: s.lastSeq, total: this.shown.total };
      this.updateStatus();
    }
    this.schedule();
  }

  clear(): void {
    this.host.send({ type: 'clear' });
    const s = this.model.latest;
    this.model.reset(this.model.filtered, { total: 0, stored: 0, evicted: 0, lastSeq: s.lastSeq });
    this.afterClear();
    this.updateStatus();
    this.schedule();
  }

  setFilter(filter: LogFilter): void {
    this.state.filter = filter;
    this.save();
    const { requestId, reply } = this.host.request({ type: 'setFilter', filter });
    this.lastFilterRequest = requestId;
    void reply.then((r) => {
      const latest = r.requestId === this.lastFilterRequest;
      if (latest) {
        if (r.error) this.toolbar.showError(r.error);
        else if (r.stoppedAfterMs !== undefined) this.toolbar.showFilterStopped(r.stoppedAfterMs);
        else this.toolbar.clearErrors();
      }
      if (!sameFilter(r.filter, this.filterInForce)) this.newView(r.filter, r.stats);
      else this.takeStats(r.stats);
    });
  }

  key(key: GridKey): void {
    if (key === 'open') {
      if (this.selAbs !== undefined) this.detail.open();
      return;
    }
    if (this.shown.total === 0) return;
    this.select(keyTarget(key, this.shown, this.selAbs, this.top, this.grid.visibleRows), true);
    if (key === 'end' && !this.paused && !this.state.follow) {
      this.setFollow(true);
      this.save();
    }
  }

  /** Selects row `abs`, scrolls it into view and loads its detail. */
  select(abs: number, byUser: boolean): void {
    const s = this.shown;
    this.selAbs = abs;
    this.selSeq = this.model.rowAt(abs)?.seq;
    const isLast = abs === s.start + s.total - 1;
    if (byUser && this.state.follow && !isLast) this.setFollow(false);
    this.top = topToShow(abs, this.top, this.grid.visibleRows);
    this.detail.shownInGrid();
    if (this.selSeq !== undefined) this.detail.loadSoon(this.selSeq);
    this.save();
    this.schedule();
  }

  /** "Reveal in Log": the host names the message and its row index. */
  private reveal(seq: number, index: number): void {
    if (this.paused) this.togglePause();
    this.setFollow(false);
    if (index < 0) {
      // Not in this view (filtered out): show its detail all the same.
      this.selAbs = undefined;
      this.selSeq = seq;
      this.detail.open();
      this.save();
      this.schedule();
      return;
    }
    const abs = this.model.offset() + index;
    this.shown = this.model.window();
    this.selAbs = abs;
    this.selSeq = seq;
    this.top = abs - Math.floor(this.grid.visibleRows / 2);
    this.anchor = undefined;
    this.detail.shownInGrid();
    this.detail.open();
    this.save();
    this.schedule();
  }
}
