/**
 * The messages between the host and the Who Floods webview: topics ranked by messages/s or
 * bytes/s over the last 10 s or minute, per connection or across all, each with its last 60
 * seconds for a sparkline. The webview says what it wants to see (`setView`); the host sends a
 * ranking at once and then at most once a second while traffic flows. Plain data only; topics
 * and connection names are device text, shown through src/shared/visibleText.
 */

export type FloodWindow = 10 | 60;
export type FloodSort = 'msgs' | 'bytes';

/** Rows a ranking holds at most. */
export const MAX_FLOOD_ROWS = 100;

export interface FloodView {
  /** One connection, or every connection when absent. */
  connection?: string;
  window: FloodWindow;
  sort: FloodSort;
}

/** Characters of a topic a row carries; a longer one is cut (the host keeps it whole). */
export const MAX_FLOOD_TOPIC_CHARS = 1024;

export interface FloodRow {
  connection: string;
  /** At most MAX_FLOOD_TOPIC_CHARS: a row opens the whole topic all the same. */
  topic: string;
  msgsPerSecond: number;
  bytesPerSecond: number;
  /** The last 60 seconds of the sorted measure, oldest first. */
  spark: number[];
}

export interface FloodRanking {
  view: FloodView;
  rows: FloodRow[];
  /** Connections with traffic in the last minute, by name. */
  connections: string[];
  /** Messages/s, over the window, on topics beyond the tracking cap (not in `rows`). */
  untrackedPerSecond: number;
  /** The cap on tracked topics. */
  maxTopics: number;
}

// ---- webview → host ----------------------------------------------------------------------

export interface FloodsReady {
  type: 'ready';
}

export interface FloodsSetView {
  type: 'setView';
  view: FloodView;
}

/** Click or Enter on a row: the Message Log filtered to the topic and connection. */
export interface FloodsOpenTopic {
  type: 'openTopic';
  connection: string;
  topic: string;
}

export type FloodsWebviewToHost = FloodsReady | FloodsSetView | FloodsOpenTopic;

// ---- host → webview ----------------------------------------------------------------------

export interface FloodsInit {
  type: 'init';
  ranking: FloodRanking;
}

export interface FloodsRankingNotice {
  type: 'ranking';
  ranking: FloodRanking;
}

/** The host changed what the view shows (Show Who Floods on a connection). */
export interface FloodsShowNotice {
  type: 'show';
  ranking: FloodRanking;
}

export type FloodsHostToWebview = FloodsInit | FloodsRankingNotice | FloodsShowNotice;

/** No requests: the view's messages are notices. */
export type FloodsReplies = Record<never, never>;

export const FLOODS_HOST_MESSAGE_TYPES: readonly FloodsHostToWebview['type'][] = [
  'init',
  'ranking',
  'show',
];
