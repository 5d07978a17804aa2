// What a workspace folder may set. A cloned folder's settings must not connect anywhere, read
// files, start the local broker or raise a memory cap unless the folder is trusted
// (`restrictedConfigurations`), and settings that open listeners on this machine or size the
// extension host's memory are `machine` settings: VS Code reads them from the user's (or the
// remote machine's) settings only, never from a workspace, in line with VS Code's rule for
// machine-specific settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: {
      supported: boolean | 'limited';
      description?: string;
      restrictedConfigurations?: string[];
    };
  };
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
) as Manifest;
const settings = Object.keys(manifest.contributes.configuration.properties);

/** Settings that connect or read files (profiles: urls, TLS files). */
const connects = (key: string) => key === 'mqttScope.connections';
/** Settings that open a network listener on this machine, or start something that does. */
const listens = (key: string) => /^mqttScope\.(localBroker|demo)\./.test(key);
/** Settings that raise a memory cap: any `max…` setting (maxTopics, maximumPacketSize…) but the retry delay. */
const raisesMemory = (key: string) =>
  /\.max\w*$/.test(key) && key !== 'mqttScope.reconnect.maxDelaySeconds';

describe('workspace trust in package.json', () => {
  const trust = manifest.capabilities?.untrustedWorkspaces;

  it('supports untrusted folders in a limited way, saying how', () => {
    assert.equal(trust?.supported, 'limited');
    assert.match(trust?.description ?? '', /^%[\w.]+%$/);
  });

  it('restricts every setting that connects, reads files, listens or raises a memory cap', () => {
    const sensitive = settings.filter((k) => connects(k) || listens(k) || raisesMemory(k));
    assert.ok(sensitive.length >= 10, `found only ${sensitive.join(', ')}`);
    const restricted = new Set(trust?.restrictedConfigurations ?? []);
    const missing = sensitive.filter((k) => !restricted.has(k));
    assert.deepEqual(missing, [], `not in restrictedConfigurations: ${missing.join(', ')}`);
  });

  it('restricts only settings that exist', () => {
    for (const key of trust?.restrictedConfigurations ?? []) assert.ok(settings.includes(key), key);
  });

  it('gives settings that listen or raise a memory cap the machine scope', () => {
    const wrong = settings
      .filter((k) => listens(k) || raisesMemory(k))
      .filter((k) => manifest.contributes.configuration.properties[k].scope !== 'machine');
    assert.deepEqual(wrong, [], `not machine-scoped: ${wrong.join(', ')}`);
  });
});
