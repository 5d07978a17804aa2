/**
 * The messages between the host and a Packet Trace webview. The webview shows one connection's
 * trace at a time and pulls its rows by index range (the trace's indexes count every entry ever
 * kept, so `start` moves up as old entries drop out); the host sends `stats` notices, never
 * entries. Plain data only.
 */

/** A connection the view can show: it has a trace (on now, or kept from before). */
export interface TraceConnection {
  name: string;
  /** Tracing now. */
  traced: boolean;
}

/** The indexes the shown connection's trace holds: [start, end). */
export interface TraceStats {
  connection: string;
  start: number;
  end: number;
  traced: boolean;
}

export interface TraceRow {
  index: number;
  /** Epoch milliseconds with a microsecond fraction. */
  time: number;
  direction: 'sent' | 'received';
  type: string;
  packetId?: number;
  size?: number;
  rttMs?: number;
  summary: string;
  /** The Message Log entry of a PUBLISH. */
  seq?: number;
}

export interface TraceDetail extends TraceRow {
  fields: { name: string; value: string }[];
}

// ---- webview → host ----------------------------------------------------------------------

export interface TraceReady {
  type: 'ready';
}

/** Shows another connection's trace. */
export interface TraceShowConnection {
  type: 'showConnection';
  requestId: number;
  connection: string;
}

export interface TraceRowsRequest {
  type: 'rows';
  requestId: number;
  connection: string;
  /** Trace index of the first row. */
  start: number;
  count: number;
}

export interface TraceDetailRequest {
  type: 'detail';
  requestId: number;
  connection: string;
  index: number;
}

/** "Show in Message Log" on a PUBLISH. */
export interface TraceShowInLog {
  type: 'showInLog';
  seq: number;
}

export type TraceWebviewToHost =
  TraceReady | TraceShowConnection | TraceRowsRequest | TraceDetailRequest | TraceShowInLog;

// ---- host → webview ----------------------------------------------------------------------

export interface TraceInit {
  type: 'init';
  connections: TraceConnection[];
  /** The connection shown first; undefined when no connection has a trace. */
  stats?: TraceStats;
  /** A row to select at once (from "Show in Packet Trace"). */
  select?: number;
}

export interface TraceConnectionsNotice {
  type: 'connections';
  connections: TraceConnection[];
}

/** The shown connection's trace grew, dropped old entries or was turned on or off. */
export interface TraceStatsNotice {
  type: 'stats';
  stats: TraceStats;
}

/** Shows a connection and, when given, selects the entry with this index. */
export interface TraceSelectNotice {
  type: 'select';
  stats: TraceStats;
  index?: number;
}

export interface TraceConnectionReply {
  type: 'connection';
  requestId: number;
  stats: TraceStats;
}

export interface TraceRowsReply {
  type: 'rows';
  requestId: number;
  connection: string;
  start: number;
  rows: TraceRow[];
  stats: TraceStats;
}

export interface TraceDetailReply {
  type: 'detail';
  requestId: number;
  detail?: TraceDetail;
  /** Why there is none (the entry dropped out of the trace). */
  error?: string;
}

export type TraceHostToWebview =
  | TraceInit
  | TraceConnectionsNotice
  | TraceStatsNotice
  | TraceSelectNotice
  | TraceConnectionReply
  | TraceRowsReply
  | TraceDetailReply;

export interface TraceReplies {
  showConnection: TraceConnectionReply;
  rows: TraceRowsReply;
  detail: TraceDetailReply;
}

export const TRACE_HOST_MESSAGE_TYPES: readonly TraceHostToWebview['type'][] = [
  'init',
  'connections',
  'stats',
  'select',
  'connection',
  'rows',
  'detail',
];
