/**
 * The built `mqtt-scope` over TLS: a Mosquitto that demands a client certificate, reached with
 * `--ca`, `--cert`, `--key`; an unverified broker fails with the certificate's reason unless
 * `--insecure` is given.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { printed, runCli, tempFiles } from './cliProcess';

describe('mqtt-scope over TLS', () => {
  let mosquitto: MosquittoBroker;
  const files = tempFiles({
    'tls.mqtt':
      '### over TLS\nEXPECT cli/tls WITHIN 3s\n\nsecure\n\n###\nPUBLISH cli/tls\nqos: 1\n\nsecure\n',
  });
  before(async () => {
    mosquitto = await startMosquitto({ tls: { requireCertificate: true } });
  });
  after(async () => {
    await mosquitto?.stop();
    files.remove();
  });
  const run = (...extra: string[]) =>
    runCli(['run', 'tls.mqtt', '--broker', `mqtts://127.0.0.1:${mosquitto.tlsPort}`, ...extra], {
      cwd: files.dir,
      timeoutMs: 30_000,
    });
  const certs = () => mosquitto.certs!;

  it('passes with the CA and a client certificate', async () => {
    const o = await run(
      '--ca',
      certs().ca,
      '--cert',
      certs().clientCert,
      '--key',
      certs().clientKey,
    );
    assert.equal(o.code, 0, printed(o));
    assert.match(o.stdout, /✓ over TLS/);
  });

  it('fails with the reason when the broker is not verified, and --insecure skips it', async () => {
    const unverified = await run('--cert', certs().clientCert, '--key', certs().clientKey);
    assert.equal(unverified.code, 1, printed(unverified));
    assert.match(unverified.stdout, /certificate/i, printed(unverified));
    const insecure = await run(
      '--insecure',
      '--cert',
      certs().clientCert,
      '--key',
      certs().clientKey,
    );
    assert.equal(insecure.code, 0, printed(insecure));
  });

  it('exits 2 for a TLS file that does not exist', async () => {
    const o = await run('--ca', 'missing-ca.pem');
    assert.equal(o.code, 2, printed(o));
    assert.match(o.stderr, /--ca missing-ca\.pem: no such file/);
  });
});
