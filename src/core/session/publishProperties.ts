/**
 * The MQTT 5 properties a user may put on a publish (content type, payload format, message
 * expiry, response topic, correlation data, user properties, topic alias): one check per value,
 * shared by the palette's input boxes and a command's argument object, and what Publish Again
 * carries over from a stored message. Sentences are plain English, like the rest of the core.
 */
import type { IClientPublishOptions } from 'mqtt';
import { validateTopicName } from '../topics/topics';
import { decodeUtf8 } from '../../shared/utf8';
import { toHex } from '../../shared/hex';

/** What MQTT.js puts on a PUBLISH (correlation data as bytes, user properties repeatable). */
export type PublishProperties = NonNullable<IClientPublishOptions['properties']>;

/** User properties: a key may occur more than once (MQTT 5 §3.3.2.3.7), as a list of values. */
export type UserProperties = Record<string, string | string[]>;

const MAX_UINT32 = 4_294_967_295;
const MAX_STRING_BYTES = 65_535;

/** A UTF-8 string property (MQTT 5 §1.5.4): at most 65,535 bytes, no U+0000. */
export function checkMqttString(value: string, what: string): string | undefined {
  if (value.includes('\u0000')) return `The ${what} must not contain the character U+0000.`;
  if (Buffer.byteLength(value, 'utf8') > MAX_STRING_BYTES)
    return `The ${what} is longer than 65,535 bytes.`;
  if (/[\uD800-\uDFFF]/u.test(value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')))
    return `The ${what} contains a lone surrogate, which is not UTF-8.`;
  return undefined;
}

export const checkContentType = (v: string) =>
  v === ''
    ? 'The content type is empty; leave it out instead.'
    : checkMqttString(v, 'content type');

export function checkResponseTopic(v: string): string | undefined {
  const error = validateTopicName(v);
  return error ? `Response topic: ${error}` : checkMqttString(v, 'response topic');
}

/** Message expiry in seconds, typed as digits: 0 to 4,294,967,295. */
export function parseMessageExpiry(text: string): { value?: number; error?: string } {
  return parseWhole(text.trim(), 0, MAX_UINT32, 'The message expiry');
}

/** A topic alias: 1 to 65,535 (the broker's Topic Alias Maximum is the real bound). */
export function parseTopicAlias(text: string): { value?: number; error?: string } {
  return parseWhole(text.trim(), 1, 65_535, 'The topic alias');
}

function parseWhole(text: string, min: number, max: number, what: string) {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max)
    return {
      error: `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}.`,
    };
  return { value };
}

/**
 * Correlation data as typed: UTF-8 text as it is, or `hex:` followed by hex digits for bytes
 * (`hex:00ff10`). At most 65,535 bytes.
 */
export function parseCorrelationData(text: string): { value?: Buffer; error?: string } {
  let bytes: Buffer;
  if (/^hex:/i.test(text)) {
    const digits = text.slice(4).replace(/\s+/g, '');
    if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(digits))
      return { error: 'After "hex:" give an even number of hex digits, e.g. hex:0a1b2c.' };
    bytes = Buffer.from(digits, 'hex');
  } else {
    if (text === '') return { error: 'The correlation data is empty; leave it out instead.' };
    const error = checkMqttString(text, 'correlation data');
    if (error) return { error };
    bytes = Buffer.from(text, 'utf8');
  }
  if (bytes.byteLength > MAX_STRING_BYTES)
    return { error: 'The correlation data is longer than 65,535 bytes.' };
  return { value: bytes };
}

/** Correlation data as it is typed back: text when it is printable UTF-8, else `hex:…`. */
export function correlationDataText(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  return text !== undefined && /^[^\p{Cc}\p{Cf}]*$/u.test(text) && !/^hex:/i.test(text)
    ? text
    : `hex:${toHex(bytes, bytes.byteLength, '')}`;
}

/** Adds one user property, keeping earlier values of the same key (the spec allows repeats). */
export function addUserProperty(
  properties: UserProperties | undefined,
  key: string,
  value: string,
): UserProperties {
  const next: UserProperties = { ...properties };
  const before = next[key];
  next[key] =
    before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  return next;
}

/** The user properties as key/value pairs in order, repeated keys kept. */
export function userPropertyPairs(properties: unknown): [string, string][] {
  if (typeof properties !== 'object' || properties === null) return [];
  const pairs: [string, string][] = [];
  for (const [key, v] of Object.entries(properties as Record<string, unknown>))
    for (const item of Array.isArray(v) ? v : [v]) pairs.push([key, String(item)]);
  return pairs;
}

/**
 * What Publish Again carries from a stored message: user properties, content type, response
 * topic, correlation data, payload format and message expiry. Not the topic alias (it belongs
 * to the connection it was used on) nor subscription identifiers (the broker sets them).
 */
export function republishedProperties(
  stored: Record<string, unknown> | undefined,
): PublishProperties | undefined {
  if (!stored) return undefined;
  const p: PublishProperties = {};
  if (typeof stored.contentType === 'string') p.contentType = stored.contentType;
  if (typeof stored.responseTopic === 'string') p.responseTopic = stored.responseTopic;
  if (typeof stored.payloadFormatIndicator === 'boolean')
    p.payloadFormatIndicator = stored.payloadFormatIndicator;
  if (typeof stored.messageExpiryInterval === 'number')
    p.messageExpiryInterval = stored.messageExpiryInterval;
  if (stored.correlationData instanceof Uint8Array)
    p.correlationData = Buffer.from(stored.correlationData);
  const pairs = userPropertyPairs(stored.userProperties);
  if (pairs.length > 0)
    p.userProperties = pairs.reduce<UserProperties>((u, [k, v]) => addUserProperty(u, k, v), {});
  return Object.keys(p).length > 0 ? p : undefined;
}
