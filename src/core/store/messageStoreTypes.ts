/**
 * The shapes the message store takes and gives. Kept apart from the store so that code which
 * only shows or filters messages (the host's log view, the protocol) can import them cheaply.
 */
import type { QoS } from '../profile/profile';
import type { PropertiesTruncation } from '../incoming/packetGuard';
import type { StoredOutcome } from './messageStoreOutcomes';

export type Direction = 'in' | 'out';

/**
 * What `append` takes. A session's `ReceivedMessage` has this shape, so received messages are
 * stored without building another object.
 */
export interface MessageInput {
  topic: string;
  /** Copied into the store; the caller may reuse or drop its buffer. */
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup?: boolean;
  properties?: Record<string, unknown>;
  /** Set when the properties were cut to the limits on receipt: what the message carried. */
  propertiesTruncated?: PropertiesTruncation;
  /** When the message was received (in) or sent (out); the scheduler's now when absent. */
  receivedAt?: number;
}

export interface MessageEntry {
  /** Global, increasing across all connections, never reused (not even after clear()). */
  seq: number;
  connection: string;
  direction: Direction;
  topic: string;
  /** The bytes, never decoded; the caller's own copy (payloads too big for a slab: shared). */
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties: Record<string, unknown> | undefined;
  propertiesTruncated?: PropertiesTruncation;
  time: number;
  /** For an outgoing entry whose outcome was recorded: pending, or what the broker answered. */
  outcome?: StoredOutcome;
}

export interface MessageFilter {
  /** An MQTT topic filter ("+" and "#" allowed) the topic must match. */
  topicFilter?: string;
  connection?: string;
  direction?: Direction;
  /** One QoS or the QoS values accepted. */
  qos?: QoS | readonly QoS[];
  /** Only messages that carried the retain flag. */
  retainedOnly?: boolean;
  /** A substring of the payload (its UTF-8 bytes); case-sensitive unless ignoreCase. */
  text?: string;
  ignoreCase?: boolean;
  /** Tested against the payload decoded as UTF-8 (invalid bytes become U+FFFD). */
  regex?: RegExp | string;
}

export interface PageRequest {
  /**
   * Forward paging: entries with seq >= fromSeq, oldest first. Without it the page is the
   * newest entries before `beforeSeq` (or the newest of all), still returned oldest first.
   */
  fromSeq?: number;
  /** Upper bound (exclusive) in both directions. */
  beforeSeq?: number;
  limit: number;
  filter?: MessageFilter;
  /** Stop a filtered scan after this many rows even if fewer than `limit` matched. */
  maxScan?: number;
}

export interface MessagePage {
  /** In increasing seq order. */
  entries: MessageEntry[];
  /** Where the next page in the same direction starts: its fromSeq (forward) or beforeSeq. */
  next: number;
  /** Whether stored rows remain beyond `next` in this direction (at the time of the call). */
  more: boolean;
  /** Rows examined; equals entries.length for an unfiltered page. */
  scanned: number;
  firstSeq: number;
  lastSeq: number;
  evicted: number;
}

export interface MessageStoreStats {
  count: number;
  /** Estimated bytes: payloads + topics + a fixed overhead per entry (+ properties). */
  bytes: number;
  /** Entries dropped by the caps since creation or the last clear(). */
  evicted: number;
  /** Oldest stored seq; lastSeq + 1 when the store is empty. */
  firstSeq: number;
  lastSeq: number;
  /** Distinct (connection, topic) pairs with stored messages. */
  topics: number;
}

/** What onDidAppend carries: enough for a view to know what to fetch, never the messages. */
export interface AppendSummary {
  lastSeq: number;
  count: number;
  evicted: number;
}
