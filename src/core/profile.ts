/**
 * Connection profiles as users write them in `mqttScope.connections`, and their validation.
 * Validation never throws: it returns the valid profiles plus one problem per mistake, each
 * naming the setting path, so one bad profile never takes the others down.
 */
import { validateTopicFilter, validateTopicName } from './topics';

export type Transport = 'mqtt' | 'mqtts' | 'ws' | 'wss';
export type QoS = 0 | 1 | 2;
export type ProtocolVersion = 4 | 5;

export interface SubscriptionSpec {
  topic: string;
  qos: QoS;
  /** MQTT 5 only: do not receive our own publications. */
  noLocal?: boolean;
  /** MQTT 5 only: keep the retain flag as published. */
  retainAsPublished?: boolean;
  /** MQTT 5 only: 0 send retained on subscribe, 1 only for new subscriptions, 2 never. */
  retainHandling?: 0 | 1 | 2;
}

export interface TlsOptions {
  /** Path of a PEM file with the CA certificate(s) to trust. */
  ca?: string;
  /** Path of the PEM client certificate. */
  cert?: string;
  /** Path of the PEM private key of the client certificate. */
  key?: string;
  /** Verify the broker's certificate. On by default; turning it off is logged as a warning. */
  rejectUnauthorized: boolean;
  /** Server name for SNI and certificate verification, when it differs from the host. */
  servername?: string;
}

export interface WillSpec {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
}

export interface ConnectionProfile {
  name: string;
  protocol: Transport;
  host: string;
  port: number;
  /** WebSocket path, `/mqtt` unless set. */
  path: string;
  clientId?: string;
  protocolVersion: ProtocolVersion;
  keepalive: number;
  clean: boolean;
  sessionExpiryInterval?: number;
  username?: string;
  subscriptions: SubscriptionSpec[];
  autoConnect: boolean;
  connectTimeout: number;
  tls?: TlsOptions;
  will?: WillSpec;
}

export interface ProfileProblem {
  /** Setting path, e.g. `mqttScope.connections[1].port`. */
  path: string;
  message: string;
  /** The profile's name when it has one, so the UI can attach the problem to it. */
  profileName?: string;
}

export const DEFAULT_PORTS: Record<Transport, number> = {
  mqtt: 1883,
  mqtts: 8883,
  ws: 80,
  wss: 443,
};
export const PROTOCOL_VERSION_DEFAULT: ProtocolVersion = 5;

const KNOWN_KEYS = new Set([
  'name',
  'url',
  'host',
  'port',
  'protocol',
  'path',
  'clientId',
  'protocolVersion',
  'keepalive',
  'clean',
  'sessionExpiryInterval',
  'username',
  'password',
  'subscriptions',
  'autoConnect',
  'connectTimeout',
  'tls',
  'will',
]);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one profile; pushes problems and returns undefined when it cannot be used. */
class ProfileReader {
  constructor(
    private readonly raw: Obj,
    private readonly base: string,
    private readonly problems: ProfileProblem[],
    private readonly profileName?: string,
  ) {}

  problem(key: string, message: string): void {
    const path = key ? `${this.base}.${key}` : this.base;
    this.problems.push({ path, message, profileName: this.profileName });
  }

