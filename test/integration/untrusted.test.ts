// A folder the user has not trusted (restricted mode), whose settings are those of a hostile
// clone (untrustedWorkspace.json: a profile that connects by itself, the local broker and demo
// started, memory caps raised). Run by `run.ts --untrusted`. The folder's settings do nothing;
// the user's own profiles and the local broker still work.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { api, waitFor } from './helpers';

describe('an untrusted folder', function () {
  let broker: AedesBroker;

  before(async () => {
    broker = await startAedes();
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.connections', undefined, vscode.ConfigurationTarget.Global);
    await broker?.stop();
  });

  it('is open in restricted mode, with the extension running', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(await api());
  });

  it("ignores the folder's profiles, broker, demo and memory settings", async () => {
    const { sessions, localBroker } = await api();
    assert.equal(sessions.get('cloned'), undefined);
    assert.equal(localBroker.broker.state.kind, 'stopped');
    const config = vscode.workspace.getConfiguration();
    assert.equal(config.get('mqttScope.messageLog.maxMessages'), 100_000);
    assert.equal(config.get('mqttScope.topicTree.maxTopics'), 100_000);
    assert.equal(config.get('mqttScope.offlineQueue.maxMegabytes'), 10);
    assert.equal(config.get('mqttScope.demo.autoStart'), false);
  });

  it("ignores the folder's decoder rules, and reads none of the files they name", async () => {
    const { decoderSettings } = await api();
    await decoderSettings.loaded;
    assert.deepEqual(vscode.workspace.getConfiguration().get('mqttScope.decoders'), []);
    assert.equal(decoderSettings.rules.rules.length, 0);
    assert.deepEqual(decoderSettings.problems, []);
  });

  it("connects the user's own profiles", async () => {
    const { sessions } = await api();
    await vscode.workspace.getConfiguration().update(
      'mqttScope.connections',
      [
        {
          name: 'mine',
          url: `mqtt://127.0.0.1:${broker.port}`,
          protocolVersion: 4,
          autoConnect: true,
        },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await waitFor('connected', () => sessions.get('mine')?.state.kind === 'connected');
    assert.equal(sessions.get('cloned'), undefined);
  });

  it('Add Connection puts the profile in the user settings, where it works', async () => {
    const { sessions } = await api();
    // The prompts, answered (the suite shares the extension's vscode API object).
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: unknown };
    const original = { input: window.showInputBox, info: window.showInformationMessage };
    const answers = ['added-here', `mqtt://127.0.0.1:${broker.port}`, ''];
    window.showInputBox = async () => answers.shift();
    window.showInformationMessage = async () => undefined;
    try {
      await vscode.commands.executeCommand('mqttScope.addConnection');
    } finally {
      window.showInputBox = original.input;
      window.showInformationMessage = original.info;
    }
    const saved = vscode.workspace
      .getConfiguration()
      .inspect<{ name: string }[]>('mqttScope.connections');
    assert.ok(saved?.globalValue?.some((p) => p.name === 'added-here'));
    assert.ok(!saved?.workspaceValue?.some((p) => p.name === 'added-here'));
    await waitFor('the session', () => sessions.get('added-here'));
  });

  it('starts the local broker, whose connection connects by itself', async () => {
    const { sessions } = await api();
    const port = await vscode.commands.executeCommand<number | undefined>(
      'mqttScope.startLocalBroker',
    );
    assert.ok(port && port > 1, `started on ${port}`);
    await waitFor('connected', () => sessions.get('Local broker')?.state.kind === 'connected');
  });
});
