/**
 * A chart's numeric field read from a message's bytes: the payload is decoded by the decoder
 * registry (with the topic's decoder rule when the settings have one), so a path into the value
 * tree works for every format; the empty path is the payload itself as a number.
 */
import { decodePayload, type RuleChoice } from '../decoders/registry';
import type { DecodeContext } from '../decoders/decoder';
import type { DecodedPayload } from '../../protocol/decoded';
import {
  numericFields,
  PAYLOAD_PATH,
  readField,
  textNumber,
  type NumericField,
  type PathStep,
} from './numericFields';

/** The decoder rule of a topic, from `mqttScope.decoders` (undefined: automatic choice). */
export type DecoderRuleOf = (topic: string) => RuleChoice | undefined;

/** Sparkplug B metric names of a message sent by alias, from the births before it. */
export type MetricAliasOf = (message: PayloadSource) => DecodeContext['metricAlias'];

/** What a field is read from: a stored entry or a received message. */
export interface PayloadSource {
  topic: string;
  payload: Uint8Array;
  properties?: Record<string, unknown>;
  /** Its Message Log entry (names Sparkplug B aliases from the births before it). */
  seq?: number;
}

export function decodeSource(
  message: PayloadSource,
  decoderRule?: DecoderRuleOf,
  metricAlias?: MetricAliasOf,
): DecodedPayload {
  const contentType = message.properties?.contentType;
  const aliases = metricAlias?.(message);
  return decodePayload(
    message.payload,
    {
      topic: message.topic,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      ...(aliases ? { metricAlias: aliases } : {}),
    },
    decoderRule?.(message.topic),
  );
}

/** The field's value in a message, or undefined when the message has no number there. */
export function fieldValue(
  message: PayloadSource,
  steps: readonly PathStep[],
  decoderRule?: DecoderRuleOf,
  metricAlias?: MetricAliasOf,
): number | undefined {
  const decoded = decodeSource(message, decoderRule, metricAlias);
  if (decoded.value) return readField(decoded.value, steps);
  if (steps.length === 0 && decoded.text !== undefined) return textNumber(decoded.text);
  return undefined;
}

/** The numeric fields a message offers: the payload as a number, or its tree's numbers. */
export function fieldsOf(
  message: PayloadSource,
  decoderRule?: DecoderRuleOf,
  metricAlias?: MetricAliasOf,
): NumericField[] {
  const decoded = decodeSource(message, decoderRule, metricAlias);
  if (decoded.value) return numericFields(decoded.value);
  const value = decoded.text === undefined ? undefined : textNumber(decoded.text);
  return value === undefined ? [] : [{ path: PAYLOAD_PATH, value }];
}