  string(key: string, required = false): string | undefined {
    const v = this.raw[key];
    if (v === undefined) {
      if (required) this.problem(key, `"${key}" is required.`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.problem(key, `"${key}" must be a non-empty string, not ${describe(v)}.`);
      return undefined;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.problem(key, `"${key}" must be true or false, not ${describe(v)}.`);
      return fallback;
    }
    return v;
  }

  int(key: string, min: number, max: number): number | undefined | null {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problem(
        key,
        `"${key}" must be a whole number from ${min} to ${max}, not ${describe(v)}.`,
      );
      return null;
    }
    return v;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export interface ValidationResult {
  profiles: ConnectionProfile[];
  problems: ProfileProblem[];
}

export function validateProfiles(
  raw: unknown,
  settingPath = 'mqttScope.connections',
): ValidationResult {
  const problems: ProfileProblem[] = [];
  const profiles: ConnectionProfile[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) {
    problems.push({
      path: settingPath,
      message: `Must be an array of connection profiles, not ${describe(raw)}.`,
    });
    return { profiles, problems };
  }
  const seen = new Map<string, number>();
  raw.forEach((entry, index) => {
    const base = `${settingPath}[${index}]`;
    if (!isObj(entry)) {
      problems.push({
        path: base,
        message: `A connection profile must be an object, not ${describe(entry)}.`,
      });
      return;
    }
    const name =
      typeof entry.name === 'string' && entry.name.trim() ? entry.name.trim() : undefined;
    if (name !== undefined && seen.has(name)) {
      problems.push({
        path: `${base}.name`,
        message: `The name "${name}" is already used by ${settingPath}[${seen.get(name)}]; names must be unique.`,
        profileName: name,
      });
      return;
    }
    if (name !== undefined) seen.set(name, index);
    const before = problems.length;
    const profile = readProfile(new ProfileReader(entry, base, problems, name), entry);
    if (profile && problems.length === before) profiles.push(profile);
  });
  return { profiles, problems };
}

function readProfile(r: ProfileReader, raw: Obj): ConnectionProfile | undefined {
  for (const key of Object.keys(raw)) {
    if (key === 'password') {
      r.problem(
        key,
        'Passwords are never read from settings files. Remove it; MQTT Scope asks for the password when it connects.',
      );
    } else if (!KNOWN_KEYS.has(key)) {
      r.problem(key, `Unknown property "${key}".`);
    }
  }
  // Trimmed, as the duplicate check in validateProfiles trims it.
  const name = r.string('name', true)?.trim();
  const endpoint = readEndpoint(r, raw);
  const protocolVersion = readProtocolVersion(r, raw.protocolVersion);
  const keepalive = r.int('keepalive', 0, 65_535) ?? 60;
  const connectTimeout = r.int('connectTimeout', 1, 600) ?? 10;
  const sessionExpiryInterval = r.int('sessionExpiryInterval', 0, 4_294_967_295) ?? undefined;
  if (sessionExpiryInterval !== undefined && protocolVersion === 4) {
    r.problem(
      'sessionExpiryInterval',
      '"sessionExpiryInterval" is an MQTT 5 property; set "protocolVersion": 5 or remove it.',
    );
  }
  const clientId = r.string('clientId');
  if (clientId !== undefined && Buffer.byteLength(clientId) > 65_535) {
    r.problem('clientId', 'The client id is longer than 65,535 bytes.');
  }
  const subscriptions = readSubscriptions(r, raw.subscriptions, protocolVersion);
  const tls = readTls(r, raw.tls, endpoint?.protocol);
  const will = readWill(r, raw.will);
  // Read before the early return so every mistake in the profile is reported at once.
  const clean = r.bool('clean', true);
  const username = r.string('username');
  const autoConnect = r.bool('autoConnect', false);
  if (!name || !endpoint || !protocolVersion) return undefined;
  return {
    name,
    ...endpoint,
    clientId,
    protocolVersion,
    keepalive: keepalive ?? 60,
    clean,
    sessionExpiryInterval: sessionExpiryInterval ?? undefined,
    username,
    subscriptions,
    autoConnect,
    connectTimeout: connectTimeout ?? 10,
    tls,
    will,
  };
}

const TRANSPORTS: Transport[] = ['mqtt', 'mqtts', 'ws', 'wss'];

function readEndpoint(
  r: ProfileReader,
  raw: Obj,
): Pick<ConnectionProfile, 'protocol' | 'host' | 'port' | 'path'> | undefined {
  if (raw.url !== undefined) {
    for (const key of ['host', 'port', 'protocol', 'path'] as const) {
      if (raw[key] !== undefined) r.problem(key, `Give either "url" or "${key}", not both.`);
    }
    const url = r.string('url');
    if (!url) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      // Never echo a user name or password someone put in the URL.
      const shown = url.replace(/\/\/[^/@]*@/, '//…@');
      const badPort = /^[a-z]+:\/\/(?:[^/@]*@)?[^/:@]+:(\d+)/i.exec(url);
      r.problem(
        'url',
        badPort
          ? `The port ${badPort[1]} in "${shown}" must be from 1 to 65535.`
          : `"${shown}" is not a URL; expected e.g. mqtt://broker.example.com:1883.`,
      );
      return undefined;
    }
    const protocol = parsed.protocol.replace(/:$/, '') as Transport;
    if (!TRANSPORTS.includes(protocol)) {
      r.problem(
        'url',
        `Unknown protocol "${parsed.protocol}"; use mqtt://, mqtts://, ws:// or wss://.`,
      );
      return undefined;
    }
    if (!parsed.hostname) {
      r.problem('url', `"${url}" has no host.`);
      return undefined;
    }
    if (parsed.username || parsed.password) {
      r.problem(
        'url',
        'Put the user name in "username", not in the URL; passwords never go in settings.',
      );
      return undefined;
    }
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[protocol];
    if (port === 0) {
      r.problem('url', `"${url}" has port 0; the port must be from 1 to 65535.`);
      return undefined;
    }
    const path = protocol.startsWith('ws') && parsed.pathname !== '/' ? parsed.pathname : '/mqtt';
    return { protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, path };
  }
  const host = r.string('host');
  if (host?.includes('://')) {
    r.problem('host', `"host" takes a host name, not a URL; put "${host}" in "url" instead.`);
    return undefined;
  }
  if (host === undefined && raw.host === undefined)
    r.problem('', 'A profile needs "url" or "host".');
  let protocol: Transport = 'mqtt';
  if (raw.protocol !== undefined) {
    if (typeof raw.protocol !== 'string' || !TRANSPORTS.includes(raw.protocol as Transport)) {
      r.problem(
        'protocol',
        `Unknown protocol ${describe(raw.protocol)}; use "mqtt", "mqtts", "ws" or "wss".`,
      );
      return undefined;
    }
    protocol = raw.protocol as Transport;
  }
  const port = r.int('port', 1, 65_535);
  let path = '/mqtt';
  if (raw.path !== undefined) {
    const p = r.string('path');
    if (p !== undefined && !p.startsWith('/'))
      r.problem('path', `"path" must start with "/", not ${describe(p)}.`);
    else if (p !== undefined) path = p;
  }
  if (!host || port === null) return undefined;
  return { protocol, host, port: port ?? DEFAULT_PORTS[protocol], path };
}

function readProtocolVersion(r: ProfileReader, v: unknown): ProtocolVersion | undefined {
  if (v === undefined) return PROTOCOL_VERSION_DEFAULT;
  if (v === 5 || v === 4) return v;
  if (v === 3) {
    r.problem(
      'protocolVersion',
      'MQTT 3.1 (protocol version 3) is not supported; use 4 (MQTT 3.1.1) or 5.',
    );
    return undefined;
  }
  r.problem(
    'protocolVersion',
    `"protocolVersion" must be 5 (MQTT 5.0) or 4 (MQTT 3.1.1), not ${describe(v)}.`,
  );
  return undefined;
}

function readQos(r: ProfileReader, key: string, v: unknown): QoS {
  if (v === undefined) return 0;
  if (v === 0 || v === 1 || v === 2) return v;
  r.problem(key, `QoS must be 0, 1 or 2, not ${describe(v)}.`);
  return 0;
}

function readSubscriptions(
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

function readTls(
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

function readWill(r: ProfileReader, raw: unknown): WillSpec | undefined {
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
