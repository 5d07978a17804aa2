/**
 * A stored message as the read-messages tool shows it: its payload decoded by the decoder
 * registry (a rule, the content type, then the bytes choose) from at most DECODE_MAX_BYTES, and
 * as text; what does not decode is shown as hex.
 */
import type { MessageEntry } from '../store/messageStoreTypes';
import { decodePayload, type RuleChoice } from '../decoders/registry';
import { decodedText } from '../decoders/decodedTree';
import { payloadSnippet } from '../payloadText';
import { MAX_PAYLOAD_CHARS, type MessageRow } from './toolTexts';

/** Bytes of a payload decoded at most: the text shown is cut to a few KiB anyway. */
export const DECODE_MAX_BYTES = 64 * 1024;

export function messageRow(entry: MessageEntry, rule: RuleChoice | undefined): MessageRow {
  const base = {
    connection: entry.connection,
    direction: entry.direction,
    topic: entry.topic,
    qos: entry.qos,
    retain: entry.retain,
    time: entry.time,
    size: entry.payload.byteLength,
  };
  const contentType = entry.properties?.contentType;
  if (entry.payload.byteLength === 0) return { ...base, format: 'empty', text: '' };
  if (entry.payload.byteLength <= DECODE_MAX_BYTES) {
    const decoded = decodePayload(
      entry.payload,
      {
        topic: entry.topic,
        contentType: typeof contentType === 'string' ? contentType : undefined,
      },
      rule,
    );
    const text =
      decoded.error === undefined
        ? (decoded.text ?? (decoded.value ? decodedText(decoded.value) : undefined))
        : undefined;
    if (text !== undefined && decoded.decoder !== 'hex')
      return { ...base, format: decoded.label, text };
  }
  const bytes = entry.payload.subarray(0, MAX_PAYLOAD_CHARS);
  return {
    ...base,
    format: 'text or hex (not decoded)',
    text: payloadSnippet(bytes, MAX_PAYLOAD_CHARS, entry.payload.byteLength),
  };
}
