/**
 * The messages between the extension host and the Message Log webview. The webview never gets
 * the whole log: the host announces, at most every ~100 ms, how many rows the view has; the
 * webview asks for the rows it is about to show, by index, and for one message's detail when it
 * is selected. Every request carries an id that its reply repeats.
 *
 * Everything in here is plain data (structured-cloneable); payload bytes travel as Uint8Array.
 */

import type { DecodedPayload } from './decoded';

export type Direction = 'in' | 'out';

/** The filters a user can set in the toolbar. Empty or missing fields do not filter. */
export interface LogFilter {
  /** An MQTT topic filter, e.g. `sensors/+/temp` or `demo/#`. */
  topicFilter?: string;
  /** Text the payload must contain (case-insensitive), or a regular expression when `regex`. */
  text?: string;
  regex?: boolean;
  connection?: string;
  direction?: Direction;
  qos?: (0 | 1 | 2)[];
  retainedOnly?: boolean;
}

/**
 * One row of the grid. Strings are as sent: the webview renders them as text only, through
 * src/shared/visibleText.
 */
export interface LogRow {
  seq: number;
  /** Milliseconds since the epoch. */
  time: number;
  connection: string;
  direction: Direction;
  topic: string;
  qos: 0 | 1 | 2;
  retain: boolean;
  dup: boolean;
  /** Payload size in bytes. */
  size: number;
  /** The payload's first ~200 characters as sent (… when cut), or its first bytes as hex. */
  preview: string;
  /** The payload is not valid UTF-8; `preview` is hex. */
  binary: boolean;
  /** MQTT 5 properties are present (fetch the detail to see them). */
  hasProperties: boolean;
  /**
   * Set when the message carried more MQTT 5 properties than are kept per message: how many it
   * carried and their size in bytes. Only the first ones were kept.
   */
  propertiesTruncated?: { count: number; bytes: number };
  /**
   * For a published message: `pending` until the broker answered, `ok` when it acknowledged,
   * `refused` (a reason code of 0x80 or more) or `failed` (never answered: not connected,
   * dropped from the queue, connection closed).
   */
  outcome?: OutcomeState;
}

export type OutcomeState = 'pending' | 'ok' | 'refused' | 'failed';

/** How a publish went: the acknowledgement packets with their timings, or why not. */
export interface LogExchange {
  state: OutcomeState;
  /** Milliseconds from the row's time (when it was taken) to when it was sent: a queued wait. */
  queuedMs?: number;
  /** Milliseconds from sending to the outcome. */
  elapsedMs?: number;
  /** PUBACK, or PUBREC, PUBREL, PUBCOMP, each timed from sending. */
  steps: { packet: string; atMs: number; reason?: string }[];
  /** The reason code and its name, e.g. "0x87 Not authorized". */
  reason?: string;
  /** The broker's MQTT 5 reason string. */
  reasonString?: string;
  /** Why a failed publish failed. */
  error?: string;
}

/** MQTT 5 properties, already turned into display text (correlation data as hex, etc.). */
export type PropertyList = { name: string; value: string }[];

export interface LogDetail extends LogRow {
  /** The payload bytes, or their first `DETAIL_PREVIEW_BYTES` unless the full payload was asked for. */
  payload: Uint8Array;
  /** True when `payload` holds only the beginning of the message. */
  truncated: boolean;
  /** At most `DETAIL_MAX_PROPERTIES` entries. */
  properties: PropertyList;
  /** Properties of the stored message left out of `properties` (beyond the first ones). */
  propertiesOmitted?: number;
  /** The previous message on the same topic and connection, for the diff, if still stored. */
  previous?: { seq: number; time: number; payload: Uint8Array; truncated: boolean };
  /** For a published message: how it went. */
  exchange?: LogExchange;
  /** For an MQTT 5 request or a reply to one: the message at the other end. */
  request?: LogRequestLink;
  /** What the MQTT 5 properties mean for this message, when it carried any of these. */
  mqtt5?: LogMqtt5Detail;
  /** The Packet Trace holds this message's PUBLISH ("Show in Packet Trace"). */
  traced?: boolean;
  /** The `.mqtt` block that published or expected it ("Open Block"): "lab.mqtt:12 · QoS 1 arrives". */
  origin?: { label: string };
  /** The payload (as far as `payload` holds it) read by its decoder (src/core/decoders). */
  decoded?: DecodedPayload;
}

/** The MQTT 5 properties read for the user (device text still to be shown through visibleText). */
export interface LogMqtt5Detail {
  /** Each identifier on the message, with the topic filter of the subscription that has it now. */
  subscriptions?: { identifier: number; topicFilter?: string }[];
  /** The topic alias the message was sent with, and the topic it stood for. */
  topicAlias?: { alias: number; topic: string };
  /** Message expiry: the interval, and what is left of it when the detail was built (≤ 0: expired). */
  expiry?: { intervalS: number; remainingS: number };
  /** Correlation data: as text when it is UTF-8, always as hex. */
  correlationData?: { text?: string; hex: string };
}

