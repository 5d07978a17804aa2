/**
 * Builds the Message Log's parts (toolbar, grid, splitter, detail pane) into the page and wires
 * what the user does in them to the app's actions.
 */
import type { LogFilter, LogRow } from '../../protocol/messageLog';
import { Grid, type GridKey } from '../shared/grid';
import { DetailController } from './detailController';
import { el } from './dom';
import { logRows } from './logColumns';
import type { LogHostClient } from './logHostClient';
import { Splitter } from './splitter';
import type { UiState } from './state';
import { Toolbar } from './toolbar';

/** What the user can do in the Message Log, as the app carries it out. */
export interface LogUserActions {
  setFilter(filter: LogFilter): void;
  toggleFollow(): void;
  togglePause(): void;
  clear(): void;
  /** The user scrolled the grid: `top` is the (fractional) display index at the top. */
  scrolled(top: number, atBottom: boolean): void;
  /** Selects row `abs` (by the user when `byUser`). */
  select(abs: number, byUser: boolean): void;
  key(key: GridKey): void;
  /** The grid changed size (splitter, window). */
  gridResized(): void;
  /** The detail pane was shown or hidden. */
  detailLaidOut(): void;
  selectedSeq(): number | undefined;
  save(): void;
}

export interface LogParts {
  toolbar: Toolbar;
  grid: Grid<LogRow>;
  detail: DetailController;
}

export function buildLayout(
  root: HTMLElement,
  host: LogHostClient,
  state: UiState,
  app: LogUserActions,
): LogParts {
  const toolbar = new Toolbar({
    onFilter: (f) => app.setFilter(f),
    onFollow: () => app.toggleFollow(),
    onPause: () => app.togglePause(),
    onClear: () => app.clear(),
    onToggleDetail: () => detail.toggle(),
  });
  const grid = new Grid(logRows, {
    onUserScroll: (top, atBottom) => app.scrolled(top, atBottom),
    onRowClick: (abs) => app.select(abs, true),
    onRowOpen: (abs) => {
      app.select(abs, true);
      detail.open();
    },
    onKey: (key) => app.key(key),
    onResize: () => app.gridResized(),
  });
  const detail = new DetailController({
    host,
    state,
    root,
    toolbar,
    selectedSeq: () => app.selectedSeq(),
    onLayout: () => app.detailLaidOut(),
    save: () => app.save(),
  });
  const main = el('div', 'main');
  detail.element.id = 'ml-detail';
  const splitter = new Splitter({ main, detail: detail.element, state, save: () => app.save() });
  main.append(grid.element, splitter.element, detail.element);
  root.replaceChildren(toolbar.element, main);
  toolbar.setFilter(state.filter);
  toolbar.setFollow(state.follow);
  toolbar.setPaused(false, 0, '0');
  detail.apply();
  return { toolbar, grid, detail };
}
