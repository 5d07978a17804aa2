/**
 * What a session needs before it can open a client: the profile's TLS files (read without
 * blocking), the password (after a TLS handshake probe for a TLS profile with a user), and
 * the client options built from them. Says why when there are none.
 */
import type { IClientOptions } from 'mqtt';
import type { ConnectionProfile } from '../profile/profile';
import { HandshakeFailed, probeProfileHandshake } from '../trust/tlsProbe';
import { hasTlsFiles, readTlsFiles } from '../trust/tlsFiles';
import { brokerTrust, isUnverifiedTls } from '../trust/brokerTrust';
import type { Logger } from '../ports';
import { buildClientOptions } from './clientOptions';
import type { SessionDeps } from './sessionTypes';

export type ClientSetup =
  | { kind: 'ready'; options: IClientOptions }
  /** The session moved on (disconnect, new attempt) while files or the password were awaited. */
  | { kind: 'stale' }
  | { kind: 'cancelled'; message: string }
  /** The TLS handshake probe failed: told as the failed connection it foretells. */
  | { kind: 'handshakeFailed'; message: string }
  | { kind: 'failed'; message: string };

/** Without TLS files or a user there is nothing to wait for: the options come in the same tick. */
export function prepareClient(
  profile: ConnectionProfile,
  clientId: string,
  target: string,
  deps: SessionDeps,
  isCurrent: () => boolean,
): ClientSetup | Promise<ClientSetup> {
  if (hasTlsFiles(profile) || profile.username)
    return prepareAsync(profile, clientId, target, deps, isCurrent);
  try {
    return { kind: 'ready', options: buildClientOptions(profile, clientId, undefined, {}) };
  } catch (error) {
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

async function prepareAsync(
  profile: ConnectionProfile,
  clientId: string,
  target: string,
  deps: SessionDeps,
  isCurrent: () => boolean,
): Promise<ClientSetup> {
  try {
    // Read without blocking: a FIFO or /dev/zero in tls.ca is refused, never waited on.
    const files = hasTlsFiles(profile)
      ? await readTlsFiles(profile, { baseDir: deps.baseDir })
      : {};
    if (!isCurrent()) return { kind: 'stale' };
    const password = profile.username
      ? await deps.getPassword(
          profile,
          () => probeProfileHandshake(profile, clientId, files, deps.scheduler, target),
          brokerTrust(profile, files),
        )
      : undefined;
    // The user may have disconnected, or the profile may have gone, while the prompt was open.
    if (!isCurrent()) return { kind: 'stale' };
    if (profile.username && password === undefined)
      return {
        kind: 'cancelled',
        message: `Connecting "${profile.name}" was cancelled: no password was entered.`,
      };
    return { kind: 'ready', options: buildClientOptions(profile, clientId, password, files) };
  } catch (error) {
    if (!isCurrent()) return { kind: 'stale' };
    if (error instanceof HandshakeFailed)
      return { kind: 'handshakeFailed', message: error.message };
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** What the log says as a connection opens: where, as whom, and that TLS is not verified. */
export function logConnecting(
  session: { name: string; target: string; clientId: string; profile: ConnectionProfile },
  logger: Logger,
): void {
  const { name, target, profile } = session;
  if (isUnverifiedTls(profile))
    logger.warn(`[${name}] TLS certificate verification is turned off for ${target}.`);
  const version = profile.protocolVersion === 5 ? '5.0' : '3.1.1';
  logger.info(`[${name}] connecting to ${target} as "${session.clientId}" (MQTT ${version})`);
}
