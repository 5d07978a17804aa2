/**
 * Turns stored messages into what the Message Log shows (src/protocol/messageLog.ts), and the
 * toolbar's filter into a store filter. Payloads are decoded here, only for rows being shown.
 */
import type {
  LogDetail,
  LogExchange,
  LogFilter,
  LogRow,
  PropertyList,
} from '../../protocol/messageLog';
import type { StoredOutcome } from '../store/messageStoreOutcomes';
import { reasonName } from '../reasons';
import { DETAIL_MAX_PROPERTIES, DETAIL_PREVIEW_BYTES } from '../../protocol/messageLog';
import { normalizeLogFilter } from '../../protocol/logFilter';
import type { MessageEntry, MessageFilter } from '../store/messageStoreTypes';
import { validateMessageFilter } from '../store/messageStoreFilter';
import { payloadSnippet } from '../payloadText';
import { decodeUtf8, withoutCutCharacter } from '../../shared/utf8';
import { toHex } from '../../shared/hex';
import { mqtt5Detail, type DetailContext } from './detailMqtt5';
import { decodePayload, type RuleChoice } from '../decoders/registry';
import type { DecodeContext } from '../decoders/decoder';
import { decodedPreview } from '../decoders/decodedPreview';

const ROW_PREVIEW_CHARS = 200;
/** Only the start of a payload is needed for a one-line preview. */
const ROW_PREVIEW_BYTES = 1024;

/** What decodes a stored message beyond its bytes: its topic's rule, Sparkplug B births. */
export type DecodeHints = Pick<DetailContext, 'decoderRule' | 'sparkplugAliases'>;

/**
 * A row of the log. A payload in a binary format (by its rule, its content type, or its bytes)
 * previews as its decoded text, other payloads as their text or hex.
 */
export function toLogRow(entry: MessageEntry, hints: DecodeHints = {}): LogRow {
  const head = entry.payload.subarray(0, ROW_PREVIEW_BYTES);
  const { context, rule } = entryDecoding(entry, hints);
  const preview =
    decodedPreview(entry.payload, context, rule, ROW_PREVIEW_CHARS) ??
    payloadSnippet(head, ROW_PREVIEW_CHARS, entry.payload.byteLength);
  const row: LogRow = {
    seq: entry.seq,
    time: entry.time,
    connection: entry.connection,
    direction: entry.direction,
    topic: entry.topic,
    qos: entry.qos,
    retain: entry.retain,
    dup: entry.dup,
    size: entry.payload.byteLength,
    preview,
    binary:
      entry.payload.byteLength > 0 &&
      decodeUtf8(head, entry.payload.byteLength > head.byteLength) === undefined,
    hasProperties: entry.properties !== undefined && Object.keys(entry.properties).length > 0,
  };
  if (entry.propertiesTruncated) row.propertiesTruncated = { ...entry.propertiesTruncated };
  if (entry.outcome !== undefined)
    row.outcome = entry.outcome === 'pending' ? 'pending' : entry.outcome.state;
  return row;
}

/** A publish's outcome as the detail shows it. */
export function toLogExchange(outcome: StoredOutcome, time: number): LogExchange {
  if (outcome === 'pending') return { state: 'pending', steps: [] };
  const exchange: LogExchange = {
    state: outcome.state,
    steps: outcome.steps.map((s) => {
      const step: LogExchange['steps'][number] = { packet: s.packet, atMs: s.atMs };
      if (s.reasonCode !== undefined) step.reason = reasonName(s.reasonCode);
      return step;
    }),
  };
  if (outcome.sentAt !== undefined) {
    if (outcome.sentAt > time) exchange.queuedMs = outcome.sentAt - time;
    exchange.elapsedMs = Math.max(0, outcome.settledAt - outcome.sentAt);
  }
  if (outcome.reasonCode !== undefined) exchange.reason = reasonName(outcome.reasonCode);
  if (outcome.reasonString !== undefined) exchange.reasonString = outcome.reasonString;
  if (outcome.error !== undefined) exchange.error = outcome.error;
  return exchange;
}

