/**
 * The MQTT 5 properties of a profile's last will (`will.delayInterval`, `messageExpiryInterval`,
 * `contentType`, `responseTopic`, `correlationData`, `payloadFormatIndicator`,
 * `userProperties`), as MQTT.js's `will.properties` takes them. Shapes and ranges are the
 * schema's; here: MQTT 5 only, the response topic's rules, correlation data as text or `hex:`,
 * and MQTT's string rules on every text.
 */
import {
  checkMqttString,
  checkResponseTopic,
  parseCorrelationData,
} from '../session/publishProperties';
import { isObj, type Obj, type ProfileReader } from './profileReader';
import type { ProtocolVersion, WillProperties } from './profileTypes';

const KEYS = [
  'delayInterval',
  'messageExpiryInterval',
  'contentType',
  'responseTopic',
  'correlationData',
  'payloadFormatIndicator',
  'userProperties',
] as const;

export function readWillProperties(
  r: ProfileReader,
  raw: Obj,
  version: ProtocolVersion,
): WillProperties | undefined {
  const given = KEYS.filter((k) => raw[k] !== undefined);
  if (given.length === 0) return undefined;
  if (version === 4) {
    for (const key of given)
      r.problem(
        `will.${key}`,
        `"will.${key}" is an MQTT 5 property; set "protocolVersion": 5 or remove it.`,
      );
    return undefined;
  }
  const p: WillProperties = {};
  const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
  const delay = whole(raw.delayInterval);
  if (delay !== undefined) p.willDelayInterval = delay;
  const expiry = whole(raw.messageExpiryInterval);
  if (expiry !== undefined) p.messageExpiryInterval = expiry;
  if (typeof raw.payloadFormatIndicator === 'boolean')
    p.payloadFormatIndicator = raw.payloadFormatIndicator;
  const text = (key: string, check: (v: string) => string | undefined) => {
    const v = raw[key];
    if (typeof v !== 'string') return undefined;
    const error = check(v);
    if (error) r.problem(`will.${key}`, error);
    return error ? undefined : v;
  };
  const contentType = text('contentType', (v) => checkMqttString(v, 'content type'));
  if (contentType !== undefined) p.contentType = contentType;
  const responseTopic = text('responseTopic', checkResponseTopic);
  if (responseTopic !== undefined) p.responseTopic = responseTopic;
  if (typeof raw.correlationData === 'string') {
    const parsed = parseCorrelationData(raw.correlationData);
    if (parsed.error) r.problem('will.correlationData', parsed.error);
    else p.correlationData = parsed.value;
  }
  if (isObj(raw.userProperties)) {
    const user: Record<string, string | string[]> = {};
    for (const [key, v] of Object.entries(raw.userProperties)) {
      const values = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
      const error = [key, ...values].map((x) => checkMqttString(x, 'user property')).find(Boolean);
      if (error) r.problem(`will.userProperties.${key}`, error);
      else if (values.length > 0) user[key] = Array.isArray(v) ? values : values[0];
    }
    p.userProperties = user;
  }
  return p;
}
