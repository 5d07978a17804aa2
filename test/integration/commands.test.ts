// Commands as a user meets them, inside the real VS Code host: each is run the way a menu, the
// palette or another extension runs it (a tree row, nothing, or a typed argument) against a
// real broker, an in-process aedes whose own events show what it received. Each test sets up
// what it needs: none relies on another having run first.
import * as assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import * as vscode from 'vscode';
import type { AedesBroker } from '../support/aedesBroker';
import { startAedes } from '../support/aedesBroker';
import type { MqttSession } from '../../src/core/session/session';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';
import { panelText } from './ui';

const A = 'cmd-a';
const B = 'cmd-b';

/** Sends `topic` from the broker itself, as a device would, and waits until it went out. */
function devicePublish(aedes: AedesBroker, topic: string, payload = 'x'): Promise<void> {
  return new Promise((resolve, reject) =>
    aedes.broker.publish(
      { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 0, retain: false, dup: false },
      (error?: Error) => (error ? reject(error) : resolve()),
    ),
  );
}

/** Messages the session received, by topic, from now on. */
function received(session: MqttSession): { count(topic: string): number; dispose(): void } {
  const counts = new Map<string, number>();
  const listener = session.onMessage((m) => counts.set(m.topic, (counts.get(m.topic) ?? 0) + 1));
  return { count: (topic) => counts.get(topic) ?? 0, dispose: () => listener.dispose() };
}

/** The next SUBSCRIBE or UNSUBSCRIBE the broker gets from `clientId`: its topic filters. */
function nextFromClient(
  aedes: AedesBroker,
  event: 'subscribe' | 'unsubscribe',
  clientId: string,
): Promise<string[]> {
  const events = aedes.broker as unknown as EventEmitter;
  return new Promise((resolve) => {
    const listener = (items: (string | { topic: string })[], client: { id: string } | null) => {
      if (client?.id !== clientId) return;
      events.removeListener(event, listener);
      resolve(items.map((i) => (typeof i === 'string' ? i : i.topic)));
    };
    // aedes types each event's listener apart; both carry the topics first, then the client.
    events.on(event, listener);
  });
}

async function connected(name: string): Promise<MqttSession> {
  const { sessions } = await api();
  const session = await waitFor(`the session ${name}`, () => sessions.get(name));
  if (session.state.kind !== 'connected')
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', name), true);
  return session;
}

function subscriptionRow(
  tree: { getChildren(e?: Element): Element[] },
  session: MqttSession,
  topic: string,
) {
  const root = tree.getChildren().find((e) => e.kind === 'connection' && e.session === session);
  assert.ok(root, `no row for ${session.name}`);
  const group = tree.getChildren(root).find((e) => e.kind === 'subscriptions');
  assert.ok(group, `no Subscriptions row under ${session.name}`);
  return tree
    .getChildren(group)
    .find((e) => e.kind === 'subscription' && e.subscription.topic === topic);
}

