/**
 * The decoder registry: which decoder reads a message, and its result. The choice, in order: a
 * rule from `mqttScope.decoders` whose topic filter matches; the MQTT 5 content type; the first
 * decoder in `AUTO_ORDER` whose `sniff` accepts the bytes; else hex. Never throws: a decoder's
 * error is returned with the payload's hex.
 */
import type { DecodedPayload, DecoderId } from '../../protocol/decoded';
import type { DecodeContext, PayloadDecoder } from './decoder';
import { imageDecoder } from './imageDecoder';
import { jsonDecoder } from './jsonDecoder';
import { textDecoder } from './textDecoder';
import { cborDecoder } from './cborDecoder';
import { msgpackDecoder } from './msgpackDecoder';
import { protobufDecoder } from './protobufDecoder';
import { base64Decoder } from './base64Decoder';
import { hexDecoder } from './hexDecoder';
import { sparkplugDecoder } from './sparkplugDecoder';

/** Every decoder, by id. Adding a decoder: its file, and one line here. */
const DECODERS: Partial<Record<DecoderId, PayloadDecoder>> = {
  json: jsonDecoder,
  image: imageDecoder,
  text: textDecoder,
  cbor: cborDecoder,
  msgpack: msgpackDecoder,
  protobuf: protobufDecoder,
  base64: base64Decoder,
  hex: hexDecoder,
  sparkplug: sparkplugDecoder,
};

/** Tried in this order when no rule or content type chooses. */
const AUTO_ORDER: DecoderId[] = ['sparkplug', 'json', 'cbor', 'image', 'text'];

export function decoderFor(id: DecoderId): PayloadDecoder | undefined {
  return DECODERS[id];
}

/** A decoder chosen before decoding, and why. */
export interface DecoderChoice {
  decoder: PayloadDecoder;
  reason: string;
}

/** What `mqttScope.decoders` chose for this message (the caller matches the topic). */
export interface RuleChoice {
  decoder: DecoderId;
  /** The rule's topic filter, for the reason shown. */
  topic: string;
  options?: DecodeContext['rule'];
}

export function chooseDecoder(
  bytes: Uint8Array,
  context: DecodeContext,
  rule?: RuleChoice,
): DecoderChoice | undefined {
  if (rule) {
    const decoder = DECODERS[rule.decoder];
    if (decoder) return { decoder, reason: `rule ${rule.topic}` };
  }
  const contentType = context.contentType?.split(';')[0].trim().toLowerCase();
  if (contentType) {
    for (const decoder of Object.values(DECODERS))
      if (decoder.contentTypes?.includes(contentType))
        return { decoder, reason: `content type ${contentType}` };
  }
  for (const id of AUTO_ORDER) {
    const decoder = DECODERS[id];
    if (decoder?.sniff?.(bytes, context.topic))
      return { decoder, reason: decoder.sniffReason ?? 'auto' };
  }
  return undefined;
}

/** Decodes a payload; a payload no decoder reads, or one that fails, comes back as hex. */
export function decodePayload(
  bytes: Uint8Array,
  context: DecodeContext,
  rule?: RuleChoice,
): DecodedPayload {
  const choice = chooseDecoder(bytes, rule ? { ...context, rule: rule.options } : context, rule);
  if (!choice) return { decoder: 'hex', label: 'Hex', reason: 'auto' };
  const { decoder, reason } = choice;
  try {
    const out = decoder.decode(bytes, rule ? { ...context, rule: rule.options } : context);
    const result: DecodedPayload = {
      decoder: decoder.id,
      label: out.label ?? decoder.label,
      reason,
    };
    if (out.value) result.value = out.value;
    if (out.text !== undefined) result.text = out.text;
    if (out.image) result.image = out.image;
    return result;
  } catch (error) {
    return {
      decoder: decoder.id,
      label: decoder.label,
      reason,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
