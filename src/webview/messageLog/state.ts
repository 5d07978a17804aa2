/** The UI state kept with vscode.setState, so a reloaded webview comes back as it was. */
import type { LogFilter } from '../../protocol/messageLog';
import { normalizeLogFilter } from '../../protocol/logFilter';

/** How the payload is shown; `auto` is "Decoded": as its decoder on the host read it. */
export type PayloadView = 'auto' | 'text' | 'json' | 'hex';

/** The detail pane's share of the space (0..1), for each arrangement of grid and detail. */
export interface DetailShare {
  stacked: number;
  beside: number;
}

export interface UiState {
  filter: LogFilter;
  follow: boolean;
  selectedSeq: number | undefined;
  /** Row index of the top of the grid when not following. */
  topIndex: number;
  detailOpen: boolean;
  payloadView: PayloadView;
  wrap: boolean;
  diff: boolean;
  detailShare: DetailShare;
}

export const DEFAULT_STATE: UiState = {
  filter: {},
  follow: true,
  selectedSeq: undefined,
  topIndex: 0,
  detailOpen: true,
  payloadView: 'auto',
  wrap: true,
  diff: false,
  detailShare: { stacked: 0.45, beside: 0.45 },
};

/** Takes what is usable from a stored state; anything malformed falls back to the default. */
export function restoreState(stored: Partial<UiState> | undefined): UiState {
  const s = { ...DEFAULT_STATE, detailShare: { ...DEFAULT_STATE.detailShare } };
  if (!stored) return s;
  if (stored.filter && typeof stored.filter === 'object')
    s.filter = normalizeLogFilter(stored.filter);
  if (typeof stored.follow === 'boolean') s.follow = stored.follow;
  if (typeof stored.selectedSeq === 'number') s.selectedSeq = stored.selectedSeq;
  if (typeof stored.topIndex === 'number' && stored.topIndex >= 0) s.topIndex = stored.topIndex;
  if (typeof stored.detailOpen === 'boolean') s.detailOpen = stored.detailOpen;
  if (['auto', 'text', 'json', 'hex'].includes(stored.payloadView as string))
    s.payloadView = stored.payloadView as PayloadView;
  if (typeof stored.wrap === 'boolean') s.wrap = stored.wrap;
  if (typeof stored.diff === 'boolean') s.diff = stored.diff;
  const share = stored.detailShare;
  if (share && typeof share === 'object')
    for (const k of ['stacked', 'beside'] as const)
      if (typeof share[k] === 'number' && share[k] > 0 && share[k] < 1) s.detailShare[k] = share[k];
  return s;
}

export function isFiltering(f: LogFilter): boolean {
  return Object.keys(normalizeLogFilter(f)).length > 0;
}

export function sameFilter(a: LogFilter, b: LogFilter): boolean {
  return JSON.stringify(normalizeLogFilter(a)) === JSON.stringify(normalizeLogFilter(b));
}

/**
 * Saves the state `snapshot` gives, at most every 100 ms, with `setState` (VS Code keeps it
 * across reloads of the webview).
 */
export function throttledSave(setState: (state: UiState) => void, snapshot: () => UiState) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (): void => {
    timer ??= setTimeout(() => {
      timer = undefined;
      setState(snapshot());
    }, 100);
  };
}
