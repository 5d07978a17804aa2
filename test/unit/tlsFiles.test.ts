/**
 * readTlsFiles: TLS paths read without blocking the host. A FIFO, /dev/zero, a folder or a file
 * over 1 MiB is refused with the setting, the path and the reason; `${workspaceFolder}` and `~`
 * are expanded; relative paths resolve against the workspace folder.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTlsFiles, MAX_TLS_FILE_BYTES } from '../../src/core/trust/tlsFiles';
import { MqttError } from '../../src/core/mqttError';
import type { ConnectionProfile, TlsOptions } from '../../src/core/profile/profile';
import { testProfile } from '../support/profiles';

function tlsProfile(tls: Partial<TlsOptions>): ConnectionProfile {
  return testProfile({
    protocol: 'mqtts',
    port: 8883,
    tls: { rejectUnauthorized: true, ...tls },
  });
}

let dir: string;
let home: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-scope-tlsfiles-'));
  home = path.join(dir, 'home');
  fs.mkdirSync(path.join(dir, 'certs'));
  fs.mkdirSync(path.join(home, '.certs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'certs', 'ca.pem'), 'CA PEM');
  fs.writeFileSync(path.join(dir, 'certs', 'client.pem'), 'CERT PEM');
  fs.writeFileSync(path.join(dir, 'certs', 'client.key'), 'KEY PEM');
  fs.writeFileSync(path.join(home, '.certs', 'ca.pem'), 'HOME CA');
  fs.writeFileSync(path.join(dir, 'big.pem'), Buffer.alloc(2 * 1024 * 1024, 0x41));
  fs.writeFileSync(path.join(dir, 'exactly-1mib.pem'), Buffer.alloc(MAX_TLS_FILE_BYTES, 0x41));
  execFileSync('mkfifo', [path.join(dir, 'fifo.pem')]);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const context = () => ({ baseDir: dir, homeDir: home });

/** Rejects with an MqttError whose message is exactly `message`, and quickly (never blocks). */
async function refused(tls: Partial<TlsOptions>, message: string): Promise<void> {
  const started = Date.now();
  await assert.rejects(readTlsFiles(tlsProfile(tls), context()), (error: unknown) => {
    assert.ok(error instanceof MqttError, String(error));
    assert.equal(error.message, message);
    return true;
  });
  assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
}

describe('readTlsFiles', () => {
  it('reads ca, cert and key relative to the workspace folder', async () => {
    const files = await readTlsFiles(
      tlsProfile({ ca: 'certs/ca.pem', cert: 'certs/client.pem', key: 'certs/client.key' }),
      context(),
    );
    assert.equal(String(files.ca), 'CA PEM');
    assert.equal(String(files.cert), 'CERT PEM');
    assert.equal(String(files.key), 'KEY PEM');
  });

  it('expands ${workspaceFolder} and ~, and reads an absolute path as it is', async () => {
    const ws = await readTlsFiles(tlsProfile({ ca: '${workspaceFolder}/certs/ca.pem' }), context());
    assert.equal(String(ws.ca), 'CA PEM');
    const tilde = await readTlsFiles(tlsProfile({ ca: '~/.certs/ca.pem' }), context());
    assert.equal(String(tilde.ca), 'HOME CA');
    const abs = path.join(dir, 'certs', 'ca.pem');
    const absolute = await readTlsFiles(tlsProfile({ ca: abs }), { baseDir: '/nonexistent' });
    assert.equal(String(absolute.ca), 'CA PEM');
  });

  it('reads nothing for a plain connection', async () => {
    const plain = { ...tlsProfile({ ca: '/dev/zero' }), protocol: 'mqtt' as const };
    assert.deepEqual(await readTlsFiles(plain, context()), {});
  });

  it('accepts a file of exactly 1 MiB', async () => {
    const files = await readTlsFiles(tlsProfile({ ca: 'exactly-1mib.pem' }), context());
    assert.equal(files.ca?.length, MAX_TLS_FILE_BYTES);
  });

  it('refuses /dev/zero without reading it', () =>
    refused(
      { ca: '/dev/zero' },
      'Cannot read tls.ca "/dev/zero": it is a character device, not a regular file; point it at a PEM file.',
    ));

  it('refuses a FIFO without waiting for a writer', () =>
    refused(
      { ca: 'fifo.pem' },
      `Cannot read tls.ca "${path.join(dir, 'fifo.pem')}": it is a FIFO (named pipe), not a regular file; point it at a PEM file.`,
    ));

  it('refuses a file over 1 MiB', () =>
    refused(
      { cert: 'big.pem', key: 'certs/client.key' },
      `Cannot read tls.cert "${path.join(dir, 'big.pem')}": it is 2 MiB, more than the 1 MiB a TLS file may have (a PEM file is a few KiB).`,
    ));

  it('refuses a folder', () =>
    refused(
      { ca: 'certs' },
      `Cannot read tls.ca "${path.join(dir, 'certs')}": it is a folder, not a regular file; point it at a PEM file.`,
    ));

  it('names the setting and the resolved path of a missing file', () =>
    refused(
      { cert: 'certs/client.pem', key: 'nope.key' },
      `Cannot read tls.key "${path.join(dir, 'nope.key')}": no such file.`,
    ));

  it('says that ${workspaceFolder} needs an open folder', async () => {
    await assert.rejects(
      readTlsFiles(tlsProfile({ ca: '${workspaceFolder}/ca.pem' }), {}),
      /^MqttError: Cannot read tls\.ca: "\$\{workspaceFolder\}\/ca\.pem" uses \$\{workspaceFolder\}, but no folder is open\.$/,
    );
  });
});
