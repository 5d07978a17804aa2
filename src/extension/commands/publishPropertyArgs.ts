/**
 * The `properties` field of Publish's argument object, checked field by field so a keybinding
 * or another extension can publish with MQTT 5 properties:
 * `{ contentType, payloadFormatIndicator, messageExpiryInterval, responseTopic, correlationData,
 * userProperties, topicAlias }`. `payloadFormatIndicator` is true for UTF-8 text, false for
 * bytes; `correlationData` is text, or `{ hex: "0a1b" }` for bytes; `userProperties` maps a key
 * to a string or a list of strings (a key may repeat). Pure (`import type` only for VS Code).
 */
import {
  checkContentType,
  checkMqttString,
  checkResponseTopic,
  parseCorrelationData,
  type PublishProperties,
  type UserProperties,
} from '../../core/session/publishProperties';
import { describeValue } from '../../shared/describeValue';
import type { checks } from './argChecks';

const KNOWN = [
  'contentType',
  'payloadFormatIndicator',
  'messageExpiryInterval',
  'responseTopic',
  'correlationData',
  'userProperties',
  'topicAlias',
];

export function publishPropertiesArg(
  c: ReturnType<typeof checks>,
  value: unknown,
): PublishProperties | undefined {
  const field = 'properties';
  if (value === undefined) return undefined;
  if (!c.isRecord(value)) return c.fail(field, `must be an object, not ${describeValue(value)}`);
  c.onlyKnown(value, KNOWN, field);
  const p: PublishProperties = {};
  const text = (key: string, check: (v: string) => string | undefined) => {
    const v = c.string(value[key], `${field}.${key}`);
    if (v === undefined) return undefined;
    const error = check(v);
    if (error) c.fail(`${field}.${key}`, `is not usable: ${error}`);
    return v;
  };
  const contentType = text('contentType', checkContentType);
  if (contentType !== undefined) p.contentType = contentType;
  const responseTopic = text('responseTopic', checkResponseTopic);
  if (responseTopic !== undefined) p.responseTopic = responseTopic;
  const format = c.boolean(value.payloadFormatIndicator, `${field}.payloadFormatIndicator`);
  if (format !== undefined) p.payloadFormatIndicator = format;
  const expiry = c.integer(
    value.messageExpiryInterval,
    `${field}.messageExpiryInterval`,
    0,
    4_294_967_295,
  );
  if (expiry !== undefined) p.messageExpiryInterval = expiry;
  const alias = c.integer(value.topicAlias, `${field}.topicAlias`, 1, 65_535);
  if (alias !== undefined) p.topicAlias = alias;
  const correlation = correlationArg(c, value.correlationData);
  if (correlation !== undefined) p.correlationData = correlation;
  const user = userPropertiesArg(c, value.userProperties);
  if (user !== undefined) p.userProperties = user;
  return p;
}

function correlationArg(c: ReturnType<typeof checks>, value: unknown): Buffer | undefined {
  const field = 'properties.correlationData';
  if (value === undefined) return undefined;
  let typed: string;
  if (typeof value === 'string') {
    // Text as it is, even when it starts with "hex:" (bytes are given as { hex }).
    if (value === '') c.fail(field, 'is empty; leave it out instead');
    const error = checkMqttString(value, 'correlation data');
    if (error) c.fail(field, `is not usable: ${error}`);
    return Buffer.from(value, 'utf8');
  }
  if (c.isRecord(value) && typeof value.hex === 'string' && Object.keys(value).length === 1)
    typed = `hex:${value.hex}`;
  else return c.fail(field, `must be a string or { hex: "0a1b…" }, not ${describeValue(value)}`);
  const parsed = parseCorrelationData(typed);
  if (parsed.error) c.fail(`${field}.hex`, `is not usable: ${parsed.error}`);
  return parsed.value;
}

function userPropertiesArg(
  c: ReturnType<typeof checks>,
  value: unknown,
): UserProperties | undefined {
  const field = 'properties.userProperties';
  if (value === undefined) return undefined;
  if (!c.isRecord(value))
    return c.fail(
      field,
      `must be an object of key → string or string list, not ${describeValue(value)}`,
    );
  const result: UserProperties = {};
  for (const [key, v] of Object.entries(value)) {
    const keyError = checkMqttString(key, 'user property key');
    if (keyError) c.fail(field, `has an unusable key: ${keyError}`);
    const at = `${field}.${key}`;
    const list = Array.isArray(v) ? v : [v];
    if (list.length === 0) c.fail(at, 'is an empty list; give at least one value');
    list.forEach((item, i) => {
      const where = Array.isArray(v) ? `${at}[${i}]` : at;
      if (typeof item !== 'string') c.fail(where, `must be a string, not ${describeValue(item)}`);
      const error = checkMqttString(item as string, 'user property value');
      if (error) c.fail(where, `is not usable: ${error}`);
    });
    result[key] = Array.isArray(v) ? [...(v as string[])] : (v as string);
  }
  return result;
}
