/**
 * The detail side of the Message Log: shows or hides the detail pane, keeps its settings in the
 * UI state, and loads the selected message's detail from the host (the latest request wins).
 */
import type { DetailRequest, LocateReply } from '../../protocol/messageLog';
import { DetailPane, type DetailSettings } from './detail';
import type { LogHostClient } from './logHostClient';
import { l10n } from './l10n';
import type { UiState } from './state';
import type { Toolbar } from './toolbar';

const DETAIL_DELAY_MS = 60;

export interface DetailDeps {
  host: LogHostClient;
  /** The shared UI state: `detailOpen` and the pane settings live here. */
  state: UiState;
  root: HTMLElement;
  toolbar: Toolbar;
  selectedSeq(): number | undefined;
  /** The pane was shown or hidden, so the grid changes size. */
  onLayout(): void;
  save(): void;
}

export class DetailController {
  private readonly pane: DetailPane;
  private request = 0;
  /** The latest locate request; older answers are ignored. */
  private locating = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: DetailDeps) {
    const { host, state } = deps;
    this.pane = new DetailPane(
      {
        onAction: (action, seq) => host.send({ type: 'action', action, seq }),
        onLoadFull: (seq) => this.load(seq, true),
        onSettings: (s) => this.settings(s),
      },
      { payloadView: state.payloadView, wrap: state.wrap, diff: state.diff },
    );
  }

  get element(): HTMLElement {
    return this.pane.element;
  }

  showMessage(text: string): void {
    this.pane.showMessage(text);
  }

  toggle(): void {
    const { state } = this.deps;
    state.detailOpen = !state.detailOpen;
    this.apply();
    const seq = this.deps.selectedSeq();
    if (state.detailOpen && seq !== undefined) this.load(seq);
    this.deps.save();
  }

  open(): void {
    if (!this.deps.state.detailOpen) {
      this.deps.state.detailOpen = true;
      this.apply();
      this.deps.save();
    }
    const seq = this.deps.selectedSeq();
    if (seq !== undefined) this.load(seq);
  }

  /** Shows or hides the pane as the state says. */
  apply(): void {
    const { state } = this.deps;
    this.deps.onLayout();
    this.deps.root.classList.toggle('detail-closed', !state.detailOpen);
    this.pane.element.hidden = !state.detailOpen;
    this.deps.toolbar.setDetailOpen(state.detailOpen);
  }

  /** Loads the detail of `seq` shortly (key repeat moves the selection faster than that). */
  loadSoon(seq: number): void {
    if (!this.deps.state.detailOpen) return;
    if (this.pane.seq === seq) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.load(seq), DETAIL_DELAY_MS);
  }

  /** Outcomes of publishes arrived: a publish shown waiting for one is loaded again. */
  outcomesChanged(): void {
    const seq = this.pane.seq;
    if (this.deps.state.detailOpen && seq !== undefined && this.pane.awaitsOutcome) this.load(seq);
  }

  /** The decoder rules changed: the detail shown is loaded again. */
  decodingChanged(): void {
    const seq = this.pane.seq;
    if (this.deps.state.detailOpen && seq !== undefined) this.load(seq);
  }

  load(seq: number, full = false): void {
    clearTimeout(this.timer);
    const request: Omit<DetailRequest, 'requestId'> = full
      ? { type: 'detail', seq, full: true }
      : { type: 'detail', seq };
    const { requestId, reply } = this.deps.host.request(request);
    this.request = requestId;
    this.pane.showLoading();
    void reply.then((r) => {
      if (r.requestId !== this.request) return;
      if (r.detail) this.pane.show(r.detail);
      else this.pane.showError(r.error ?? l10n.t('This message is no longer stored.'));
    });
  }

  /**
   * Asks where message `seq` is in the view (after the filter changed) and says in the pane
   * when the filter hides it. Resolves with the host's answer.
   */
  locate(seq: number): Promise<LocateReply> {
    const { requestId, reply } = this.deps.host.request({ type: 'locate', seq });
    this.locating = requestId;
    return reply.then((r) => {
      if (r.requestId === this.locating)
        this.pane.setHiddenByFilter(r.index < 0 && r.stored ? seq : undefined);
      return r;
    });
  }

  /** The selection is a row of the grid again (chosen there, or the filter shows it). */
  shownInGrid(): void {
    this.locating = 0;
    this.pane.setHiddenByFilter(undefined);
  }

  private settings(s: DetailSettings): void {
    const { state } = this.deps;
    state.payloadView = s.payloadView;
    state.wrap = s.wrap;
    state.diff = s.diff;
    this.deps.save();
  }
}