/**
 * How a message takes part in an MQTT 5 request/response, found in the log by its correlation
 * data: a request (response topic + correlation data) and its first reply, or a reply and its
 * request. Seqs name the other row, which `selectMessage` selects.
 */
export type LogRequestLink =
  | { role: 'request'; replySeq?: number; latencyMs?: number; otherReplies: number }
  | { role: 'reply'; requestSeq: number };

export const DETAIL_PREVIEW_BYTES = 256 * 1024;
/** The most properties a detail carries; the rest are counted in `propertiesOmitted`. */
export const DETAIL_MAX_PROPERTIES = 100;

export interface LogStats {
  /** Rows in the view under the current filter. */
  total: number;
  /** Messages in the store (all filters off). */
  stored: number;
  /** Messages dropped from the store by its caps since it was created or cleared. */
  evicted: number;
  /** Seq of the newest stored message (0 when none). */
  lastSeq: number;
  /**
   * Changes whenever the outcome of a published message is recorded: rows on screen are asked
   * for again (at most once per notice, never once per acknowledgement).
   */
  outcomes?: number;
  /**
   * Changes whenever the decoder rules change (`mqttScope.decoders`, a `.proto` file): the rows
   * on screen and the detail shown are asked for again, decoded by the rules now in force.
   */
  decoding?: number;
}

// ---- webview → host ----------------------------------------------------------------------

export interface ReadyRequest {
  type: 'ready';
}
export interface RowsRequest {
  type: 'rows';
  requestId: number;
  start: number;
  count: number;
}
export interface DetailRequest {
  type: 'detail';
  requestId: number;
  seq: number;
  /** Load the whole payload even when large. */
  full?: boolean;
}
export interface SetFilterRequest {
  type: 'setFilter';
  requestId: number;
  filter: LogFilter;
}
/** Where message `seq` is in this webview's view (after a filter change, to follow the selection). */
export interface LocateRequest {
  type: 'locate';
  requestId: number;
  seq: number;
}
/** `selectMessage`: select message `seq` in this log (a filter that hides it is cleared). */
export type LogAction =
  | 'copyPayload'
  | 'copyTopic'
  | 'openInEditor'
  | 'publishAgain'
  | 'revealInTree'
  | 'selectMessage'
  | 'showInPacketTrace'
  | 'openBlock';
export interface ActionRequest {
  type: 'action';
  action: LogAction;
  seq: number;
}
export interface ClearRequest {
  type: 'clear';
}

export type WebviewToHost =
  | ReadyRequest
  | RowsRequest
  | DetailRequest
  | SetFilterRequest
  | LocateRequest
  | ActionRequest
  | ClearRequest;

// ---- host → webview ----------------------------------------------------------------------

export interface InitMessage {
  type: 'init';
  stats: LogStats;
  connections: string[];
  filter: LogFilter;
}
/** Sent at most every ~100 ms while messages arrive, and after a clear. */
export interface StatsMessage {
  type: 'stats';
  stats: LogStats;
}
export interface RowsReply {
  type: 'rows';
  requestId: number;
  start: number;
  rows: LogRow[];
  stats: LogStats;
}
export interface DetailReply {
  type: 'detail';
  requestId: number;
  detail?: LogDetail;
  /** Why there is no detail (evicted, unknown seq). */
  error?: string;
}
export interface FilterReply {
  type: 'filter';
  requestId: number;
  /** The filter now in force (the old one when `error` is set). */
  filter: LogFilter;
  /** Why the requested filter was refused, e.g. an invalid topic filter or regular expression. */
  error?: string;
  /**
   * The payload filter took longer than this many milliseconds on a batch of messages and was
   * stopped; `filter` is the one still in force.
   */
  stoppedAfterMs?: number;
  stats: LogStats;
}
export interface LocateReply {
  type: 'locate';
  requestId: number;
  seq: number;
  /** The message's row index in the view, or -1 when the filter hides it or it is gone. */
  index: number;
  /** The message is still stored (so -1 means the filter hides it). */
  stored: boolean;
  stats: LogStats;
}
/** The host changed the filter (e.g. "Show Messages" on a topic in the explorer). */
export interface FilterChangedMessage {
  type: 'filterChanged';
  filter: LogFilter;
  stats: LogStats;
  /**
   * Set when the host dropped the payload filter because testing new messages took longer than
   * this many milliseconds.
   */
  stoppedAfterMs?: number;
}
export interface ConnectionsMessage {
  type: 'connections';
  connections: string[];
}
/** Select (and scroll to) this message, e.g. after "Reveal in Log". */
export interface SelectMessage {
  type: 'select';
  seq: number;
  index: number;
}

export type HostToWebview =
  | InitMessage
  | StatsMessage
  | RowsReply
  | DetailReply
  | FilterReply
  | LocateReply
  | FilterChangedMessage
  | ConnectionsMessage
  | SelectMessage;

/** Which reply answers which request (by `requestId`); the other messages get no reply. */
export interface LogReplies {
  rows: RowsReply;
  detail: DetailReply;
  setFilter: FilterReply;
  locate: LocateReply;
}
