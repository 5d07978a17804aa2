/**
 * The nested parts of a profile: its `subscriptions`, its `tls` options and its last `will`.
 * Their shapes are the schema's (profileSchema.ts); each reader makes the checks a schema cannot
 * (MQTT topic rules, MQTT 5-only options, TLS only over mqtts/wss, a certificate needs its key)
 * and returns what it could use.
 */
import { validateTopicFilter, validateTopicName } from '../topics/topics';
import { isObj, type ProfileReader } from './profileReader';
import { readWillProperties } from './willProperties';
import type {
  ProtocolVersion,
  QoS,
  SubscriptionSpec,
  TlsOptions,
  Transport,
  WillSpec,
} from './profileTypes';

const qos = (v: unknown): QoS => (v === 1 || v === 2 ? v : 0);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export function readSubscriptions(
  r: ProfileReader,
  raw: unknown,
  version: ProtocolVersion,
): SubscriptionSpec[] {
  if (!Array.isArray(raw)) return [];
  const result: SubscriptionSpec[] = [];
  raw.forEach((sub: unknown, i) => {
    const key = `subscriptions[${i}]`;
    if (!isObj(sub) || typeof sub.topic !== 'string') return;
    const error = validateTopicFilter(sub.topic);
    if (error) r.problem(`${key}.topic`, error);
    const spec: SubscriptionSpec = { topic: sub.topic, qos: qos(sub.qos) };
    const noLocal = bool(sub.noLocal);
    const retainAsPublished = bool(sub.retainAsPublished);
    if (noLocal !== undefined) spec.noLocal = noLocal;
    if (retainAsPublished !== undefined) spec.retainAsPublished = retainAsPublished;
    if (sub.retainHandling === 0 || sub.retainHandling === 1 || sub.retainHandling === 2)
      spec.retainHandling = sub.retainHandling;
    if (typeof sub.subscriptionIdentifier === 'number')
      spec.subscriptionIdentifier = sub.subscriptionIdentifier;
    if (version === 4 && sub.subscriptionIdentifier !== undefined)
      r.problem(
        `${key}.subscriptionIdentifier`,
        '"subscriptionIdentifier" is an MQTT 5 option; set "protocolVersion": 5 or remove it.',
      );
    if (
      version === 4 &&
      (sub.noLocal !== undefined ||
        sub.retainAsPublished !== undefined ||
        sub.retainHandling !== undefined)
    ) {
      r.problem(
        key,
        '"noLocal", "retainAsPublished" and "retainHandling" are MQTT 5 options; set "protocolVersion": 5.',
      );
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
  if (!isObj(raw)) return undefined;
  if (protocol && protocol !== 'mqtts' && protocol !== 'wss') {
    r.problem(
      'tls',
      `"tls" options need an mqtts:// or wss:// connection, but this one is ${protocol}://.`,
    );
  }
  const tls: TlsOptions = { rejectUnauthorized: bool(raw.rejectUnauthorized) ?? true };
  for (const key of ['ca', 'cert', 'key', 'servername'] as const) {
    const v = raw[key];
    if (typeof v === 'string') tls[key] = v;
  }
  if ((raw.cert === undefined) !== (raw.key === undefined)) {
    r.problem('tls', 'A client certificate needs both "cert" and "key".');
  }
  return tls;
}

export function readWill(
  r: ProfileReader,
  raw: unknown,
  version: ProtocolVersion,
): WillSpec | undefined {
  if (!isObj(raw) || typeof raw.topic !== 'string') return undefined;
  const error = validateTopicName(raw.topic);
  if (error) r.problem('will.topic', error);
  const will: WillSpec = {
    topic: raw.topic,
    payload: typeof raw.payload === 'string' ? raw.payload : '',
    qos: qos(raw.qos),
    retain: raw.retain === true,
  };
  const properties = readWillProperties(r, raw, version);
  if (properties) will.properties = properties;
  return will;
}
