// The first hour in the real VS Code host: the topic explorer opens its first levels by itself
// (mqttScope.topicTree.autoExpandDepth) while a connection has few topics, and the Message Log
// opens on the first message received (mqttScope.messageLog.openOnFirstMessage), once per
// workspace and without taking the focus.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { pahoPublish } from '../support/paho';
import type { Element } from '../../src/extension/views/elements';
import { api, localBrokerPassword, setConnections, waitFor } from './helpers';

const LOCAL = 'Local broker';
const Expanded = vscode.TreeItemCollapsibleState.Expanded;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration()
    .update(key, value, vscode.ConfigurationTarget.Workspace);
}

function logTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter(
      (t) =>
        t.input instanceof vscode.TabInputWebview &&
        t.input.viewType.includes('mqttScope.messageLogPanel'),
    );
}

describe('first hour', () => {
  let port = 0;
  let published = 0;

  /** Publishes one message with a real Paho client and waits until the log stored it. */
  async function publish(topic: string): Promise<void> {
    const { messageLog } = await api();
    const before = messageLog.store.stats().lastSeq;
    await pahoPublish({
      username: 'mqtt-scope',
      password: await localBrokerPassword(),
      port,
      topic,
      payload: `message ${++published}`,
      qos: 1,
      count: 1,
      protocol: 4,
      timeoutMs: 15_000,
    });
    await waitFor(`"${topic}" in the log`, () => messageLog.store.stats().lastSeq > before);
  }

  before(async () => {
    await setConnections([]);
    await setSetting('mqttScope.messageLog.openOnFirstMessage', false);
    port = (await vscode.commands.executeCommand<number>('mqttScope.startLocalBroker')) ?? 0;
    assert.ok(port > 0, 'the local broker did not start');
    const { sessions } = await api();
    const session = await waitFor('the Local broker session', () => sessions.get(LOCAL));
    await waitFor('the # subscription', () => session.subscriptions[0]?.status.kind === 'granted');
  });

  after(async () => {
    for (const tab of logTabs()) await vscode.window.tabGroups.close(tab);
    await setSetting('mqttScope.messageLog.openOnFirstMessage', undefined);
    await setSetting('mqttScope.topicTree.autoExpandDepth', undefined);
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
  });

  it('does not open the Message Log when openOnFirstMessage is off', async () => {
    await publish('plant/line-1/pump-7/flow');
    assert.equal(logTabs().length, 0);
  });

  it('opens the Message Log on the next message once it is on, and only once', async () => {
    await setSetting('mqttScope.messageLog.openOnFirstMessage', true);
    await publish('plant/line-1/pump-7/flow');
    const [tab] = await waitFor('the Message Log tab', () => logTabs().length > 0 && logTabs());
    assert.equal(tab.label, 'MQTT Message Log');
    assert.equal(logTabs().length, 1);
    await vscode.window.tabGroups.close(tab);
    // Once per workspace: closing it is an answer.
    await publish('plant/line-1/pump-7/flow');
    assert.equal(logTabs().length, 0);
  });

  it('opens the first levels of topics by the autoExpandDepth setting', async () => {
    const { sessions, tree } = await api();
    const session = sessions.get(LOCAL);
    assert.ok(session);
    const root = tree.connectionElement(session);
    const at = (path: string): Element => {
      const element = tree.topicElement(session, path);
      assert.ok(element, `no topic ${path}`);
      return element;
    };
    const state = (path: string) => tree.getTreeItem(at(path)).collapsibleState;
    assert.ok((tree.getChildren(root) as Element[]).length > 0);
    // The default, 2: plant and plant/line-1 open, so pump-7 (the device) shows.
    assert.equal(state('plant'), Expanded);
    assert.equal(state('plant/line-1'), Expanded);
    assert.equal(state('plant/line-1/pump-7'), Collapsed);

    await setSetting('mqttScope.topicTree.autoExpandDepth', 3);
    assert.equal(state('plant/line-1/pump-7'), Expanded);
    await setSetting('mqttScope.topicTree.autoExpandDepth', 0);
    assert.equal(state('plant'), Collapsed);
    assert.equal(state('plant/line-1'), Collapsed);
  });

  it('leaves a large tree collapsed', async () => {
    await setSetting('mqttScope.topicTree.autoExpandDepth', 2);
    const { sessions, tree } = await api();
    const session = sessions.get(LOCAL);
    assert.ok(session);
    for (let i = 0; i < 250; i++)
      await session.publish({
        topic: `fleet/truck-${i}/gps`,
        payload: `${i}`,
        qos: 1,
        retain: false,
      });
    await waitFor('250 more topics', () => session.topics.size > 200);
    const fleet = tree.topicElement(session, 'fleet');
    assert.ok(fleet);
    assert.equal(tree.getTreeItem(fleet).collapsibleState, Collapsed);
  });
});
