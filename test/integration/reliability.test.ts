// Reconnect Now, Drop Connection, Drop Queued Publishes and the offline-queue settings, inside
// a real VS Code host against a real Mosquitto: a dropped connection fires its Last Will and
// comes back by itself; publishes made while reconnecting show as "N queued" on the
// connection and can be dropped; the queue's limit comes from the settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, setUserConnections, waitFor } from './helpers';

describe('connections that survive faults', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto();
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.offlineQueue.maxMessages', undefined, vscode.ConfigurationTarget.Global);
    await setUserConnections(undefined);
    await setConnections([]);
    await broker?.stop();
  });

  it('Drop Connection closes the link without DISCONNECT: the will fires, it reconnects', async () => {
    const { sessions } = await api();
    await setConnections([
      {
        name: 'it-observer',
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'it/will/#', qos: 1 }],
      },
      {
        name: 'it-victim',
        url: `mqtt://127.0.0.1:${broker.port}`,
        will: { topic: 'it/will/victim', payload: 'gone', qos: 1 },
      },
    ]);
    const observer = await waitFor('the observer', () => sessions.get('it-observer'));
    const victim = await waitFor('the victim', () => sessions.get('it-victim'));
    const wills: string[] = [];
    observer.onMessage((m) => wills.push(Buffer.from(m.payload).toString()));
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', 'it-observer'), true);
    await waitFor('the SUBACK', () => observer.subscriptions[0].status.kind === 'granted');
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', 'it-victim'), true);

    assert.equal(
      await vscode.commands.executeCommand('mqttScope.dropConnection', 'it-victim'),
      true,
    );
    await waitFor('the Last Will', () => wills.includes('gone'));
    await waitFor('the victim to reconnect', () => victim.state.kind === 'connected');
  });

  it('publishes while reconnecting show as queued; Drop Queued fails them; the limit is a setting', async () => {
    const { sessions, tree } = await api();
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.offlineQueue.maxMessages', 2, vscode.ConfigurationTarget.Global);
    // Nothing listens on port 1: an autoConnect profile keeps retrying. A user profile: one
    // from the workspace would first ask whether to connect.
    await setUserConnections([
      { name: 'it-offline', url: 'mqtt://127.0.0.1:1', autoConnect: true },
    ]);
    const session = await waitFor('the session', () => sessions.get('it-offline'));
    await waitFor('reconnecting', () => session.state.kind === 'reconnecting');
    const first = session.publish({ topic: 'it/q', payload: 'a', qos: 1, retain: false });
    const second = session.publish({ topic: 'it/q', payload: 'b', qos: 1, retain: false });
    await assert.rejects(
      session.publish({ topic: 'it/q', payload: 'c', qos: 1, retain: false }),
      /offline queue is full \(2 messages/,
    );
    const element = (tree.getChildren() as Element[]).find(
      (e) => e.kind === 'connection' && e.session === session,
    );
    assert.ok(element);
    assert.match(
      String(tree.getTreeItem(element).description),
      /^2 queued · reconnecting \(attempt \d+, /,
    );

    assert.equal(await vscode.commands.executeCommand('mqttScope.dropQueued', 'it-offline'), 2);
    await assert.rejects(first, /was dropped/);
    await assert.rejects(second, /was dropped/);
    assert.equal(session.queued, 0);
  });

  it('the queue byte limit and the longest reconnect delay come from the settings', async () => {
    const { sessions } = await api();
    const config = () => vscode.workspace.getConfiguration();
    const ws = vscode.ConfigurationTarget.Workspace;
    // A machine setting: the user's settings only.
    await config().update(
      'mqttScope.offlineQueue.maxMegabytes',
      1,
      vscode.ConfigurationTarget.Global,
    );
    await config().update('mqttScope.reconnect.maxDelaySeconds', 1, ws);
    try {
      await setUserConnections([
        { name: 'it-capped', url: 'mqtt://127.0.0.1:1', autoConnect: true },
      ]);
      const session = await waitFor('the session', () => sessions.get('it-capped'));
      const waits: number[] = [];
      const listener = session.onDidChangeState((s) => {
        if (s.kind === 'reconnecting' && s.nextAttemptAt !== undefined)
          waits.push(s.nextAttemptAt - Date.now());
      });
      // Without the cap, attempt 4 would wait 2 to 4 s.
      await waitFor('attempt 5', () => waits.length >= 5, 15_000);
      listener.dispose();
      assert.ok(Math.max(...waits) <= 1_000, `waited ${waits.join(', ')} ms`);
      await assert.rejects(
        session.publish({ topic: 'it/big', payload: 'x'.repeat(1_100_000), qos: 1, retain: false }),
        /offline queue is full/,
      );
    } finally {
      await config().update(
        'mqttScope.offlineQueue.maxMegabytes',
        undefined,
        vscode.ConfigurationTarget.Global,
      );
      await config().update('mqttScope.reconnect.maxDelaySeconds', undefined, ws);
    }
  });

  it('Reconnect Now tries at once instead of waiting for the next attempt', async () => {
    const { sessions } = await api();
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.reconnect.maxDelaySeconds', 60, vscode.ConfigurationTarget.Workspace);
    try {
      await setUserConnections([
        { name: 'it-later', url: 'mqtt://127.0.0.1:1', autoConnect: true },
      ]);
      const session = await waitFor('the session', () => sessions.get('it-later'));
      const waiting = await waitFor('a scheduled attempt', () =>
        session.state.kind === 'reconnecting' && session.state.nextAttemptAt !== undefined
          ? session.state
          : undefined,
      );
      const ok = await vscode.commands.executeCommand('mqttScope.reconnectNow', 'it-later');
      assert.equal(ok, false, 'nothing listens there yet');
      assert.equal(session.state.kind, 'reconnecting');
      assert.ok(session.state.kind === 'reconnecting' && session.state.attempt > waiting.attempt);
    } finally {
      await vscode.workspace
        .getConfiguration()
        .update(
          'mqttScope.reconnect.maxDelaySeconds',
          undefined,
          vscode.ConfigurationTarget.Workspace,
        );
    }
  });
});
