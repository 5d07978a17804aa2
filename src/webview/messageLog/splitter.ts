/**
 * The splitter between the grid and the detail pane. It is dragged with the pointer or moved
 * with the arrow keys (a focusable ARIA separator whose value is the grid's share, in percent),
 * and the detail's share is kept in the UI state for each arrangement: stacked (detail below)
 * and beside (detail to the right, chosen by the stylesheet when the view is wide and low).
 */
import { el } from './dom';
import { l10n } from './l10n';
import { DEFAULT_STATE, type DetailShare, type UiState } from './state';

export type Arrangement = keyof DetailShare;

/** Smallest grid and detail, in CSS pixels, whatever the share says. */
const MIN_GRID_PX = 96;
const MIN_DETAIL_PX = 80;
const KEY_STEP = 0.05;
const KEY_STEP_LARGE = 0.2;

const DEFAULT_SHARE: DetailShare = DEFAULT_STATE.detailShare;

export interface SplitterDeps {
  main: HTMLElement;
  detail: HTMLElement;
  state: UiState;
  save(): void;
}

export class Splitter {
  readonly element: HTMLDivElement;
  private dragging = false;

  constructor(private readonly deps: SplitterDeps) {
    const s = el('div', 'splitter');
    s.setAttribute('role', 'separator');
    s.setAttribute('aria-label', l10n.t('Resize the message list and the detail pane'));
    s.setAttribute('aria-controls', deps.detail.id);
    s.setAttribute('aria-valuemin', '0');
    s.setAttribute('aria-valuemax', '100');
    s.tabIndex = 0;
    s.title = l10n.t('Drag to resize (double-click: back to the default size)');
    this.element = s;

    s.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      s.setPointerCapture(e.pointerId);
      this.dragging = true;
      s.classList.add('dragging');
    });
    s.addEventListener('pointermove', (e) => {
      if (!this.dragging) return;
      const r = deps.main.getBoundingClientRect();
      const share =
        this.arrangement() === 'beside'
          ? (r.right - e.clientX) / r.width
          : (r.bottom - e.clientY) / r.height;
      this.set(share, false);
    });
    const end = () => {
      if (!this.dragging) return;
      this.dragging = false;
      s.classList.remove('dragging');
      deps.save();
    };
    s.addEventListener('pointerup', end);
    s.addEventListener('pointercancel', end);
    s.addEventListener('lostpointercapture', end);
    s.addEventListener('dblclick', () => this.set(DEFAULT_SHARE[this.arrangement()], true));
    s.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.apply()).observe(deps.main);
  }

  /** Stacked or beside, as the stylesheet laid the pane out. */
  arrangement(): Arrangement {
    return getComputedStyle(this.deps.main).flexDirection === 'row' ? 'beside' : 'stacked';
  }

  /** Sizes the detail pane from the state, and tells assistive technology where it stands. */
  apply(): void {
    const a = this.arrangement();
    const share = this.clamp(this.deps.state.detailShare[a]);
    this.deps.detail.style.flexBasis = `${(share * 100).toFixed(2)}%`;
    const s = this.element;
    s.setAttribute('aria-orientation', a === 'beside' ? 'vertical' : 'horizontal');
    s.setAttribute('aria-valuenow', String(Math.round((1 - share) * 100)));
    s.setAttribute('aria-valuetext', l10n.t('List {0}%', Math.round((1 - share) * 100)));
  }

  private set(share: number, save: boolean): void {
    this.deps.state.detailShare[this.arrangement()] = this.clamp(share);
    this.apply();
    if (save) this.deps.save();
  }

  /** Keeps both sides usable in the space there is now. */
  private clamp(share: number): number {
    const r = this.deps.main.getBoundingClientRect();
    const size = this.arrangement() === 'beside' ? r.width : r.height;
    if (size <= 0) return share;
    const lo = Math.min(0.5, MIN_DETAIL_PX / size);
    const hi = Math.max(0.5, 1 - MIN_GRID_PX / size);
    return Math.min(hi, Math.max(lo, share));
  }

  private onKey(e: KeyboardEvent): void {
    const beside = this.arrangement() === 'beside';
    const step = e.shiftKey ? KEY_STEP_LARGE : KEY_STEP;
    const share = this.deps.state.detailShare[this.arrangement()];
    // Keys move the separator: towards the start grows the detail, towards the end shrinks it.
    const keys: Record<string, number> = {
      [beside ? 'ArrowLeft' : 'ArrowUp']: share + step,
      [beside ? 'ArrowRight' : 'ArrowDown']: share - step,
      Home: 1,
      End: 0,
    };
    const next = keys[e.key];
    if (next === undefined) return;
    e.preventDefault();
    this.set(next, true);
  }
}
