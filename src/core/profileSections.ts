/**
 * The nested parts of a profile: its `subscriptions`, its `tls` options and its last `will`.
 * Each reader reports every mistake it finds and returns what it could use.
 */
import { validateTopicFilter, validateTopicName } from './topics';
import { describe, isObj, type Obj, type ProfileReader } from './profileReader';
import type {
  ProtocolVersion,
  QoS,
  SubscriptionSpec,
  TlsOptions,
  Transport,
  WillSpec,
} from './profile';

function readQos(r: ProfileReader, key: string, v: unknown): QoS {
  if (v === undefined) return 0;
  if (v === 0 || v === 1 || v === 2) return v;
  r.problem(key, `QoS must be 0, 1 or 2, not ${describe(v)}.`);
  return 0;
}

export function readSubscriptions(
  r: ProfileReader,
  raw: unknown,
  version: ProtocolVersion | undefined,
): SubscriptionSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    r.problem('subscriptions', `"subscriptions" must be an array, not ${describe(raw)}.`);
    return [];
  }
  const result: SubscriptionSpec[] = [];
  raw.forEach((entry, i) => {
    const key = `subscriptions[${i}]`;
    const sub: Obj = typeof entry === 'string' ? { topic: entry } : isObj(entry) ? entry : {};
    if (typeof entry !== 'string' && !isObj(entry)) {
      r.problem(
        key,
        `A subscription must be an object like {"topic": "sensors/#", "qos": 1}, not ${describe(entry)}.`,
      );
      return;
    }
    if (typeof sub.topic !== 'string') {
      r.problem(`${key}.topic`, `"topic" must be a string, not ${describe(sub.topic)}.`);
      return;
    }
    const error = validateTopicFilter(sub.topic);
    if (error) r.problem(`${key}.topic`, error);
    const spec: SubscriptionSpec = { topic: sub.topic, qos: readQos(r, `${key}.qos`, sub.qos) };
    for (const opt of ['noLocal', 'retainAsPublished'] as const) {
      if (sub[opt] === undefined) continue;
      if (typeof sub[opt] !== 'boolean')
        r.problem(`${key}.${opt}`, `"${opt}" must be true or false.`);
      else spec[opt] = sub[opt] as boolean;
    }
    if (sub.retainHandling !== undefined) {
      if (sub.retainHandling === 0 || sub.retainHandling === 1 || sub.retainHandling === 2)
        spec.retainHandling = sub.retainHandling;
      else
        r.problem(
          `${key}.retainHandling`,
          `"retainHandling" must be 0, 1 or 2, not ${describe(sub.retainHandling)}.`,
        );
    }
    if (
      version === 4 &&
      (spec.noLocal !== undefined ||
        spec.retainAsPublished !== undefined ||
        spec.retainHandling !== undefined)
    ) {
      r.problem(
        key,
        '"noLocal", "retainAsPublished" and "retainHandling" are MQTT 5 options; set "protocolVersion": 5.',
      );
    }
    for (const k of Object.keys(sub)) {
      if (!['topic', 'qos', 'noLocal', 'retainAsPublished', 'retainHandling'].includes(k))
        r.problem(`${key}.${k}`, `Unknown property "${k}".`);
    }
    if (!error) result.push(spec);
  });
  return result;
}

export function readTls(
  r: ProfileReader,
  raw: unknown,
  protocol: Transport | undefined,
): TlsOptions | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) {
    r.problem('tls', `"tls" must be an object, not ${describe(raw)}.`);
    return undefined;
  }
  if (protocol && protocol !== 'mqtts' && protocol !== 'wss') {
    r.problem(
      'tls',
      `"tls" options need an mqtts:// or wss:// connection, but this one is ${protocol}://.`,
    );
  }
  const tls: TlsOptions = { rejectUnauthorized: true };
  for (const key of ['ca', 'cert', 'key', 'servername'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v)
      r.problem(`tls.${key}`, `"${key}" must be a file path string, not ${describe(v)}.`);
    else tls[key] = v;
  }
  if (raw.rejectUnauthorized !== undefined) {
    if (typeof raw.rejectUnauthorized !== 'boolean')
      r.problem('tls.rejectUnauthorized', '"rejectUnauthorized" must be true or false.');
    else tls.rejectUnauthorized = raw.rejectUnauthorized;
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    r.problem('tls', 'A client certificate needs both "cert" and "key".');
  }
  for (const k of Object.keys(raw)) {
    if (!['ca', 'cert', 'key', 'servername', 'rejectUnauthorized'].includes(k))
      r.problem(`tls.${k}`, `Unknown property "${k}".`);
  }
  return tls;
}

export function readWill(r: ProfileReader, raw: unknown): WillSpec | undefined {
  if (raw === undefined) return undefined;
  if (!isObj(raw)) {
    r.problem(
      'will',
      `"will" must be an object like {"topic": "devices/me/status", "payload": "offline"}, not ${describe(raw)}.`,
    );
    return undefined;
  }
  if (typeof raw.topic !== 'string') {
    r.problem('will.topic', `"topic" must be a string, not ${describe(raw.topic)}.`);
    return undefined;
  }
  const error = validateTopicName(raw.topic);
  if (error) r.problem('will.topic', error);
  if (raw.payload !== undefined && typeof raw.payload !== 'string')
    r.problem('will.payload', '"payload" must be a string.');
  if (raw.retain !== undefined && typeof raw.retain !== 'boolean')
    r.problem('will.retain', '"retain" must be true or false.');
  return {
    topic: raw.topic,
    payload: typeof raw.payload === 'string' ? raw.payload : '',
    qos: readQos(r, 'will.qos', raw.qos),
    retain: raw.retain === true,
  };
}
