/**
 * Turns MQTT reason codes and transport errors into sentences a user can act on.
 */
import { ReasonCodes } from 'mqtt';
import type { TlsOptions } from './profile/profile';
import { describeTlsTrustFailure } from './trust/tlsTrust';

/** MQTT 3.1.1 CONNACK return codes (section 3.2.2.3) differ from MQTT 5 reason codes. */
const CONNACK_V4: Record<number, string> = {
  1: 'Unacceptable protocol version',
  2: 'Identifier rejected',
  3: 'Server unavailable',
  4: 'Bad user name or password',
  5: 'Not authorized',
};

/**
 * MQTT.js's ReasonCodes keeps the 3.1.1 CONNACK texts under 1 to 5 and '' under 0; in MQTT 5
 * these codes mean something else or nothing (section 2.4).
 */
const V5_LOW: Record<number, string | undefined> = {
  0: 'Success',
  1: 'Granted QoS 1',
  2: 'Granted QoS 2',
  3: undefined,
  4: 'Disconnect with Will Message',
  5: undefined,
  0x18: 'Continue authentication',
  0x19: 'Re-authenticate',
};

export function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0').toUpperCase()}`;
}

/** "0x87 Not authorized", using the v5 names. 0x80 in a 3.1.1 SUBACK is "Failure". */
export function reasonName(code: number, protocolVersion: 4 | 5 = 5): string {
  if (protocolVersion === 4 && code === 0x80) return '0x80 Failure';
  const table = ReasonCodes as Record<number, string>;
  const name = code in V5_LOW ? V5_LOW[code] : table[code];
  return `${hex(code)} ${name ?? 'Unknown reason code'}`;
}

export function connackReason(code: number, protocolVersion: 4 | 5): string {
  if (protocolVersion === 4) return `${hex(code)} ${CONNACK_V4[code] ?? 'Unknown return code'}`;
  // An MQTT 5 CONNACK never carries 0x01-0x7F: such a code is a 3.1.1 return code from a
  // broker that does not speak MQTT 5 (it answers in the only version it knows).
  if (code > 0 && code < 0x80) {
    const v4 = CONNACK_V4[code] ?? 'Unknown return code';
    const hint = code === 1 ? '; this broker does not speak MQTT 5: set "protocolVersion": 4' : '';
    return `${hex(code)} ${v4} (an MQTT 3.1.1 return code${hint})`;
  }
  return reasonName(code);
}

interface ErrorLike {
  message?: string;
  code?: string | number;
  hostname?: string;
  reason?: string;
}

/** mqtt-packet's complaints about bytes that are not MQTT at all. */
const NOT_MQTT =
  /^(Invalid header flag bits|Invalid (protocolId|protocol version|connack flags|variable byte integer)|Packet too short|Malformed|Cannot parse|Not supported|Unknown property)/;

/** CONNACK refusals that say "later", not "never": retrying can succeed. */
export function isRetryableRefusal(code: number, protocolVersion: 4 | 5): boolean {
  if (protocolVersion === 4) return code === 3; // Server unavailable
  // Server unavailable, Server busy, Quota exceeded, Connection rate exceeded
  return code === 0x88 || code === 0x89 || code === 0x97 || code === 0x9f;
}

/**
 * Why an established link dropped, in the words the state shows, or undefined when the error
 * is better told by describeConnectionError.
 */
export function describeLinkLoss(
  error: unknown,
  target: string,
  keepaliveSeconds: number,
): string | undefined {
  const e = (error ?? {}) as ErrorLike;
  if (e.message === 'Keepalive timeout')
    return `no answer within keepalive ${(keepaliveSeconds * 1.5).toFixed(1).replace(/\.0$/, '')} s`;
  if (e.code === 'ECONNRESET') return `${target} reset the connection (ECONNRESET)`;
  if (e.code === 'EPIPE') return `${target} closed the connection while we were writing (EPIPE)`;
  if (e.code === 'ETIMEDOUT') return `the network timed out reaching ${target} (ETIMEDOUT)`;
  return undefined;
}

/**
 * Describes why a connection failed: refused, unknown host, timeout, TLS, or CONNACK refusal.
 * `tls` is the profile's TLS settings, named in the advice for a certificate problem.
 */
export function describeConnectionError(
  error: unknown,
  target: string,
  protocolVersion: 4 | 5,
  connectTimeoutSeconds: number,
  tls?: TlsOptions,
): string {
  const e = (error ?? {}) as ErrorLike;
  const message = e.message ?? String(error);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Connection refused by ${target}: no MQTT broker is listening there.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Unknown host "${e.hostname ?? target}": the name does not resolve.`;
    case 'ETIMEDOUT':
      return `Timed out reaching ${target}.`;
    case 'ECONNRESET':
      return `${target} closed the connection (ECONNRESET). Is it a TLS port reached without TLS, or the reverse?`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target} is unreachable from this machine (${e.code}).`;
  }
  if (
    typeof e.code === 'string' &&
    (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(e.code) || /certificate/i.test(message))
  ) {
    const plain = describeTlsTrustFailure(error, tls);
    return `TLS failure with ${target}: ${plain ?? e.reason ?? message} (${e.code}).`;
  }
  if (typeof e.code === 'number' && e.code > 0) {
    return `The broker refused the connection: ${connackReason(e.code, protocolVersion)}.`;
  }
  if (e.code === undefined && NOT_MQTT.test(message)) {
    return `${target} answered, but not in MQTT: an HTTP or WebSocket port? (${message})`;
  }
  if (message === 'connack timeout') {
    return `Timed out after ${connectTimeoutSeconds} s waiting for ${target} to accept the MQTT connection.`;
  }
  return `${target}: ${message}`;
}
