// CONNECT blocks of `.mqtt` files in the editor, inside a real VS Code host: a CONNECT that
// names no broker signs in as the environment's connection does (the local broker's own
// password; a Mosquitto's saved password over TLS, asked once), a block with its own username
// does not get the connection's password, and the playground sample passes whole against the
// demo devices with every block's result still shown after the run.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { freePort } from '../support/ports';
import type { FileResult } from '../../src/core/mqttFile/runTypes';
import type { MqttScopeApi } from '../../src/extension/extension';
import { api, EXTENSION_ID, setConnections, waitFor } from './helpers';
import { answerPasswordPrompt } from './ui';

const LOCAL = 'Local broker';
const TLS = 'it-connect-tls';
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

/** A device with a will: online, then its link breaks and the broker publishes the will. */
const WILL = `### a device with a will
CONNECT dev
client-id: it-connect-{{$randomInt 1000 10000}}
will-topic: {{base}}/status
will-payload: offline
will-qos: 1

### the will arrives
EXPECT {{base}}/status WITHIN 5s

offline

### online
PUBLISH {{base}}/status
client: dev
qos: 1

online

### the link breaks
DROP dev
`;

const OWN_USER = `### signs in as someone else
CONNECT other
username: mallory
`;

describe('.mqtt CONNECT blocks sign in as the connection', function () {
  let broker: MosquittoBroker;
  let mqtt: MqttScopeApi;
  let folder: vscode.Uri;
  const base = `it/mqttconnect/${Date.now()}`;

  const write = async (name: string, text: string) => {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    return uri;
  };
  const runFile = (uri: vscode.Uri) =>
    vscode.commands.executeCommand<FileResult>('mqttScope.runMqttFile', {
      uri: uri.toString(),
    }) as Promise<FileResult | undefined>;
  const statuses = (result: FileResult | undefined) =>
    result?.results.map(
      (r) => `${r.block.title}: ${r.status}${r.message ? ` (${r.message})` : ''}`,
    );

  before(async () => {
    mqtt = await api();
    broker = await startMosquitto({
      passwords: { alice: PASSWORD },
      allowAnonymous: false,
      tls: {},
    });
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', await freePort(), vscode.ConfigurationTarget.Global);
    await setConnections([
      {
        name: TLS,
        url: `mqtts://127.0.0.1:${broker.tlsPort}`,
        username: 'alice',
        protocolVersion: 5,
        tls: { ca: broker.certs!.ca },
      },
    ]);
    await waitFor('the TLS session', () => mqtt.sessions.get(TLS));
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'a workspace folder');
    folder = vscode.Uri.joinPath(root, 'mqtt-connect');
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'mqtt-scope.env.json'),
      Buffer.from(
        JSON.stringify({
          environments: {
            local: { connection: LOCAL, variables: { base } },
            tls: { connection: TLS, variables: { base } },
          },
        }),
      ),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', '');
    // The files go, so a later suite's Run All Tests does not run them.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (folder)
      await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => {});
    await vscode.commands.executeCommand('mqttScope.stopDemo');
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', undefined, vscode.ConfigurationTarget.Global);
    await setConnections([]);
    await broker?.stop();
  });

  it('the local broker: CONNECT gets its password, and DROP publishes the will', async () => {
    assert.equal(
      typeof (await vscode.commands.executeCommand('mqttScope.startLocalBroker')),
      'number',
    );
    const local = await waitFor(
      'the Local broker connected',
      () => {
        const s = mqtt.sessions.get(LOCAL);
        return s?.state.kind === 'connected' ? s : undefined;
      },
      15_000,
    );
    assert.ok(local.profile.username, 'the local broker asks for a password');
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', 'local');
    const result = await runFile(await write('will-local.mqtt', WILL));
    assert.deepEqual(statuses(result), [
      'a device with a will: passed',
      'the will arrives: passed',
      'online: passed',
      'the link breaks: passed',
    ]);
  });

  it('Mosquitto over TLS with a password file: asked once, then CONNECT uses it', async () => {
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', 'tls');
    const uri = await write('will-tls.mqtt', WILL);
    const running = runFile(uri);
    const prompt = await answerPasswordPrompt(PASSWORD);
    assert.ok(prompt.shown, 'the connection asks for its password');
    const result = await Promise.race([
      running,
      new Promise<string>((r) => setTimeout(() => r('still running after 20 s'), 20_000)),
    ]);
    if (typeof result === 'string') {
      await answerPasswordPrompt(undefined, 1_000);
      assert.fail(`the run asked for the password again: ${result}`);
    }
    assert.deepEqual(statuses(result), [
      'a device with a will: passed',
      'the will arrives: passed',
      'online: passed',
      'the link breaks: passed',
    ]);
    // A block with its own username gets none of the connection's password.
    const other = await runFile(await write('own-user.mqtt', OWN_USER));
    assert.equal(other?.results[0]?.status, 'failed', JSON.stringify(statuses(other)));
    assert.match(other?.results[0]?.message ?? '', /user name or password|not authorized/i);
  });

  it('the playground sample passes whole, every result still shown after the run', async () => {
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', 'local');
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.startDemo'), true);
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'the extension');
    const sample = path.join(extension.extensionPath, 'playground', 'demo-devices.mqtt');
    const uri = await write('demo-devices.mqtt', fs.readFileSync(sample, 'utf8'));
    const result = await runFile(uri);
    assert.ok(result, 'the run happened');
    const texts = mqtt.mqttFileResults.texts(uri);
    assert.deepEqual(
      texts.map((t) => t.line),
      result.results.map((r) => r.block.requestRange.line),
      texts.map((t) => `${t.line}: ${t.text}`).join('\n'),
    );
    const failed = result.results.filter((r) => r.status !== 'passed');
    assert.deepEqual(statuses({ ...result, results: failed }), []);
    assert.deepEqual(
      texts.filter((t) => !t.text.startsWith('✓')),
      [],
    );
  });
});
