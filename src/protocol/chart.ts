/**
 * The messages between the host and a Chart webview. The host holds the points (one series per
 * topic, src/core/charts/) and sends the webview what it draws, already decimated to the
 * chart's width, at most every 100 ms; the webview says how wide it is and which time range it
 * shows (after a zoom). Topics are device text: the webview shows them through visible-text
 * rules. Plain data only.
 */

export interface ChartStats {
  /** Points held over all series. */
  points: number;
  /** Matching topics not charted (the chart has its maximum of series). */
  skippedTopics: number;
  /** Messages on charted topics without a number at the field. */
  unreadable: number;
}

// ---- webview → host ----------------------------------------------------------------------

export interface ChartReady {
  type: 'ready';
}

/** The plot's width in pixels and the time range shown (none: follow the newest points). */
export interface ChartViewMessage {
  type: 'view';
  width: number;
  range?: { from: number; to: number };
}

export interface ChartPause {
  type: 'pause';
  paused: boolean;
}

export interface ChartExportCsv {
  type: 'exportCsv';
}

/** The chart's canvas as a PNG, base64 (without a data: prefix). */
export interface ChartExportPng {
  type: 'exportPng';
  png: string;
}

export type ChartWebviewToHost =
  ChartReady | ChartViewMessage | ChartPause | ChartExportCsv | ChartExportPng;

// ---- host → webview ----------------------------------------------------------------------

export interface ChartInit {
  type: 'init';
  connection: string;
  topicFilter: string;
  /** The field path; "" is the payload as a number. */
  field: string;
  paused: boolean;
}

/** What to draw: one time axis, one value array per series (null: no point there). */
export interface ChartData {
  type: 'data';
  /** The topic of each series, as sent, cut to MAX_CHART_TOPIC_CHARS. */
  topics: string[];
  /** Epoch milliseconds, increasing. */
  times: number[];
  values: (number | null)[][];
  stats: ChartStats;
}

export type ChartHostToWebview = ChartInit | ChartData;

export type ChartReplies = Record<never, never>;

export const CHART_HOST_MESSAGE_TYPES: readonly ChartHostToWebview['type'][] = ['init', 'data'];

/** Characters of a topic sent with each update at most (a topic may be 65,535 long). */
export const MAX_CHART_TOPIC_CHARS = 1024;
/** Widest plot the host decimates for (pixels). */
export const MAX_CHART_WIDTH = 10_000;
/** Longest PNG export accepted (base64 characters: 24 MiB of image). */
export const MAX_PNG_BASE64 = 32 * 1024 * 1024;