export function toLogDetail(
  entry: MessageEntry,
  previous: MessageEntry | undefined,
  full: boolean,
  context: DetailContext = { now: entry.time },
): LogDetail {
  const mqtt5 = mqtt5Detail(entry, context);
  const limit = full ? Infinity : DETAIL_PREVIEW_BYTES;
  const cut = (bytes: Uint8Array) =>
    bytes.byteLength > limit ? bytes.slice(0, limit) : bytes.slice();
  const properties = propertyList(entry.properties);
  const omitted = properties.length - DETAIL_MAX_PROPERTIES;
  return {
    ...toLogRow(entry),
    payload: cut(entry.payload),
    truncated: entry.payload.byteLength > limit,
    properties: omitted > 0 ? properties.slice(0, DETAIL_MAX_PROPERTIES) : properties,
    ...(omitted > 0 ? { propertiesOmitted: omitted } : {}),
    previous: previous && {
      seq: previous.seq,
      time: previous.time,
      payload: cut(previous.payload),
      truncated: previous.payload.byteLength > limit,
    },
    ...(entry.outcome !== undefined ? { exchange: toLogExchange(entry.outcome, entry.time) } : {}),
    ...(mqtt5 ? { mqtt5 } : {}),
    decoded: decodeEntry(entry, limit, context),
  };
}

/** The payload (its first `limit` bytes) as its decoder reads it. */
function decodeEntry(entry: MessageEntry, limit: number, context: DetailContext) {
  // A cut text may end inside a character: that tail is left out, so it still reads as text.
  const bytes =
    entry.payload.byteLength > limit
      ? withoutCutCharacter(entry.payload.subarray(0, limit))
      : entry.payload;
  const decoding = entryDecoding(entry, context);
  const decoded = decodePayload(bytes, decoding.context, decoding.rule);
  // The page draws a value tree from `value`, and JSON from the bytes as sent (exact numbers):
  // what it would not use is not sent (a 10 MB JSON's text and tree are megabytes each).
  // Nor the text of the text decoder (the payload itself) or the hex decoder (the page dumps it).
  if (decoded.value !== undefined || decoded.decoder === 'text' || decoded.decoder === 'hex')
    delete decoded.text;
  if (decoded.decoder === 'json') delete decoded.value;
  return decoded;
}

/** A stored message's decode context (topic, content type, Sparkplug B names) and rule. */
export function entryDecoding(
  entry: MessageEntry,
  hints: DecodeHints,
): { context: DecodeContext; rule: RuleChoice | undefined } {
  const contentType = entry.properties?.contentType;
  const metricAlias = hints.sparkplugAliases?.(entry.connection, entry.topic, entry.seq);
  return {
    context: {
      topic: entry.topic,
      ...(typeof contentType === 'string' ? { contentType } : {}),
      ...(metricAlias ? { metricAlias } : {}),
    },
    rule: hints.decoderRule?.(entry.topic),
  };
}

/** MQTT 5 properties as name/value text, in a stable order. */
export function propertyList(properties: Record<string, unknown> | undefined): PropertyList {
  if (!properties) return [];
  const list: PropertyList = [];
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    if (name === 'userProperties' && value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        for (const item of Array.isArray(v) ? v : [v])
          list.push({ name: `user property "${key}"`, value: String(item) });
      }
    } else if (value instanceof Uint8Array) {
      const text = decodeUtf8(value);
      // Correlation data is often text: shown as such whenever it is UTF-8 (made visible later).
      const asText = name === 'correlationData' ? /^/ : /^[\x20-\x7e]*$/;
      list.push({
        name,
        value:
          text !== undefined && asText.test(text)
            ? `${text} (hex ${toHex(value)})`
            : `hex ${toHex(value)}`,
      });
    } else if (Array.isArray(value)) {
      list.push({ name, value: value.map(String).join(', ') });
    } else {
      list.push({ name, value: typeof value === 'object' ? JSON.stringify(value) : String(value) });
    }
  }
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The toolbar's filter as a store filter, or the reason it cannot be used. */
export function toMessageFilter(filter: LogFilter): { filter?: MessageFilter; error?: string } {
  const f = normalizeLogFilter(filter);
  const result: MessageFilter = {};
  if (f.topicFilter) result.topicFilter = f.topicFilter;
  if (f.text) {
    if (f.regex) result.regex = caseInsensitive(f.text);
    else {
      result.text = f.text;
      result.ignoreCase = true;
    }
  }
  if (f.connection) result.connection = f.connection;
  if (f.direction) result.direction = f.direction;
  if (f.qos) result.qos = f.qos;
  if (f.retainedOnly) result.retainedOnly = true;
  const error = validateMessageFilter(result);
  if (error) return { error };
  return { filter: Object.keys(result).length ? result : undefined };
}

/** A regex typed as text, case-insensitive like the plain text search; an invalid one stays a
 * string so validateMessageFilter reports why. */
function caseInsensitive(source: string): RegExp | string {
  try {
    return new RegExp(source, 'i');
  } catch {
    return source;
  }
}