describe('commands where a user meets them', function () {
  let aedes: AedesBroker;

  before(async () => {
    aedes = await startAedes();
    const url = `mqtt://127.0.0.1:${aedes.port}`;
    // aedes 1.x speaks MQTT 3.1.1 only.
    await setConnections([
      { name: A, url, protocolVersion: 4 },
      { name: B, url, protocolVersion: 4 },
    ]);
  });

  after(async () => {
    await setConnections([]);
    await aedes?.stop();
  });

  it('Subscribe sends a SUBSCRIBE, and messages on the filter arrive', async () => {
    const session = await connected(A);
    const seen = received(session);
    try {
      const sent = nextFromClient(aedes, 'subscribe', session.clientId);
      const status = await vscode.commands.executeCommand('mqttScope.subscribe', {
        connection: A,
        topic: 'cmd/+/temp',
        qos: 1,
      });
      assert.deepEqual(status, { kind: 'granted', qos: 1 });
      assert.deepEqual(await sent, ['cmd/+/temp']);
      await devicePublish(aedes, 'cmd/k1/temp', '21.5');
      await waitFor('the message on cmd/k1/temp', () => seen.count('cmd/k1/temp') === 1);
    } finally {
      seen.dispose();
    }
  });

  it('Unsubscribe on a subscription row sends an UNSUBSCRIBE, and its messages stop', async () => {
    const session = await connected(A);
    const { tree } = await api();
    // What this test unsubscribes from, and a control subscription that stays.
    await vscode.commands.executeCommand('mqttScope.subscribe', {
      connection: A,
      topic: 'gone/#',
      qos: 0,
    });
    await vscode.commands.executeCommand('mqttScope.subscribe', {
      connection: A,
      topic: 'kept/#',
      qos: 0,
    });
    const row = await waitFor('the gone/# row', () => subscriptionRow(tree, session, 'gone/#'));
    const seen = received(session);
    try {
      const sent = nextFromClient(aedes, 'unsubscribe', session.clientId);
      await vscode.commands.executeCommand('mqttScope.unsubscribe', row);
      assert.deepEqual(await sent, ['gone/#']);
      assert.equal(
        session.subscriptions.find((s) => s.topic === 'gone/#'),
        undefined,
      );
      // The broker delivers in order: once the control arrived, gone/x would have too.
      await devicePublish(aedes, 'gone/x');
      await devicePublish(aedes, 'kept/x');
      await waitFor('the control message', () => seen.count('kept/x') === 1);
      assert.equal(seen.count('gone/x'), 0, 'a message arrived after Unsubscribe');
    } finally {
      seen.dispose();
    }
  });

  it('a bad argument from another extension is refused, naming the command and the argument', async () => {
    const session = await connected(A);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.subscribe', {
          connection: A,
          topic: 'bad/#',
          qos: 3,
        }),
      ),
      /mqttScope\.subscribe: the argument "qos" must be 0, 1 or 2, not 3/,
    );
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.publish', { connection: A, topci: 'x' }),
      ),
      /mqttScope\.publish: the argument "argument\.topci" is not known/,
    );
    assert.equal(
      session.subscriptions.find((s) => s.topic === 'bad/#'),
      undefined,
    );
  });

  it('Clear Topics on a connection row empties its topic explorer', async () => {
    const session = await connected(A);
    const { tree } = await api();
    await vscode.commands.executeCommand('mqttScope.subscribe', {
      connection: A,
      topic: 'clear/#',
      qos: 0,
    });
    await devicePublish(aedes, 'clear/me');
    await waitFor('clear/me in the explorer', () => session.topics.find('clear/me'));
    await vscode.commands.executeCommand('mqttScope.clearTopics', tree.connectionElement(session));
    assert.equal(session.topics.find('clear/me'), undefined);
    assert.equal(session.topics.topLevel().length, 0);
  });

  it('Select Active Connection makes the named connection the status bar’s, and connects it', async () => {
    await connected(A);
    const { sessions, statusBar } = await api();
    const b = await waitFor('the session cmd-b', () => sessions.get(B));
    await vscode.commands.executeCommand('mqttScope.selectConnection', B);
    await waitFor('cmd-b to be active', () => statusBar.active?.name === B);
    await waitFor('cmd-b to connect', () => b.state.kind === 'connected');
    await waitFor('the item to show cmd-b', () => /MQTT: cmd-b$/.test(statusBar.text));
    await vscode.commands.executeCommand('mqttScope.selectConnection', { connection: A });
    await waitFor('cmd-a to be active', () => statusBar.active?.name === A);
    await waitFor('the item to show cmd-a', () => /MQTT: cmd-a$/.test(statusBar.text));
  });

  it('Open Connection Settings opens the folder’s settings.json', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('mqttScope.openSettings');
    const editor = await waitFor('an editor', () => vscode.window.activeTextEditor);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    assert.equal(
      editor.document.uri.toString(),
      vscode.Uri.joinPath(folder, '.vscode', 'settings.json').toString(),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show Log opens the panel on the MQTT Scope output channel, at its newest line', async () => {
    // A refused argument is logged: a line only this channel has, and the newest one.
    const marker = `show-log-${Date.now()}`;
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mqttScope.subscribe', { qos: marker })),
    );
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('mqttScope.showLog');
    const seen = await panelText(`the argument "qos" must be 0, 1 or 2, not "${marker}"`);
    assert.ok(seen.shown, `the panel does not show the MQTT Scope log: ${seen.text?.slice(-300)}`);
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('Clear Message Log empties the log', async () => {
    const session = await connected(A);
    const { messageLog } = await api();
    await vscode.commands.executeCommand('mqttScope.subscribe', {
      connection: A,
      topic: 'log/#',
      qos: 0,
    });
    await devicePublish(aedes, 'log/one');
    await waitFor(
      'a message in the log',
      () => messageLog.store.countOnTopic('log/one', session.name) > 0,
    );
    await vscode.commands.executeCommand('mqttScope.clearMessageLog');
    assert.equal(messageLog.store.stats().count, 0);
    assert.equal(messageLog.store.countOnTopic('log/one'), 0);
  });
});
