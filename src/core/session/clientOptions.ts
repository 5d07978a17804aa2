/**
 * Maps a validated profile onto MQTT.js client options, with the TLS files already read
 * (`tlsFiles.ts`). Kept apart from the session so the mapping can be tested without a broker.
 */
import * as net from 'node:net';
import type * as tls from 'node:tls';
import type { IClientOptions } from 'mqtt';
import type { ConnectionProfile } from '../profile/profile';
import type { TlsFileContents } from '../trust/tlsFiles';

export function buildClientOptions(
  profile: ConnectionProfile,
  clientId: string,
  password: string | undefined,
  tlsFiles: TlsFileContents = {},
): IClientOptions {
  const options: IClientOptions = {
    protocol: profile.protocol,
    host: profile.host,
    hostname: profile.host,
    port: profile.port,
    path: profile.protocol.startsWith('ws') ? profile.path : undefined,
    clientId,
    protocolVersion: profile.protocolVersion,
    keepalive: profile.keepalive,
    clean: profile.clean,
    connectTimeout: profile.connectTimeout * 1000,
    // Reconnection is the session's job: it needs to tell a first failure from a lost link.
    reconnectPeriod: 0,
    resubscribe: false,
    username: profile.username,
    password,
  };
  if (profile.protocolVersion === 5 && profile.sessionExpiryInterval !== undefined) {
    options.properties = { sessionExpiryInterval: profile.sessionExpiryInterval };
  }
  if (profile.will) {
    options.will = {
      topic: profile.will.topic,
      payload: Buffer.from(profile.will.payload),
      qos: profile.will.qos,
      retain: profile.will.retain,
    };
    // Only an MQTT 5 profile has them (profileSections.ts refuses them for 3.1.1).
    if (profile.will.properties) options.will.properties = { ...profile.will.properties };
  }
  if (profile.protocol === 'mqtts' || profile.protocol === 'wss') {
    const tls = profile.tls;
    options.rejectUnauthorized = tls?.rejectUnauthorized ?? true;
    if (tlsFiles.ca) options.ca = tlsFiles.ca;
    if (tlsFiles.cert) options.cert = tlsFiles.cert;
    if (tlsFiles.key) options.key = tlsFiles.key;
    if (tls?.servername) {
      options.servername = tls.servername;
      // MQTT.js passes only some TLS options on to a WebSocket; the server name must go itself.
      if (profile.protocol === 'wss') options.wsOptions = { servername: tls.servername } as object;
    }
  }
  return options;
}

/**
 * The options MQTT.js hands to `tls.connect` for these client options (its `connect/tls.js`):
 * a handshake probe made with them verifies the broker exactly as the connection will.
 */
export function tlsHandshakeOptions(options: IClientOptions): tls.ConnectionOptions {
  const host = options.hostname ?? options.host ?? 'localhost';
  return {
    host,
    port: options.port ?? (options.protocol === 'wss' ? 443 : 8883),
    servername: options.servername ?? (net.isIP(host) === 0 ? host : undefined),
    rejectUnauthorized: options.rejectUnauthorized !== false,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
  };
}

/** How many topic aliases a broker may set up towards us on one connection. */
export const TOPIC_ALIAS_MAXIMUM = 64;

/**
 * MQTT 5: the CONNECT's Maximum Packet Size, so a well-behaved broker sends nothing bigger
 * (MQTT 3.1.1 has no such property; the size is enforced on the stream for both). And its Topic
 * Alias Maximum, so a broker may shorten the PUBLISH packets it sends: MQTT.js resolves each
 * alias back to its topic and keeps `topicAlias` on the properties, which the Message Log's
 * detail shows. (Without it a broker must not send aliases.)
 */
export function withMaximumPacketSize(options: IClientOptions, bytes: number): IClientOptions {
  if (options.protocolVersion !== 5) return options;
  const properties = {
    ...options.properties,
    maximumPacketSize: bytes,
    topicAliasMaximum: TOPIC_ALIAS_MAXIMUM,
  };
  return { ...options, properties };
}
