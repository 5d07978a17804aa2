// `.mqtt` files in the real VS Code host, against a real Mosquitto: problems appear as you type
// (a bad topic, bad JSON, an unknown variable, each at its place) and go after a fix; completion
// offers keywords, headers, header values, variables and a topic seen on the connection; the
// Testing view lists a file's EXPECT blocks, runs them (one passes, one fails with the diff at its
// block) and re-runs only the failed one through VS Code's own "Rerun Failed Tests".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { MqttScopeApi } from '../../src/extension/extension';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-mqtt-files';
const SEEN_TOPIC = 'lab/seen/temperature';

describe('.mqtt files in the editor', function () {
  let broker: MosquittoBroker;
  let scope: MqttScopeApi;
  let dir: vscode.Uri;
  const run = `r${Date.now()}`;

  before(async () => {
    broker = await startMosquitto();
    scope = await api();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'lab/#', qos: 1 }],
      },
    ]);
    const session = await waitFor('the session', () => scope.sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    await waitFor('the SUBACK', () => session.subscriptions[0]?.status.kind === 'granted');
    await vscode.commands.executeCommand('mqttScope.selectConnection', NAME);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host opened a folder');
    dir = vscode.Uri.joinPath(folder.uri, `mqtt-editor-${run}`);
    await vscode.workspace.fs.createDirectory(dir);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => {});
    await setConnections([]);
    await broker?.stop();
  });

  async function open(name: string, text: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.joinPath(dir, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    return document;
  }

  /** Closes and deletes a file of this suite, so a later "Run All Tests" does not run it. */
  async function discard(document: vscode.TextDocument): Promise<void> {
    if (document.isDirty) await document.save();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(document.uri);
  }

  const problems = (uri: vscode.Uri) =>
    vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'MQTT Scope');

  it('shows a bad topic, bad JSON and an unknown variable where they are, and clears them after a fix', async () => {
    const document = await open(
      'problems.mqtt',
      [
        '@device = dev-1',
        '',
        '### bad topic',
        'PUBLISH lab/+/x',
        '',
        'x',
        '',
        '### bad json',
        'EXPECT lab/a WITHIN 1s',
        'json: $.t == {oops',
        '',
        '### unknown variable',
        'PUBLISH lab/{{nobody}}/x',
        '',
        'x',
      ].join('\n'),
    );
    const found = await waitFor('three problems', () => {
      const list = problems(document.uri);
      return list.length >= 3 ? list : undefined;
    });
    const at = (d: vscode.Diagnostic) =>
      `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
    assert.deepEqual(found.map(at), ['3:8-3:15', '9:13-9:18', '12:12-12:22'], listed(found));
    const [topic, json, unknown] = found;
    assert.match(topic.message, /lab\/\+\/x/);
    assert.equal(topic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(json.message, /JSON/);
    assert.equal(json.severity, vscode.DiagnosticSeverity.Error);
    assert.match(unknown.message, /nobody/);
    // No environment is selected: an unknown name may come from one, so it is a warning.
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Warning);

    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(3, 8, 3, 15), 'lab/ok/x');
    edit.replace(document.uri, new vscode.Range(9, 13, 9, 18), '20');
    edit.replace(document.uri, new vscode.Range(12, 12, 12, 22), '{{device}}');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('no problems', () => problems(document.uri).length === 0 || undefined);
    await discard(document);
  });

  it('drops the problems of a document when it closes', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'mqtt',
      content: '### bad\nPUBLISH lab/#\n\nx\n',
    });
    await vscode.window.showTextDocument(document);
    await waitFor('the problem', () => problems(document.uri).length === 1 || undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(
      'no problems once closed',
      () => problems(document.uri).length === 0 || undefined,
    );
  });

  it('shows a match: that RE2 refuses (a backreference) where it is', async () => {
    const document = await open('regex.mqtt', '### re\nEXPECT lab/a WITHIN 1s\nmatch: /(a)\\1/\n');
    const [found] = await waitFor('the problem', () => {
      const list = problems(document.uri);
      return list.length > 0 ? list : undefined;
    });
    assert.equal(found.range.start.line, 2);
    assert.equal(found.range.start.character, 7);
    assert.match(found.message, /not valid RE2 syntax \(no backreferences or lookaround\)/);
    await discard(document);
  });

  it('with an environment selected, its variables are known and any other name is an error', async () => {
    const env = vscode.Uri.joinPath(dir, 'mqtt-scope.env.json');
    const environments = { environments: { edit: { variables: { device: 'dev-env' } } } };
    await vscode.workspace.fs.writeFile(
      env,
      new TextEncoder().encode(JSON.stringify(environments)),
    );
    await vscode.commands.executeCommand('mqttScope.selectEnvironment', 'edit');
    try {
      const document = await open('env.mqtt', '### a\nPUBLISH lab/{{device}}/{{nobody}}\n\nx\n');
      const [unknown] = await waitFor('the unknown name', () => {
        const list = problems(document.uri);
        return list.length === 1 ? list : undefined;
      });
      assert.equal(document.getText(unknown.range), '{{nobody}}');
      assert.equal(unknown.severity, vscode.DiagnosticSeverity.Error);
      const variables = await complete(document, 1, 14);
      assert.ok(variables.includes('device'), `the environment's variable: ${variables.join()}`);
      await discard(document);
    } finally {
      await vscode.commands.executeCommand('mqttScope.selectEnvironment', '');
      await vscode.workspace.fs.delete(env);
    }
  });

  async function complete(document: vscode.TextDocument, line: number, character: number) {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(line, character),
    );
    return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  }

  it('completes keywords, header names and values, variables and a topic seen on the connection', async () => {
    const result = await vscode.commands.executeCommand<{ ok: boolean }>('mqttScope.publish', {
      connection: NAME,
      topic: SEEN_TOPIC,
      payload: '21.5',
      qos: 1,
      retain: false,
    });
    assert.ok(result?.ok, `publish failed: ${JSON.stringify(result)}`);
    const session = scope.sessions.get(NAME);
    await waitFor('the topic in the tree', () => session?.topics.find(SEEN_TOPIC));

    const document = await open(
      'complete.mqtt',
      [
        '@device = dev-1',
        '',
        '### a',
        'PU',
        '',
        '### b',
        'PUBLISH lab/seen/te',
        'q',
        'qos: ',
        '',
        '{{de',
      ].join('\n'),
    );
    assert.ok((await complete(document, 3, 2)).includes('PUBLISH'), 'keywords');
    assert.ok((await complete(document, 3, 0)).includes('EXPECT'), 'keywords at a line start');
    const headers = await complete(document, 7, 1);
    assert.ok(headers.includes('retain'), `headers: ${headers.join()}`);
    assert.ok(!headers.includes('count'), 'not an EXPECT header in a PUBLISH block');
    assert.ok(!headers.includes('qos'), 'not a header the block already has');
    assert.deepEqual(
      (await complete(document, 8, 5)).filter((v) => ['0', '1', '2'].includes(v)),
      ['0', '1', '2'],
      'QoS values',
    );
    const variables = await complete(document, 10, 4);
    assert.ok(variables.includes('device'), `the file variable: ${variables.join()}`);
    assert.ok(variables.includes('$timestamp') && variables.includes('$uuid'), 'dynamic values');
    const topics = await complete(document, 6, 19);
    assert.ok(topics.includes(SEEN_TOPIC), `the topic seen: ${topics.join()}`);
    await discard(document);
  });

  it('runs a file from the Testing view: one test passes, one fails at its block, and Rerun Failed runs only it', async () => {
    const topic = `lab/it/${run}`;
    const document = await open(
      'tests.mqtt',
      [
        `@topic = ${topic}`,
        '',
        '### arrives',
        'EXPECT {{topic}} WITHIN 5s',
        'payload: hello',
        '',
        '### wrong payload',
        'EXPECT {{topic}} WITHIN 2s',
        'payload: goodbye',
        '',
        '### broken',
        'EXPECT {{topic}} WITHIN 2s',
        'qos: 7',
        '',
        '### publish',
        'PUBLISH {{topic}}',
        'qos: 1',
        '',
        'hello',
      ].join('\n'),
    );
    const tests = scope.mqttFileTests;
    const id = (title: string) => `${document.uri.toString()}#title:${title}`;
    const file = await waitFor('the file in the Testing view', () => {
      const item = findItem(tests.controller.items, document.uri.toString());
      return item && item.children.size === 3 ? item : undefined;
    });
    const labels: string[] = [];
    file.children.forEach((c) => labels.push(c.label));
    assert.deepEqual(
      labels,
      ['arrives', 'wrong payload', 'broken'],
      'EXPECT blocks only, by title',
    );
    assert.equal(file.children.get(id('arrives'))?.range?.start.line, 3, 'at the request line');

    // Run this file as the Testing view's run button on it does (other suites leave files in the
    // folder, so not Run All); VS Code records the run, which Rerun Failed Tests then reads.
    let ended = waitForRun(tests);
    const profile = tests.runProfile;
    const cancel = new vscode.CancellationTokenSource();
    await profile.runHandler(new vscode.TestRunRequest([file], undefined, profile), cancel.token);
    await ended;
    assert.equal(tests.lastRun.get(id('arrives'))?.state, 'passed');
    const failed = tests.lastRun.get(id('wrong payload'));
    assert.equal(failed?.state, 'failed', JSON.stringify(failed));
    assert.match(failed?.expected ?? '', /goodbye/, 'the diff shows what was expected');
    assert.match(failed?.actual ?? '', /hello/, 'and what arrived');
    assert.equal(tests.lastRun.get(id('broken'))?.state, 'errored', 'an invalid block errs');

    tests.lastRun.clear();
    ended = waitForRun(tests);
    await vscode.commands.executeCommand('testing.reRunFailTests');
    await ended;
    assert.equal(
      tests.lastRun.get(id('wrong payload'))?.state,
      'failed',
      'the failed test ran again',
    );
    assert.equal(tests.lastRun.has(id('arrives')), false, 'the passed test did not');
  });
});

function listed(list: vscode.Diagnostic[]): string {
  return list
    .map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`)
    .join(' | ');
}

function findItem(items: vscode.TestItemCollection, id: string): vscode.TestItem | undefined {
  let found: vscode.TestItem | undefined;
  items.forEach((item) => {
    found ??= item.id === id ? item : findItem(item.children, id);
  });
  return found;
}

function waitForRun(tests: MqttScopeApi['mqttFileTests']): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`no test run ended within 30 s: ${JSON.stringify([...tests.lastRun])}`)),
      30_000,
    );
    const sub = tests.onDidEndRun(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}
