// Running `.mqtt` files in the editor, inside a real VS Code host against a real Mosquitto on
// MQTT 5: the CodeLens titles, Run File with a passing and a failing EXPECT (results inline),
// Publish on one block (a Message Log row linked to its block, which opens it), Show in Log,
// Select Environment with an argument, a second Run refused while the first runs, and Stop.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { BlockResult, FileResult } from '../../src/core/mqttFile/runTypes';
import type { MqttScopeApi } from '../../src/extension/extension';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-mqtt-file';

const LAB = `# The lab check, cut short.
@topic = {{base}}/lab

### arrives
EXPECT {{topic}} WITHIN 5s
qos: 1

hello

### never comes
EXPECT {{topic}}/never WITHIN 300ms

### send it
PUBLISH {{topic}}
qos: 1

hello
`;

const SLOW = `### waits
EXPECT {{base}}/slow WITHIN 30s

### pause
WAIT 30s
`;

describe('.mqtt files run in the editor', function () {
  let broker: MosquittoBroker;
  let mqtt: MqttScopeApi;
  let folder: vscode.Uri;
  const base = `it/mqttfile/${Date.now()}`;

  const write = async (name: string, text: string) => {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    return uri;
  };

  before(async () => {
    broker = await startMosquitto();
    mqtt = await api();
    await setConnections([
      { name: NAME, url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 5 },
    ]);
    await waitFor('the session', () => mqtt.sessions.get(NAME));
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(root, 'a workspace folder');
    folder = vscode.Uri.joinPath(root, 'mqtt-files');
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder, 'mqtt-scope.env.json'),
      Buffer.from(
        JSON.stringify({
          environments: { it: { connection: NAME, variables: { base } } },
        }),
      ),
    );
    const chosen = await vscode.commands.executeCommand<string>(
      'mqttScope.selectEnvironment',
      'it',
    );
    assert.equal(chosen, 'it');
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', '');
    // The files go, so a later suite's Run All Tests does not run them.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (folder)
      await vscode.workspace.fs.delete(folder, { recursive: true }).then(undefined, () => {});
    await setConnections([]);
    await broker?.stop();
  });

  it('offers Run File, Run and Publish as CodeLens', async () => {
    const uri = await write('lenses.mqtt', LAB);
    const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    const titles = found.map((l) => `${l.range.start.line}:${l.command?.title ?? ''}`);
    assert.ok(titles.includes('3:$(run-all) Run File'), titles.join(' | '));
    assert.ok(titles.includes('4:$(play) Run'), titles.join(' | '));
    assert.ok(titles.includes('10:$(play) Run'), titles.join(' | '));
    assert.ok(titles.includes('13:$(send) Publish'), titles.join(' | '));
  });

  it('runs the file: a passing and a failing EXPECT, results inline', async () => {
    const uri = await write('lab.mqtt', LAB);
    const result = await vscode.commands.executeCommand<FileResult>('mqttScope.runMqttFile', {
      uri: uri.toString(),
    });
    assert.ok(result, 'the run happened');
    const statuses = result.results.map((r) => `${r.block.title}: ${r.status}`);
    assert.deepEqual(statuses, ['arrives: passed', 'never comes: failed', 'send it: passed']);
    assert.equal(result.passed, false);
    const texts = mqtt.mqttFileResults.texts(uri);
    assert.equal(texts.length, 3);
    assert.match(texts[0].text, /^✓ passed · \d+ ms$/);
    assert.match(texts[1].text, /^✗ failed: /);
    assert.match(texts[2].text, /^✓ published · QoS 1 · \d+ ms$/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(texts[1].line, 2),
    );
    const shown = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(shown, /failed/, shown);

    // An edit inside a block clears its result; a line added above moves the others down.
    const change = new vscode.WorkspaceEdit();
    change.insert(uri, new vscode.Position(texts[1].line + 1, 0), 'qos: 0\n');
    change.insert(uri, new vscode.Position(0, 0), '# moved\n');
    assert.ok(await vscode.workspace.applyEdit(change));
    assert.deepEqual(
      mqtt.mqttFileResults.texts(uri).map((r) => r.line),
      [texts[0].line + 1, texts[2].line + 2],
    );
  });

  it('publishes one block: a logged row linked to its block, which opens it', async () => {
    const uri = await write('publish.mqtt', LAB);
    const result = await vscode.commands.executeCommand<BlockResult>('mqttScope.publishMqttBlock', {
      uri: uri.toString(),
      block: 2,
    });
    assert.equal(result?.status, 'passed', JSON.stringify(result));
    const seq = result.seqs?.[0];
    assert.ok(seq !== undefined, 'the published row');
    const entry = mqtt.messageLog.store.get(seq);
    assert.equal(entry?.direction, 'out');
    assert.equal(entry?.topic, `${base}/lab`);
    assert.equal(mqtt.messageLog.blockLink?.origin(seq)?.label, 'publish.mqtt:14 · send it');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await mqtt.messageLog.blockLink?.open(seq);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor?.selection.active.line, 13);
    const shown = await vscode.commands.executeCommand<boolean>('mqttScope.showMqttBlockInLog', {
      uri: uri.toString(),
      block: 2,
    });
    assert.equal(shown, true, 'Show in Log finds its row');
  });

  it('refuses an environment that is not in the file; Run arms only its test', async () => {
    const uri = await write('env.mqtt', LAB);
    assert.equal(
      await vscode.commands.executeCommand<string>('mqttScope.selectEnvironment', {
        environment: 'nowhere',
      }),
      'nowhere',
    );
    const refused = await vscode.commands.executeCommand<FileResult | undefined>(
      'mqttScope.runMqttBlock',
      { uri: uri.toString(), block: 0 },
    );
    assert.equal(refused, undefined, 'not run without its environment');
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', 'it');
    const one = await vscode.commands.executeCommand<FileResult>('mqttScope.runMqttBlock', {
      uri: uri.toString(),
      block: 1,
    });
    assert.deepEqual(
      one?.results.map((r) => r.status),
      ['skipped', 'failed', 'passed'],
      'Run arms only its test',
    );
  });

  it('refuses a second run while one runs, and Stop cancels it', async () => {
    const uri = await write('slow.mqtt', SLOW);
    const started = Date.now();
    const running = vscode.commands.executeCommand<FileResult>('mqttScope.runMqttFile', {
      uri: uri.toString(),
    });
    await waitFor('the run', () => mqtt.mqttFileRuns.isRunning(uri));
    const second = await vscode.commands.executeCommand('mqttScope.runMqttFile', {
      uri: uri.toString(),
    });
    assert.equal(second, undefined, 'a second run is refused');
    assert.equal(
      await vscode.commands.executeCommand('mqttScope.stopMqttRun', { uri: uri.toString() }),
      true,
    );
    const result = await running;
    assert.equal(result?.cancelled, true);
    assert.ok(Date.now() - started < 10_000, 'stopped long before the 30 s');
    assert.equal(mqtt.mqttFileRuns.isRunning(uri), false);
    assert.equal(mqtt.sessions.get(NAME)?.state.kind, 'connected', 'the connection stays up');
    assert.deepEqual(mqtt.sessions.get(NAME)?.temporary.topics, [], 'no subscription left');
  });
});
