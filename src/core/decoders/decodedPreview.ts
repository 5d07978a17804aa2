/**
 * A one-line preview of a payload in a binary format (CBOR, MessagePack, Protobuf, base64, Sparkplug B) as its
 * decoder reads it, for the Message Log's rows and the topic explorer: such bytes read poorly as
 * hex. Text, JSON and unknown bytes keep their usual preview. Built only for rows being shown.
 */
import type { DecoderId } from '../../protocol/decoded';
import type { DecodeContext } from './decoder';
import type { DecodedNode } from '../../protocol/decoded';
import { chooseDecoder, decodePayload, type RuleChoice } from './registry';
import { cutText } from '../../shared/visibleText';

/** Decoders whose payloads a preview shows decoded. */
const DECODED_IN_PREVIEW = new Set<DecoderId>([
  'cbor',
  'msgpack',
  'protobuf',
  'base64',
  'sparkplug',
]);
/** A larger payload keeps the plain preview: a row is not worth decoding that much. */
export const PREVIEW_DECODE_MAX_BYTES = 64 * 1024;

/**
 * The decoded payload on one line, at most `maxChars` characters with … when cut; undefined
 * when the payload's usual preview applies (not such a format, too large, or it did not decode).
 */
export function decodedPreview(
  payload: Uint8Array,
  context: DecodeContext,
  rule: RuleChoice | undefined,
  maxChars: number,
): string | undefined {
  if (payload.byteLength === 0 || payload.byteLength > PREVIEW_DECODE_MAX_BYTES) return undefined;
  const choice = chooseDecoder(payload, context, rule);
  if (!choice || !DECODED_IN_PREVIEW.has(choice.decoder.id)) return undefined;
  const decoded = decodePayload(payload, context, rule);
  if (decoded.error !== undefined) return undefined;
  const line = decoded.value
    ? oneLine(decoded.value, maxChars + 1)
    : decoded.text?.slice(0, maxChars * 4).replace(/\s*\n\s*/g, ' ');
  if (line === undefined) return undefined;
  const cut = cutText(line, maxChars);
  return cut.length < line.length ? `${cut}…` : cut;
}

/** The tree as compact JSON-like text (as `decodedText` words values), stopping past `max` characters. */
function oneLine(root: DecodedNode, max: number): string {
  const out: string[] = [];
  let length = 0;
  const put = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const walk = (node: DecodedNode): void => {
    if (length > max) return;
    switch (node.t) {
      case 'null':
        return put('null');
      case 'bool':
      case 'num':
        return put(String(node.v));
      case 'int':
        return put(node.v);
      case 'str':
        return put(JSON.stringify(node.v.length > max ? node.v.slice(0, max) : node.v));
      case 'bytes':
        return put(`h'${node.hex}${node.cut ? '…' : ''}' (${node.size} B)`);
      case 'cut':
        return put(`«${node.why}»`);
      case 'list':
        put('[');
        for (let i = 0; i < node.items.length && length <= max; i++) {
          if (i > 0) put(', ');
          walk(node.items[i]);
        }
        return put(']');
      case 'map':
        put('{');
        for (let i = 0; i < node.entries.length && length <= max; i++) {
          if (i > 0) put(', ');
          put(`${JSON.stringify(node.entries[i][0])}: `);
          walk(node.entries[i][1]);
        }
        return put('}');
    }
  };
  walk(root);
  return out.join('');
}
