/**
 * A MessageFilter turned into checks ordered by cost: flag bits first, then the topic (matched
 * once per distinct topic, not once per row), then the payload, which is searched as bytes for
 * plain text and decoded only for a regex or a case-insensitive search.
 */
import type { QoS } from '../profile/profile';
import { effectiveFilter, validateTopicFilter } from '../topics/topics';
import type { MessageFilter } from './messageStoreTypes';
import { decodeUtf8Lossy } from '../../shared/utf8';

/** Row flag bits, shared with the store. */
export const FLAGS = {
  F_QOS: 0b11,
  F_RETAIN: 1 << 2,
  F_DUP: 1 << 3,
  F_OUT: 1 << 4,
  /** MQTT 5 properties are kept aside, keyed by seq. */
  F_PROPS: 1 << 5,
  /** The payload is too large for a slab and kept aside, keyed by seq. */
  F_BIG: 1 << 6,
} as const;
const { F_OUT, F_RETAIN } = FLAGS;

export interface CompiledFilter {
  /** A row passes the flag test when (flags & flagMask) === flagValue. */
  flagMask: number;
  flagValue: number;
  /** Bit (1 << qos) set for each accepted QoS; 0b111 accepts all. */
  qosBits: number;
  connection: string | undefined;
  topicFilter: string | undefined;
  /** The topic filter when it has no wildcard: rows can then be found by walking topic chains. */
  exactTopic: string | undefined;
  /** UTF-8 bytes of `text` for a case-sensitive search. */
  needle: Buffer | undefined;
  /** Lower-cased `text` for a case-insensitive search over the decoded payload. */
  lowerText: string | undefined;
  regex: RegExp | undefined;
}

/** The first problem with a filter, in words for the user, or undefined when it is usable. */
export function validateMessageFilter(filter: MessageFilter): string | undefined {
  if (filter.topicFilter !== undefined && filter.topicFilter !== '') {
    const problem = validateTopicFilter(filter.topicFilter);
    if (problem) return problem;
  }
  if (typeof filter.regex === 'string') {
    try {
      new RegExp(filter.regex);
    } catch (error) {
      return `The regular expression is not valid: ${(error as Error).message}`;
    }
  }
  return undefined;
}

export function compileFilter(filter: MessageFilter | undefined): CompiledFilter | undefined {
  if (!filter) return undefined;
  const problem = validateMessageFilter(filter);
  if (problem) throw new RangeError(problem);
  let flagMask = 0;
  let flagValue = 0;
  if (filter.direction) {
    flagMask |= F_OUT;
    if (filter.direction === 'out') flagValue |= F_OUT;
  }
  if (filter.retainedOnly) {
    flagMask |= F_RETAIN;
    flagValue |= F_RETAIN;
  }
  let qosBits = 0b111;
  if (filter.qos !== undefined) {
    const list: readonly QoS[] = typeof filter.qos === 'number' ? [filter.qos] : filter.qos;
    qosBits = 0;
    for (const q of list) qosBits |= 1 << q;
  }
  const topicFilter = filter.topicFilter ? filter.topicFilter : undefined;
  const exactTopic =
    topicFilter !== undefined && !/[+#]/.test(topicFilter)
      ? effectiveFilter(topicFilter)
      : undefined;
  const text = filter.text ? filter.text : undefined;
  const needle = text !== undefined && !filter.ignoreCase ? Buffer.from(text, 'utf8') : undefined;
  const lowerText = text !== undefined && filter.ignoreCase ? text.toLowerCase() : undefined;
  let regex: RegExp | undefined;
  if (filter.regex !== undefined && filter.regex !== '') {
    const source = filter.regex;
    // Without g and y, test() keeps no lastIndex between rows.
    regex =
      typeof source === 'string'
        ? new RegExp(source)
        : new RegExp(source.source, source.flags.replace(/[gy]/g, ''));
  }
  const compiled: CompiledFilter = {
    flagMask,
    flagValue,
    qosBits,
    connection: filter.connection,
    topicFilter,
    exactTopic,
    needle,
    lowerText,
    regex,
  };
  return compiled;
}

/** The payload checks that need decoded text; `bytes` is the payload. */
export function matchesDecoded(filter: CompiledFilter, bytes: Uint8Array): boolean {
  const text = decodeUtf8Lossy(bytes);
  if (filter.lowerText !== undefined && !text.toLowerCase().includes(filter.lowerText))
    return false;
  return filter.regex === undefined || filter.regex.test(text);
}
