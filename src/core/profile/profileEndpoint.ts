/**
 * Where a profile connects: either one `url`, or `host`, `port`, `protocol` and `path` given
 * apart, plus the MQTT protocol version. Also holds the per-transport default ports. The
 * schema has checked each field's type and range; these are the checks it cannot make: one
 * form or the other, what the URL holds, and no credentials in it.
 */
import { brokerText } from './brokerText';
import type { Obj, ProfileReader } from './profileReader';
import type { ConnectionProfile, ProtocolVersion, Transport } from './profileTypes';

export const DEFAULT_PORTS: Record<Transport, number> = {
  mqtt: 1883,
  mqtts: 8883,
  ws: 80,
  wss: 443,
};
export const PROTOCOL_VERSION_DEFAULT: ProtocolVersion = 5;

const TRANSPORTS: Transport[] = ['mqtt', 'mqtts', 'ws', 'wss'];

type Endpoint = Pick<ConnectionProfile, 'protocol' | 'host' | 'port' | 'path'>;

export function readEndpoint(r: ProfileReader, raw: Obj): Endpoint | undefined {
  if (raw.url !== undefined) {
    for (const key of ['host', 'port', 'protocol', 'path'] as const) {
      if (raw[key] !== undefined) r.problem(key, `Give either "url" or "${key}", not both.`);
    }
    const url = r.string('url');
    return url === undefined ? undefined : readUrl(r, url);
  }
  if (raw.host === undefined) {
    r.problem('', 'A profile needs "url" or "host".');
    return undefined;
  }
  const host = r.string('host');
  if (host?.includes('://')) {
    r.problem(
      'host',
      `"host" takes a host name, not a URL; put "${brokerText(host)}" in "url" instead.`,
    );
    return undefined;
  }
  const protocol = TRANSPORTS.find((t) => t === raw.protocol) ?? 'mqtt';
  const port = r.int('port') ?? DEFAULT_PORTS[protocol];
  const path = r.string('path') ?? '/mqtt';
  return host === undefined ? undefined : { protocol, host, port, path };
}

function readUrl(r: ProfileReader, url: string): Endpoint | undefined {
  // Never echo a user name or password someone put in the URL.
  const shown = brokerText(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
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
    r.problem('url', `"${shown}" has no host.`);
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
    r.problem('url', `"${shown}" has port 0; the port must be from 1 to 65535.`);
    return undefined;
  }
  const path = protocol.startsWith('ws') && parsed.pathname !== '/' ? parsed.pathname : '/mqtt';
  return { protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, path };
}

export function readProtocolVersion(v: unknown): ProtocolVersion {
  return v === 4 ? 4 : PROTOCOL_VERSION_DEFAULT;
}
