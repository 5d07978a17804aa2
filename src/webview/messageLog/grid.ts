/**
 * The virtualised grid. Only the rows in view (plus a few above and below) exist in the DOM;
 * they are absolutely positioned inside a sticky layer, and a spacer gives the scrollbar its
 * length: total × row height, capped at MAX_SCROLL_PX, beyond which scroll positions map onto
 * rows proportionally (so 1,000,000 rows still scroll from first to last).
 *
 * ARIA: role=grid with aria-rowcount (header + rows), rows with aria-rowindex and
 * aria-selected, the selected row named by aria-activedescendant; the grid itself holds focus.
 */
import type { LogRow } from '../../protocol/messageLog';
import { el, srOnly } from './dom';
import { formatSize, formatTime } from './format';
import { l10n } from './l10n';
import { directionIcon } from './rowModel';
import { outcomeText } from './detailOutcome';
import { visibleLine } from './visible';

/** Row height at the default font sizes; larger fonts make rows taller (CSS `--row-height`). */
export const ROW_HEIGHT = 22;
/** Tallest spacer; browsers cap element heights (Chromium near 33.5M px), and precision drops. */
export const MAX_SCROLL_PX = 10_000_000;
export const OVERSCAN = 5;

const COLUMNS: { key: string; label: string; title: string }[] = [
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

export type GridKey = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'open';

export interface GridCallbacks {
  /** The user scrolled: `top` is the (fractional) display index now at the top. */
  onUserScroll(top: number, atBottom: boolean): void;
  onRowClick(abs: number): void;
  onRowOpen(abs: number): void;
  onKey(key: GridKey): void;
  onResize(): void;
}

export interface GridView {
  /** Absolute index of display row 0, and the number of rows. */
  start: number;
  total: number;
  /** Absolute (fractional) index of the row at the top of the viewport. */
  top: number;
  rowAt(abs: number): LogRow | undefined;
  selectedAbs: number | undefined;
  selectedSeq: number | undefined;
  emptyText: string;
}

interface RowEl {
  el: HTMLDivElement;
  cells: HTMLDivElement[];
  dirIcon: HTMLSpanElement;
  dirText: HTMLSpanElement;
  key: string;
  abs: number;
}

export class Grid {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly rowsBox: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private pool: RowEl[] = [];
  private readonly byElement = new WeakMap<Element, RowEl>();
  /**
   * The scrollTop we know of: set by us or reported by a scroll event. A scroll event at this
   * position is our own; a scrollTop that differs is the user's (maybe not reported yet).
   */
  private knownScrollTop = 0;
  /**
   * The scroller's height when the rows were last placed. A scrollTop that changes while the
   * height differs is the browser's doing (a clamp as the grid grows), not the user's.
   */
  private renderedHeight = -1;
  private lastView: GridView | undefined;
  private areaHeight = 0;
  private spacerPx = -1;
  /** Measured from the header, whose height the stylesheet derives from the fonts. */
  private rowHeight = ROW_HEIGHT;

  constructor(private readonly cb: GridCallbacks) {
    this.element = el('div', 'grid');
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', l10n.t('Messages'));
    this.element.setAttribute('aria-colcount', String(COLUMNS.length));
    this.element.setAttribute('aria-multiselectable', 'false');
    this.element.tabIndex = 0;

    this.scroller = el('div', 'grid-scroller');
    this.scroller.setAttribute('role', 'presentation');
    this.scroller.tabIndex = -1;
    this.layer = el('div', 'grid-layer');
    this.layer.setAttribute('role', 'presentation');
    this.header = el('div', 'grid-header grid-cols');
    this.header.setAttribute('role', 'row');
    this.header.setAttribute('aria-rowindex', '1');
    COLUMNS.forEach((c, i) => {
      const cell = el('div', `cell col-${c.key}`, c.label);
      cell.setAttribute('role', 'columnheader');
      cell.setAttribute('aria-colindex', String(i + 1));
      cell.title = c.title;
      this.header.appendChild(cell);
    });
    this.rowsBox = el('div', 'grid-rows');
    this.rowsBox.setAttribute('role', 'rowgroup');
    this.empty = el('div', 'grid-empty');
    this.layer.append(this.header, this.rowsBox, this.empty);
    this.spacer = el('div', 'grid-spacer');
    this.spacer.setAttribute('aria-hidden', 'true');
    this.scroller.append(this.layer, this.spacer);
    this.element.appendChild(this.scroller);

    this.scroller.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.rowsBox.addEventListener('mousedown', (e) => {
      const row = this.rowFromEvent(e);
      if (row) {
        this.cb.onRowClick(row.abs);
        this.element.focus({ preventScroll: true });
        e.preventDefault();
      }
    });
    this.rowsBox.addEventListener('dblclick', (e) => {
      const row = this.rowFromEvent(e);
      if (row) this.cb.onRowOpen(row.abs);
    });
    this.element.addEventListener('keydown', (e) => this.onKeyDown(e));
    new ResizeObserver(() => {
      this.measure();
      this.cb.onResize();
    }).observe(this.scroller);
  }

  /** Rows that fit in the viewport (fractional). */
  get visibleRows(): number {
    this.measure();
    return Math.max(1, this.areaHeight / this.rowHeight);
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  render(v: GridView): void {
    // A scroll made since the last scroll event (e.g. by script in this frame) is the user's:
    // take it instead of putting the old position back.
    if (this.lastView && Math.abs(this.scroller.scrollTop - this.knownScrollTop) >= 1) {
      const top = this.onScroll();
      if (top !== undefined) v = { ...v, top: v.start + top };
    }
    this.lastView = v;
    const visible = this.visibleRows;
    const { total } = v;
    this.element.setAttribute('aria-rowcount', String(total + 1));
    const contentPx = Math.min(total * this.rowHeight, MAX_SCROLL_PX);
    const spacerPx = Math.max(0, Math.ceil(contentPx - this.areaHeight));
    const maxTop = Math.max(0, total - visible);
    const top = Math.min(Math.max(0, v.top - v.start), maxTop);
    if (spacerPx !== this.spacerPx) {
      this.spacerPx = spacerPx;
      this.spacer.style.height = `${spacerPx}px`;
    }
    const scrollTop = maxTop > 0 ? (top / maxTop) * spacerPx : 0;
    if (Math.abs(this.scroller.scrollTop - scrollTop) >= 1) this.scroller.scrollTop = scrollTop;
    this.knownScrollTop = this.scroller.scrollTop;
    this.renderedHeight = this.scroller.clientHeight;

    this.empty.textContent = total === 0 ? v.emptyText : '';
    this.empty.hidden = total !== 0;

    const first = Math.max(0, Math.floor(top) - OVERSCAN);
    const last = Math.min(total, Math.ceil(top + visible) + OVERSCAN);
    const wanted: { d: number; abs: number; row: LogRow | undefined; key: string }[] = [];
    for (let d = first; d < last; d++) {
      const abs = v.start + d;
      const row = v.rowAt(abs);
      // A publish's outcome changes its row: a new key has it filled again.
      const key = row ? `s${row.seq}${row.outcome ? `-${row.outcome}` : ''}` : `a${abs}`;
      wanted.push({ d, abs, row, key });
    }
    const byKey = new Map<string, RowEl>();
    for (const r of this.pool) byKey.set(r.key, r);
    const assigned: (RowEl | undefined)[] = wanted.map((w) => {
      const r = byKey.get(w.key);
      if (r) byKey.delete(w.key);
      return r;
    });
    const free = [...byKey.values()];
    let activeId = false;
    const next: RowEl[] = [];
    wanted.forEach((w, i) => {
      let r = assigned[i];
      if (!r) {
        r = free.pop() ?? this.createRow();
        this.fill(r, w.row, w.key);
      }
      r.abs = w.abs;
      next.push(r);
      const y = Math.round((w.d - top) * this.rowHeight);
      r.el.style.transform = `translateY(${y}px)`;
      r.el.setAttribute('aria-rowindex', String(w.d + 2));
      const selected =
        w.row !== undefined && v.selectedSeq !== undefined
          ? w.row.seq === v.selectedSeq
          : w.abs === v.selectedAbs;
      r.el.setAttribute('aria-selected', selected ? 'true' : 'false');
      r.el.classList.toggle('selected', selected);
      if (selected) {
        r.el.id = 'ml-selected-row';
        activeId = true;
      } else if (r.el.id) r.el.removeAttribute('id');
    });
    for (const r of free) r.el.remove();
    // Keep DOM order = row order, for screen readers; only touch the DOM when it differs.
    const children = this.rowsBox.children;
    let inOrder = children.length === next.length;
    for (let i = 0; inOrder && i < next.length; i++) inOrder = children[i] === next[i].el;
    if (!inOrder) this.rowsBox.append(...next.map((r) => r.el));
    this.pool = next;
    if (activeId) this.element.setAttribute('aria-activedescendant', 'ml-selected-row');
    else this.element.removeAttribute('aria-activedescendant');
  }

  private createRow(): RowEl {
    const row = el('div', 'grid-row grid-cols');
    row.setAttribute('role', 'row');
    const cells = COLUMNS.map((c, i) => {
      const cell = el('div', `cell col-${c.key}`);
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(i + 1));
      row.appendChild(cell);
      return cell;
    });
    const dirIcon = el('span', 'codicon');
    dirIcon.setAttribute('aria-hidden', 'true');
    const dirText = srOnly('');
    cells[2].append(dirIcon, dirText);
    const r: RowEl = { el: row, cells, dirIcon, dirText, key: '', abs: -1 };
    this.byElement.set(row, r);
    return r;
  }

  private fill(r: RowEl, row: LogRow | undefined, key: string): void {
    r.key = key;
    const c = r.cells;
    r.el.classList.toggle('loading', !row);
    if (!row) {
      r.el.removeAttribute('data-seq');
      r.el.setAttribute('aria-busy', 'true');
      for (let i = 0; i < c.length; i++) if (i !== 2) c[i].textContent = '';
      r.dirIcon.className = 'codicon';
      r.dirText.textContent = '';
      delete r.el.dataset.outcome;
      c[8].textContent = '…';
      return;
    }
    r.el.removeAttribute('aria-busy');
    r.el.dataset.seq = String(row.seq);
    c[0].textContent = formatTime(row.time);
    const conn = visibleLine(row.connection, 200);
    c[1].textContent = conn;
    c[1].title = conn;
    const out = row.direction === 'out';
    r.dirIcon.className = `codicon codicon-${directionIcon(row)} dir-${out ? 'out' : 'in'}`;
    r.dirText.textContent = out ? l10n.t('out') : l10n.t('in');
    c[2].title = out ? l10n.t('Published (out)') : l10n.t('Received (in)');
    if (row.outcome) {
      r.dirText.textContent += `, ${outcomeText(row.outcome)}`;
      c[2].title += ` — ${outcomeText(row.outcome)}`;
    }
    // A refused or failed publish is red (media/messageLog.css); its title says why in words.
    r.el.dataset.outcome = row.outcome ?? '';
    const topic = visibleLine(row.topic);
    c[3].textContent = topic;
    c[3].title = topic;
    c[4].textContent = String(row.qos);
    c[5].textContent = row.retain ? 'R' : '';
    c[5].title = row.retain ? l10n.t('Retained') : '';
    c[6].textContent = row.dup ? 'D' : '';
    c[6].title = row.dup ? l10n.t('Duplicate delivery') : '';
    c[7].textContent = formatSize(row.size);
    c[8].textContent = visibleLine(row.preview, 300);
    c[8].classList.toggle('binary', row.binary);
  }

  private rowFromEvent(e: Event): RowEl | undefined {
    const target = (e.target as Element | null)?.closest('.grid-row');
    return target ? this.byElement.get(target) : undefined;
  }

  private measure(): void {
    // The layer is as tall as the scroller by CSS (height: 100%), in the same layout as the
    // resize: the scroll range stays total rows + header. Only a taller grid can clamp scrollTop,
    // and onScroll does not take that for the user's.
    const height = this.scroller.clientHeight;
    this.rowHeight = this.header.clientHeight || ROW_HEIGHT;
    const header = this.header.offsetHeight || ROW_HEIGHT;
    this.areaHeight = Math.max(0, height - header);
  }

  /** Handles a user scroll; returns the display index now at the top, if it was one. */
  private onScroll(): number | undefined {
    const st = this.scroller.scrollTop;
    if (Math.abs(st - this.knownScrollTop) < 1) return undefined;
    // The grid was resized (detail pane, splitter, window) since the rows were placed: the next
    // render puts the rows where the view wants them; reading this as a scroll would lose that.
    if (this.scroller.clientHeight !== this.renderedHeight) return undefined;
    this.knownScrollTop = st;
    const v = this.lastView;
    if (!v) return undefined;
    const visible = this.visibleRows;
    const maxTop = Math.max(0, v.total - visible);
    const spacerPx = Math.max(
      0,
      Math.ceil(Math.min(v.total * this.rowHeight, MAX_SCROLL_PX) - this.areaHeight),
    );
    const top = spacerPx > 0 ? (st / spacerPx) * maxTop : 0;
    const atBottom = spacerPx - st <= 2;
    this.cb.onUserScroll(top, atBottom);
    return top;
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const keys: Record<string, GridKey> = {
      ArrowUp: 'up',
      ArrowDown: 'down',
      PageUp: 'pageUp',
      PageDown: 'pageDown',
      Home: 'home',
      End: 'end',
      Enter: 'open',
    };
    const key = keys[e.key];
    if (!key) return;
    e.preventDefault();
    this.cb.onKey(key);
  }
}
