/**
 * Where a profile connects: either one `url`, or `host`, `port`, `protocol` and `path` given
 * apart, plus the MQTT protocol version. Also holds the per-transport default ports.
 */
import { brokerText } from './brokerText';
import { describe, type Obj, type ProfileReader } from './profileReader';
import type { ConnectionProfile, ProtocolVersion, Transport } from './profile';

export const DEFAULT_PORTS: Record<Transport, number> = {
  mqtt: 1883,
  mqtts: 8883,
  ws: 80,
  wss: 443,
};
export const PROTOCOL_VERSION_DEFAULT: ProtocolVersion = 5;

const TRANSPORTS: Transport[] = ['mqtt', 'mqtts', 'ws', 'wss'];

export function readEndpoint(
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
      const shown = brokerText(url);
      const badPort = /^[a-z]+:\/\/(?:.*@)?[^/:@]+:(\d+)/i.exec(url);
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
      r.problem('url', `"${brokerText(url)}" has no host.`);
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
      r.problem('url', `"${brokerText(url)}" has port 0; the port must be from 1 to 65535.`);
      return undefined;
    }
    const path = protocol.startsWith('ws') && parsed.pathname !== '/' ? parsed.pathname : '/mqtt';
    return { protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, path };
  }
  const host = r.string('host');
  if (host?.includes('://')) {
    r.problem(
      'host',
      `"host" takes a host name, not a URL; put "${brokerText(host)}" in "url" instead.`,
    );
    return undefined;
  }
  if (host !== undefined && /[\s\p{Cc}/@]/u.test(host)) {
    r.problem(
      'host',
      `"host" takes a host name or IP address, without spaces, "/" or "@"; not "${brokerText(host)}".`,
    );
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

export function readProtocolVersion(r: ProfileReader, v: unknown): ProtocolVersion | undefined {
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
