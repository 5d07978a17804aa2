/**
 * The virtualised grid of any view, generic over its row type: the view gives the columns and
 * how a row fills its cells (`GridRows`), the grid does the rest. Only the rows in view (plus a few above and below) exist in the DOM;
 * they are absolutely positioned inside a sticky layer, and a spacer gives the scrollbar its
 * length: total × row height, capped at MAX_SCROLL_PX, beyond which scroll positions map onto
 * rows proportionally (so 1,000,000 rows still scroll from first to last).
 *
 * ARIA: role=grid with aria-rowcount (header + rows), rows with aria-rowindex and
 * aria-selected, the selected row named by aria-activedescendant; the grid itself holds focus.
 */
import { el } from './dom';

/** Row height at the default font sizes; larger fonts make rows taller (CSS `--row-height`). */
export const ROW_HEIGHT = 22;
/** Tallest spacer; browsers cap element heights (Chromium near 33.5M px), and precision drops. */
export const MAX_SCROLL_PX = 10_000_000;
export const OVERSCAN = 5;

export interface GridColumn {
  key: string;
  label: string;
  /** The header's tooltip. */
  title: string;
}

/** What a view tells the grid about its rows. */
export interface GridRows<Row> {
  columns: readonly GridColumn[];
  /** The grid's accessible name. */
  label: string;
  /** A row's identity: the selection and the DOM element follow it as rows shift. */
  idOf(row: Row): number;
  /** What else makes a row look different (e.g. a publish's outcome): a change fills it again. */
  versionOf?(row: Row): string;
  /**
   * Prepares a new row element (its cells are made, one per column, with class
   * `cell col-<key>`) and returns what fills it: with a row, or with undefined while it loads.
   */
  createRow(element: HTMLDivElement, cells: HTMLDivElement[]): (row: Row | undefined) => void;
}

export type GridKey = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'open';

export interface GridCallbacks {
  /** The user scrolled: `top` is the (fractional) display index now at the top. */
  onUserScroll(top: number, atBottom: boolean): void;
  onRowClick(abs: number): void;
  onRowOpen(abs: number): void;
  onKey(key: GridKey): void;
  onResize(): void;
}

export interface GridView<Row> {
  /** Absolute index of display row 0, and the number of rows. */
  start: number;
  total: number;
  /** Absolute (fractional) index of the row at the top of the viewport. */
  top: number;
  rowAt(abs: number): Row | undefined;
  selectedAbs: number | undefined;
  /** The selected row's id (`GridRows.idOf`), when known. */
  selectedId: number | undefined;
  emptyText: string;
}

interface RowEl<Row> {
  el: HTMLDivElement;
  fill(row: Row | undefined): void;
  key: string;
  abs: number;
}

export class Grid<Row> {
  readonly element: HTMLDivElement;
  private readonly scroller: HTMLDivElement;
  private readonly layer: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly rowsBox: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private pool: RowEl<Row>[] = [];
  private readonly byElement = new WeakMap<Element, RowEl<Row>>();
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
  private lastView: GridView<Row> | undefined;
  private areaHeight = 0;
  private spacerPx = -1;
  /** Measured from the header, whose height the stylesheet derives from the fonts. */
  private rowHeight = ROW_HEIGHT;

  constructor(
    private readonly rows: GridRows<Row>,
    private readonly cb: GridCallbacks,
  ) {
    this.element = el('div', 'grid');
    this.element.setAttribute('role', 'grid');
    this.element.setAttribute('aria-label', rows.label);
    this.element.setAttribute('aria-colcount', String(rows.columns.length));
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
    rows.columns.forEach((c, i) => {
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

  render(v: GridView<Row>): void {
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
    const wanted: { d: number; abs: number; row: Row | undefined; key: string }[] = [];
    for (let d = first; d < last; d++) {
      const abs = v.start + d;
      const row = v.rowAt(abs);
      const version = row && this.rows.versionOf ? `-${this.rows.versionOf(row)}` : '';
      wanted.push({ d, abs, row, key: row ? `s${this.rows.idOf(row)}${version}` : `a${abs}` });
    }
    const byKey = new Map<string, RowEl<Row>>();
    for (const r of this.pool) byKey.set(r.key, r);
    const assigned: (RowEl<Row> | undefined)[] = wanted.map((w) => {
      const r = byKey.get(w.key);
      if (r) byKey.delete(w.key);
      return r;
    });
    const free = [...byKey.values()];
    let activeId = false;
    const next: RowEl<Row>[] = [];
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
        w.row !== undefined && v.selectedId !== undefined
          ? this.rows.idOf(w.row) === v.selectedId
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

  private createRow(): RowEl<Row> {
    const row = el('div', 'grid-row grid-cols');
    row.setAttribute('role', 'row');
    const cells = this.rows.columns.map((c, i) => {
      const cell = el('div', `cell col-${c.key}`);
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(i + 1));
      row.appendChild(cell);
      return cell;
    });
    const r: RowEl<Row> = { el: row, fill: this.rows.createRow(row, cells), key: '', abs: -1 };
    this.byElement.set(row, r);
    return r;
  }

  private fill(r: RowEl<Row>, row: Row | undefined, key: string): void {
    r.key = key;
    r.el.classList.toggle('loading', !row);
    if (row) r.el.removeAttribute('aria-busy');
    else r.el.setAttribute('aria-busy', 'true');
    r.fill(row);
  }

  private rowFromEvent(e: Event): RowEl<Row> | undefined {
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
