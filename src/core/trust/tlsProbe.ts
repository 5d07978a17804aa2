/**
 * A TLS handshake with the broker and nothing more, made before the password prompt: a broker
 * whose certificate fails verification is reported at once, instead of after the user typed a
 * password for a connection that could never be made.
 */
import * as tls from 'node:tls';
import { buildClientOptions, tlsHandshakeOptions } from '../session/clientOptions';
import type { Scheduler } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import { describeConnectionError } from '../reasons';
import type { TlsFileContents } from './tlsFiles';

/**
 * Resolves once the broker completed the handshake; rejects with Node's error otherwise.
 * In TLS 1.3 the client finishes before the broker has checked a client certificate, so the
 * probe waits for the broker's session ticket (sent once it accepted the client) or its
 * alert; a broker that sends neither within `settleMs` is taken as having accepted.
 */
export function probeTlsHandshake(
  options: tls.ConnectionOptions,
  scheduler: Scheduler,
  timeoutMs: number,
  settleMs = 1_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(options);
    let timer = scheduler.setTimeout(() => {
      finish(Object.assign(new Error('TLS handshake timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    const finish = (error?: Error) => {
      timer.dispose();
      socket.removeAllListeners();
      // An error after the end (the broker's reply to our close) must not go unhandled.
      socket.on('error', () => undefined);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    socket.once('error', finish);
    socket.once('close', () =>
      finish(new Error('The broker closed the connection during the TLS handshake')),
    );
    socket.once('secureConnect', () => {
      if (socket.getProtocol() !== 'TLSv1.3') return finish();
      timer.dispose();
      timer = scheduler.setTimeout(() => finish(), settleMs);
      socket.once('session', () => finish());
    });
  });
}

/** The probe failed: `message` says why, in the words of a failed connection. */
export class HandshakeFailed extends Error {
  override name = 'HandshakeFailed';
}

/**
 * Probes the handshake of a TLS profile (mqtts://, wss://) with the options its connection
 * will use; does nothing for a plain one. Throws HandshakeFailed with the described reason.
 */
export async function probeProfileHandshake(
  profile: ConnectionProfile,
  clientId: string,
  tlsFiles: TlsFileContents,
  scheduler: Scheduler,
  target: string,
): Promise<void> {
  if (profile.protocol !== 'mqtts' && profile.protocol !== 'wss') return;
  const options = tlsHandshakeOptions(buildClientOptions(profile, clientId, undefined, tlsFiles));
  try {
    await probeTlsHandshake(options, scheduler, profile.connectTimeout * 1000);
  } catch (error) {
    const { protocolVersion, connectTimeout, tls } = profile;
    throw new HandshakeFailed(
      describeConnectionError(error, target, protocolVersion, connectTimeout, tls),
    );
  }
}
