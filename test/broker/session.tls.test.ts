/**
 * TLS trust problems against a real Mosquitto with its own CA, told in plain words that name
 * the setting to change, and the password prompt that waits for a TLS handshake that worked.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { BrokerTrust } from '../../src/core/trust/brokerTrust';
import type { ConnectionProfile } from '../../src/core/profile/profile';
import { MqttError } from '../../src/core/session/session';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { newSession, waitForState, within } from '../support/sessions';

let broker: MosquittoBroker;
before(async () => {
  broker = await startMosquitto({
    passwords: { alice: 'alice-secret' },
    allowAnonymous: false,
    tls: { requireCertificate: true },
  });
});
after(() => broker?.stop());

function errorOf(session: { state: { kind: string; message?: string } }): string {
  return session.state.kind === 'error' ? (session.state.message ?? '') : '';
}

const url = () => `mqtts://127.0.0.1:${broker.tlsPort}`;
const clientCert = () => ({ cert: broker.certs!.clientCert, key: broker.certs!.clientKey });

/**
 * Answers like the extension's credential store holding no password: the check that must
 * precede a prompt runs first, then the "user" types the password. Counts the prompts.
 */
function promptingUser(password: string) {
  const prompts: string[] = [];
  return {
    prompts,
    getPassword: async (profile: ConnectionProfile, beforePrompt?: () => Promise<void>) => {
      await beforePrompt?.();
      prompts.push(profile.username ?? '');
      return password;
    },
  };
}

describe('TLS trust problems in plain words', () => {
  it('a CA in tls.ca that did not sign the broker certificate is named', async (t) => {
    const ca = broker.certs!.otherCa;
    const session = newSession(t, { url: url(), tls: { ca, ...clientCert() } });
    await assert.rejects(session.connect(), MqttError);
    assert.equal(
      errorOf(session),
      `TLS failure with ${url()}: the broker's certificate is not signed by the CA in tls.ca (${ca}): point tls.ca at the CA that signed it (SELF_SIGNED_CERT_IN_CHAIN).`,
    );
  });

  it('without tls.ca, the broker signed by its own CA: set tls.ca', async (t) => {
    const session = newSession(t, { url: url(), tls: clientCert() });
    await assert.rejects(session.connect(), MqttError);
    assert.equal(
      errorOf(session),
      `TLS failure with ${url()}: the broker's certificate is not signed by a CA you trust: set tls.ca to the file of the CA that signed it (SELF_SIGNED_CERT_IN_CHAIN).`,
    );
  });

  it('a certificate made out to other names than tls.servername', async (t) => {
    const tls = { ca: broker.certs!.ca, servername: 'broker.example', ...clientCert() };
    const session = newSession(t, { url: url(), tls });
    await assert.rejects(session.connect(), MqttError);
    assert.equal(
      errorOf(session),
      `TLS failure with ${url()}: the broker's certificate is not made out to "broker.example", the name in tls.servername (it names 127.0.0.1, localhost): set tls.servername to a name the certificate has (ERR_TLS_CERT_ALTNAME_INVALID).`,
    );
  });
});

