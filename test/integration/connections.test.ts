// The extension end to end inside a real VS Code host against a real Mosquitto: profiles from
// workspace settings apply live, connect, publish through the command with the broker's
// acknowledgement, a real Paho subscriber receives it, and the Connections view shows the topic.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { pahoPublish, pahoSubscribe } from '../support/paho';
import type { PublishResult } from '../../src/extension/commands/publishCommands';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';

describe('connections against Mosquitto', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto({
      acl: 'topic readwrite it/#\ntopic read readonly/#\n',
    });
  });

  after(async () => {
    await setConnections([]);
    await broker?.stop();
  });

  it('applies profiles from settings live, reporting an invalid one with its setting path', async () => {
    const { sessions, tree } = await api();
    await setConnections([
      {
        name: 'it-mosquitto',
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'it/#', qos: 2 }],
      },
      { name: 'broken', host: '127.0.0.1', port: 70000 },
    ]);
    await waitFor('the session', () => sessions.get('it-mosquitto'));
    assert.equal(sessions.get('broken'), undefined);
    const roots = tree.getChildren() as Element[];
    const problem = roots.find((e) => e.kind === 'problem');
    assert.ok(problem && problem.kind === 'problem', 'no problem node in the Connections view');
    assert.equal(problem.problem.path, 'mqttScope.connections[1].port');
    const item = tree.getTreeItem(problem);
    assert.match(String(item.description), /1 to 65535/);
  });

  it('connects through the command and the subscription is granted', async () => {
    const { sessions } = await api();
    const ok = await vscode.commands.executeCommand<boolean>('mqttScope.connect', 'it-mosquitto');
    assert.equal(ok, true);
    const session = sessions.get('it-mosquitto');
    assert.equal(session?.state.kind, 'connected');
    await waitFor('the SUBACK', () => session?.subscriptions[0].status.kind === 'granted');
    assert.deepEqual(session?.subscriptions[0].status, { kind: 'granted', qos: 2 });
  });

  for (const qos of [0, 1, 2] as const) {
    it(`publishes at QoS ${qos} through the command and a Paho subscriber receives it`, async () => {
      const topic = `it/paho/q${qos}`;
      const sub = pahoSubscribe({
        port: broker.port,
        topic,
        qos,
        count: 1,
        protocol: 5,
        timeoutMs: 15_000,
      });
      await sub.ready;
      const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
        connection: 'it-mosquitto',
        topic,
        payload: `hello from VS Code at QoS ${qos}`,
        qos,
        retain: false,
      });
      assert.ok(result?.ok, `publish failed: ${JSON.stringify(result)}`);
      const expected = [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']][qos];
      assert.deepEqual(result.outcome.handshake, expected);
      const received = await sub.messages;
      assert.equal(received.length, 1);
      assert.equal(received[0].payload.toString(), `hello from VS Code at QoS ${qos}`);
      assert.equal(received[0].topic, topic);
    });
  }

  it('shows a topic published by Paho in the topic explorer, with count and preview', async () => {
    const { sessions, tree } = await api();
    const session = sessions.get('it-mosquitto');
    assert.ok(session);
    await pahoPublish({
      port: broker.port,
      topic: 'it/devices/lamp',
      payload: '{"on":true,"n":{i}}',
      qos: 1,
      count: 3,
      protocol: 4,
      timeoutMs: 15_000,
    });
    const connection = (tree.getChildren() as Element[]).find(
      (e) => e.kind === 'connection' && e.session === session,
    );
    assert.ok(connection);
    const lamp = await waitFor('the lamp topic in the tree', () => {
      const it = (tree.getChildren(connection) as Element[]).find(
        (e) => e.kind === 'topic' && e.node.name === 'it',
      );
      const devices =
        it &&
        (tree.getChildren(it) as Element[]).find(
          (e) => e.kind === 'topic' && e.node.name === 'devices',
        );
      return (
        devices &&
        (tree.getChildren(devices) as Element[]).find(
          (e) => e.kind === 'topic' && e.node.name === 'lamp',
        )
      );
    });
    const item = tree.getTreeItem(lamp);
    assert.equal(item.label, 'lamp');
    await waitFor('three messages', () => lamp.kind === 'topic' && lamp.node.messageCount === 3);
    assert.match(
      String(tree.getTreeItem(lamp).description),
      /^3 msgs · (\d+(\.\d)?\/s · )?\{"on":true,"n":2\} · \d\d:\d\d:\d\d$/,
    );
  });

  it('reports the broker refusing a publish (MQTT 5 reason code) instead of success', async () => {
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: 'it-mosquitto',
      topic: 'readonly/x',
      payload: 'denied',
      qos: 1,
      retain: false,
    });
    assert.equal(result?.ok, false);
    assert.match(result.ok ? '' : result.error, /0x87 Not authorized/);
    // Mosquitto 2.0.11 also drops the connection right after a denied v5 publish; the session
    // must come back by itself and resubscribe.
    const { sessions } = await api();
    const session = sessions.get('it-mosquitto');
    await waitFor('the drop', () => session?.state.kind !== 'connected', 3_000).catch(
      () => undefined,
    );
    await waitFor('the reconnect', () => session?.state.kind === 'connected', 15_000);
    await waitFor('the resubscribe', () => session?.subscriptions[0].status.kind === 'granted');
  });

  it('refuses an invalid topic before anything is sent', async () => {
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: 'it-mosquitto',
      topic: 'it/+/bad',
      payload: 'x',
      qos: 0,
      retain: false,
    });
    assert.equal(result?.ok, false);
    assert.match(result.ok ? '' : result.error, /wildcards/);
  });

  it('puts an unreachable broker in an error state with the reason; others keep working', async () => {
    const { sessions } = await api();
    await setConnections([
      {
        name: 'it-mosquitto',
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'it/#', qos: 2 }],
      },
      { name: 'nobody-home', url: 'mqtt://127.0.0.1:1', connectTimeout: 2 },
    ]);
    const dead = await waitFor('the new session', () => sessions.get('nobody-home'));
    const ok = await vscode.commands.executeCommand<boolean>('mqttScope.connect', 'nobody-home');
    assert.equal(ok, false);
    assert.equal(dead.state.kind, 'error');
    assert.match(dead.state.kind === 'error' ? dead.state.message : '', /Connection refused/);
    assert.equal(sessions.get('it-mosquitto')?.state.kind, 'connected');
  });

  it('disconnects a profile removed from settings', async () => {
    const { sessions } = await api();
    const session = sessions.get('it-mosquitto');
    assert.equal(session?.state.kind, 'connected');
    await setConnections([]);
    await waitFor('the session to go', () => sessions.get('it-mosquitto') === undefined);
    await waitFor('the disconnect', () => session?.state.kind === 'disconnected');
  });
});
