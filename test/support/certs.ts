/**
 * Throwaway TLS material made with the openssl CLI: a test CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate signed by it, and a second, unrelated CA that a
 * test can trust instead to see verification fail. EC keys, because they take milliseconds.
 * Only node builtins: this also runs bundled inside a VS Code extension host.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TestCerts {
  /** The CA that signed the server and client certificates. */
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting only it must fail verification of the server. */
  otherCa: string;
}

const OPENSSL_CNF = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`openssl ${args[0]} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function makeCa(dir: string, name: string, cn: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-config',
      'openssl.cnf',
      '-extensions',
      'ca_ext',
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

async function makeLeaf(dir: string, name: string, cn: string, ext: string): Promise<void> {
  await openssl(
    [
      'req',
      ...EC,
      '-config',
      'openssl.cnf',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'openssl.cnf',
      '-extensions',
      ext,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/** Writes the certificates into `dir` and returns their absolute paths. */
export async function generateCerts(dir: string): Promise<TestCerts> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), OPENSSL_CNF);
  await Promise.all([
    makeCa(dir, 'ca', 'mqtt-scope test CA'),
    makeCa(dir, 'other-ca', 'mqtt-scope untrusted CA'),
  ]);
  // Sequential: both signings update the CA's serial file.
  await makeLeaf(dir, 'server', '127.0.0.1', 'server_ext');
  await makeLeaf(dir, 'client', 'mqtt-scope-test-client', 'client_ext');
  const at = (file: string) => path.join(dir, file);
  return {
    ca: at('ca.crt'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    clientCert: at('client.crt'),
    clientKey: at('client.key'),
    otherCa: at('other-ca.crt'),
  };
}