describe('the password prompt waits for the TLS handshake', () => {
  it('a wrong CA fails before anyone is asked for a password', async (t) => {
    const user = promptingUser('alice-secret');
    const ca = broker.certs!.otherCa;
    const session = newSession(
      t,
      { url: url(), username: 'alice', tls: { ca, ...clientCert() } },
      { deps: { getPassword: user.getPassword } },
    );
    await assert.rejects(session.connect(), /not signed by the CA in tls\.ca/);
    assert.deepEqual(user.prompts, []);
    assert.equal(session.state.kind, 'error');
  });

  it('a missing client certificate the broker requires fails before the prompt too', async (t) => {
    const user = promptingUser('alice-secret');
    const session = newSession(
      t,
      { url: url(), username: 'alice', tls: { ca: broker.certs!.ca } },
      { deps: { getPassword: user.getPassword } },
    );
    await assert.rejects(session.connect(), /CERTIFICATE_REQUIRED/);
    assert.deepEqual(user.prompts, []);
  });

  it('a handshake that works leads to one prompt and a connection', async (t) => {
    const user = promptingUser('alice-secret');
    const tls = { ca: broker.certs!.ca, ...clientCert() };
    const session = newSession(
      t,
      { url: url(), username: 'alice', tls },
      { deps: { getPassword: user.getPassword } },
    );
    await session.connect();
    assert.deepEqual(user.prompts, ['alice']);
    assert.equal(session.state.kind, 'connected');
  });

  it('an autoConnect profile keeps retrying a failing handshake, without prompting', async (t) => {
    const user = promptingUser('alice-secret');
    const ca = broker.certs!.otherCa;
    const session = newSession(
      t,
      { url: url(), username: 'alice', autoConnect: true, tls: { ca, ...clientCert() } },
      { deps: { getPassword: user.getPassword } },
    );
    const connecting = session.connect();
    connecting.catch(() => undefined);
    const state = await waitForState(session, (s) => s.kind === 'reconnecting', 5_000);
    assert.equal(state.kind === 'reconnecting' && state.attempt, 1);
    assert.match(String(state.kind === 'reconnecting' && state.cause), /not signed by the CA/);
    assert.deepEqual(user.prompts, []);
  });
});

describe('TLS files that are not PEM files', () => {
  /** Resolves with how late a 10 ms timer fired: a blocked event loop makes it late. */
  function loopLag(): Promise<number> {
    const started = Date.now();
    return new Promise((resolve) => setTimeout(() => resolve(Date.now() - started - 10), 10));
  }

  for (const [what, ca, why] of [
    ['a FIFO', 'fifo', 'it is a FIFO (named pipe), not a regular file'],
    ['/dev/zero', '/dev/zero', 'it is a character device, not a regular file'],
  ] as const) {
    it(`${what} in tls.ca with autoConnect: an error naming the file, the host not blocked`, async (t) => {
      let file: string = ca;
      if (ca === 'fifo') {
        file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-scope-fifo-')), 'ca.pem');
        execFileSync('mkfifo', [file]);
        t.after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
      }
      const session = newSession(t, { url: url(), autoConnect: true, tls: { ca: file } });
      const lag = loopLag();
      await assert.rejects(within(session.connect(), 5_000, 'connect()'), MqttError);
      assert.ok((await lag) < 500, 'the event loop was blocked');
      assert.equal(
        errorOf(session),
        `Cannot read tls.ca "${file}": ${why}; point it at a PEM file.`,
      );
    });
  }
});

describe('the password is asked for with what verifies the broker', () => {
  function trustOf(t: TestContext, tls: Record<string, unknown>): Promise<BrokerTrust | undefined> {
    return new Promise((resolve, reject) => {
      const session = newSession(
        t,
        { url: url(), username: 'alice', tls: { ...clientCert(), ...tls } },
        {
          deps: {
            getPassword: async (_p, _before, trust) => {
              resolve(trust);
              return undefined;
            },
          },
        },
      );
      session.connect().catch(() => undefined);
      setTimeout(() => reject(new Error('no password was asked for')), 5_000);
    });
  }
  const sha256 = (file: string) =>
    `sha256:${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;

  it('the CA fingerprint and server name when verified; "unverified" when not', async (t) => {
    assert.deepEqual(await trustOf(t, { ca: broker.certs!.ca }), {
      kind: 'verified',
      ca: sha256(broker.certs!.ca),
      servername: '127.0.0.1',
    });
    assert.deepEqual(await trustOf(t, { ca: broker.certs!.ca, servername: 'localhost' }), {
      kind: 'verified',
      ca: sha256(broker.certs!.ca),
      servername: 'localhost',
    });
    assert.deepEqual(await trustOf(t, { rejectUnauthorized: false }), { kind: 'unverified' });
  });
});
