// What a cloned folder's settings can make MQTT Scope do, inside the real VS Code host: a profile
// from the workspace's settings connects by itself only after the user agreed for its host (once
// per workspace and host), a user profile is not asked about, "Local broker" is reserved, and an
// invalid URL with credentials shows no password in the Connections view, the notification or
// the output channel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor, waitForAsync } from './helpers';

interface Shown {
  kind: 'warning' | 'error';
  message: string;
  answer(item: string | undefined): void;
}

/**
 * Records the extension's notifications (the tests share the extension's `vscode` API object)
 * and lets a test answer them.
 */
function recordNotifications(): { shown: Shown[]; restore(): void } {
  const shown: Shown[] = [];
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: unknown };
  const original = { warning: window.showWarningMessage, error: window.showErrorMessage };
  const recorder =
    (kind: Shown['kind']) =>
    (message: string): Thenable<string | undefined> =>
      new Promise((resolve) => shown.push({ kind, message, answer: resolve }));
  window.showWarningMessage = recorder('warning');
  window.showErrorMessage = recorder('error');
  return {
    shown,
    restore: () => {
      window.showWarningMessage = original.warning;
      window.showErrorMessage = original.error;
    },
  };
}

/** The consent questions that mention `text` (a host or a profile name). */
const consentAsked = (shown: Shown[], text: string) =>
  shown.filter((s) => s.kind === 'warning' && s.message.includes(text));

describe('workspace trust', function () {
  let broker: AedesBroker;
  let notes: ReturnType<typeof recordNotifications>;

  before(async () => {
    broker = await startAedes();
    notes = recordNotifications();
  });

  after(async () => {
    notes?.restore();
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.connections', undefined, vscode.ConfigurationTarget.Global);
    await setConnections([]);
    await broker?.stop();
  });

  it('asks before a profile from the workspace settings connects by itself; Connect connects', async () => {
    const { sessions } = await api();
    const host = `mqtt://127.0.0.1:${broker.port}`;
    await setConnections([{ name: 'ws-auto', url: host, protocolVersion: 4, autoConnect: true }]);
    const question = await waitFor('the question', () => consentAsked(notes.shown, host)[0]);
    assert.match(question.message, /"ws-auto"/);
    const session = await waitFor('the session', () => sessions.get('ws-auto'));
    assert.equal(session.state.kind, 'disconnected', 'connected before the user agreed');
    question.answer('Connect');
    await waitFor('connected', () => sessions.get('ws-auto')?.state.kind === 'connected');
    // Applied again (a changed profile): the answer is remembered, no second question.
    await setConnections([
      { name: 'ws-auto', url: host, protocolVersion: 4, autoConnect: true, keepalive: 30 },
    ]);
    await waitFor('reconnected', () => sessions.get('ws-auto')?.profile.keepalive === 30);
    await waitFor('connected', () => sessions.get('ws-auto')?.state.kind === 'connected');
    assert.equal(consentAsked(notes.shown, host).length, 1);
  });

  it('after Not now, the profile stays disconnected and is not asked about again', async () => {
    const { sessions } = await api();
    const host = `mqtt://localhost:${broker.port}`;
    await setConnections([{ name: 'ws-later', url: host, protocolVersion: 4, autoConnect: true }]);
    const question = await waitFor('the question', () => consentAsked(notes.shown, host)[0]);
    question.answer('Not now');
    await setConnections([
      { name: 'ws-later', url: host, protocolVersion: 4, autoConnect: true, keepalive: 31 },
    ]);
    const session = await waitFor('the changed session', () =>
      sessions.get('ws-later')?.profile.keepalive === 31 ? sessions.get('ws-later') : undefined,
    );
    assert.equal(session.state.kind, 'disconnected');
    assert.equal(consentAsked(notes.shown, host).length, 1);
    // It still connects when the user asks.
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', 'ws-later'), true);
    await session.disconnect();
  });

  it('connects a profile from the user settings by itself without asking', async () => {
    const { sessions } = await api();
    const host = `mqtt://127.0.0.1:${broker.port}`;
    await vscode.workspace
      .getConfiguration()
      .update(
        'mqttScope.connections',
        [{ name: 'user-auto', url: host, protocolVersion: 4, autoConnect: true }],
        vscode.ConfigurationTarget.Global,
      );
    // The workspace's value (a list) would hide the user's.
    await setConnections(undefined);
    await waitFor('connected', () => sessions.get('user-auto')?.state.kind === 'connected');
    assert.equal(consentAsked(notes.shown, '"user-auto"').length, 0);
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.connections', undefined, vscode.ConfigurationTarget.Global);
  });

  it('reports a settings profile named "Local broker" at its name', async () => {
    const { tree } = await api();
    await setConnections([{ name: 'Local broker', url: 'mqtt://evil.example:1883' }]);
    const problem = await waitFor('the problem node', () =>
      (tree.getChildren() as Element[]).find(
        (e) => e.kind === 'problem' && e.problem.path === 'mqttScope.connections[0].name',
      ),
    );
    assert.match(String(tree.getTreeItem(problem).description), /reserved/);
  });

  it('shows no password of an invalid URL in the view, the notification or the log', async () => {
    const { tree, logUri } = await api();
    const urls = ['mqtt://user:pa/ss@host:99999', 'mqtt://u:p@ss@host'];
    await setConnections(urls.map((url, i) => ({ name: `leaky-${i}`, url })));
    const errors = await waitFor('the notification', () =>
      notes.shown.filter((s) => s.kind === 'error' && s.message.includes('leaky')),
    );
    const problems = await waitFor('two problem nodes', () => {
      const found = (tree.getChildren() as Element[]).filter(
        (e) => e.kind === 'problem' && e.problem.profileName?.startsWith('leaky'),
      );
      return found.length === 2 ? found : undefined;
    });
    const noSecret = (text: string) => {
      for (const secret of ['pa/ss', 'p@ss', 'user:']) {
        assert.ok(!text.includes(secret), `${JSON.stringify(text)} shows ${secret}`);
      }
    };
    errors.forEach((e) => noSecret(e.message));
    for (const p of problems) {
      const item = tree.getTreeItem(p);
      [item.label, item.description, item.tooltip].forEach((t) => noSecret(String(t)));
    }
    const log = vscode.Uri.joinPath(logUri, 'MQTT Scope.log');
    const logText = await waitForAsync('the log lines', async () => {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(log));
      return text.includes('connections[1].url') ? text : undefined;
    });
    noSecret(logText);
    errors.forEach((e) => e.answer(undefined));
  });
});
