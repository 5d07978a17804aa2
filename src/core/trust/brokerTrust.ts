/**
 * What checks that the broker at a URL is the one a password was given to: for TLS, whether the
 * certificate is verified, against which CA (the SHA-256 of the tls.ca bytes, or the system's
 * CAs) and for which server name. A saved password is bound to it, so a profile that repeats a
 * name, user and URL but trusts another CA, or verifies nothing, never receives it silently.
 */
import { createHash } from 'node:crypto';
import type { ConnectionProfile } from '../profile/profile';
import type { TlsFileContents } from './tlsFiles';

export type BrokerTrust =
  /** mqtt:// or ws://: nothing is verified, and nothing is encrypted either. */
  | { kind: 'plain' }
  /** TLS with tls.rejectUnauthorized false: whoever answers at the address is accepted. */
  | { kind: 'unverified' }
  /** TLS with verification: `ca` is `system` or `sha256:<hex of the tls.ca bytes>`. */
  | { kind: 'verified'; ca: string; servername: string };

/** protocol://host:port, an IPv6 host in brackets: the broker a password is given to. */
export function brokerTarget(profile: ConnectionProfile): string {
  const { protocol, host, port } = profile;
  return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function isTlsProfile(profile: ConnectionProfile): boolean {
  return profile.protocol === 'mqtts' || profile.protocol === 'wss';
}

/** A TLS connection that does not verify the broker's certificate. */
export function isUnverifiedTls(profile: ConnectionProfile): boolean {
  return isTlsProfile(profile) && profile.tls?.rejectUnauthorized === false;
}

export function brokerTrust(profile: ConnectionProfile, files: TlsFileContents): BrokerTrust {
  if (!isTlsProfile(profile)) return { kind: 'plain' };
  if (isUnverifiedTls(profile)) return { kind: 'unverified' };
  const ca = files.ca ? `sha256:${createHash('sha256').update(files.ca).digest('hex')}` : 'system';
  return { kind: 'verified', ca, servername: profile.tls?.servername ?? profile.host };
}

/** A stable text for the trust, part of a saved password's key. */
export function trustKey(trust: BrokerTrust): string {
  if (trust.kind !== 'verified') return trust.kind;
  return `verified ca=${trust.ca} servername=${trust.servername}`;
}
