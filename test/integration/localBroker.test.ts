// The local broker inside the real VS Code host: it starts on the configured port (or the next
// free one), the implicit "Local broker" connection connects to it, a real Paho client and the
// demo devices publish to it, and their topics show in the topic explorer.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import * as vscode from 'vscode';
import { freePort } from '../support/ports';
import { pahoPublish } from '../support/paho';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';

const LOCAL = 'Local broker';

function topicPath(
  tree: { getChildren(e?: Element): Element[] | Thenable<Element[]> | undefined | null },
  root: Element,
  path: string[],
): Element | undefined {
  let node: Element | undefined = root;
  for (const name of path) {
    const children: Element[] = node ? ((tree.getChildren(node) as Element[]) ?? []) : [];
    node = children.find((e: Element) => e.kind === 'topic' && e.node.name === name);
    if (!node) return undefined;
  }
  return node;
}

/** A Paho client that gives no user name or password publishes one message. */
function publishWithoutPassword(port: number): Promise<unknown> {
  return pahoPublish({
    port,
    topic: 'iot/lab/anonymous',
    payload: 'no password',
    qos: 1,
    count: 1,
    protocol: 4,
    timeoutMs: 15_000,
  });
}

describe('local broker', function () {
  let blocker: Server;
  let wanted: number;

  before(async () => {
    await setConnections([]);
    // Take the wanted port first, so the broker must move to the next one and say so.
    wanted = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(wanted, '127.0.0.1', () => resolve()));
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', wanted, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', undefined, vscode.ConfigurationTarget.Global);
    blocker?.close();
  });

  it('starts on the next free port when the configured one is taken', async () => {
    const port = await vscode.commands.executeCommand<number>('mqttScope.startLocalBroker');
    assert.equal(typeof port, 'number');
    assert.notEqual(port, wanted);
    assert.ok(port > wanted && port < wanted + 20, `port ${port} is not after ${wanted}`);
    const { localBroker } = await api();
    assert.equal(localBroker.broker.state.kind, 'running');
  });

  it('offers a "Local broker" connection that connects by itself and sees Paho messages', async () => {
    const { sessions, tree, localBroker } = await api();
    const session = await waitFor('the Local broker session', () => sessions.get(LOCAL));
    await waitFor('it to connect', () => session.state.kind === 'connected');
    const state = localBroker.broker.state;
    assert.ok(state.kind === 'running');
    await waitFor('the # subscription', () => session.subscriptions[0]?.status.kind === 'granted');
    // Another program needs the per-session password, which Copy Local Broker Password gives.
    await assert.rejects(publishWithoutPassword(state.port), /connection refused: 4/);
    await vscode.env.clipboard.writeText('');
    assert.equal(
      await vscode.commands.executeCommand<boolean>('mqttScope.copyLocalBrokerPassword'),
      true,
    );
    const password = await vscode.env.clipboard.readText();
    assert.match(password, /^[\w-]{24}$/);
    await pahoPublish({
      username: 'mqtt-scope',
      password,
      port: state.port,
      topic: 'iot/lab/mqtt_test',
      payload: 'Hello from the MQTT Publisher!',
      qos: 1,
      count: 1,
      protocol: 4,
      timeoutMs: 15_000,
    });
    const root = (tree.getChildren() as Element[]).find(
      (e) => e.kind === 'connection' && e.session === session,
    );
    assert.ok(root);
    const leaf = await waitFor('the Paho topic in the tree', () =>
      topicPath(tree, root, ['iot', 'lab', 'mqtt_test']),
    );
    assert.match(String(tree.getTreeItem(leaf).description), /Hello from the MQTT Publisher!/);
    const brokerRow = (tree.getChildren() as Element[]).find((e) => e.kind === 'broker');
    assert.ok(brokerRow, 'no Local broker row in the Connections view');
    assert.match(
      String(tree.getTreeItem(brokerRow).description),
      new RegExp(`127\\.0\\.0\\.1:${state.port} · \\d+ client`),
    );
  });

  it('runs demo devices whose topics appear in the topic explorer within seconds', async () => {
    const { sessions, tree } = await api();
    const started = await vscode.commands.executeCommand<boolean>('mqttScope.startDemo');
    assert.equal(started, true);
    const session = sessions.get(LOCAL);
    assert.ok(session);
    const root = (tree.getChildren() as Element[]).find(
      (e) => e.kind === 'connection' && e.session === session,
    );
    assert.ok(root);
    const telemetry = await waitFor(
      'demo telemetry',
      () => topicPath(tree, root, ['demo', 'greenhouse', 'sensor-1', 'telemetry']),
      8_000,
    );
    assert.match(String(tree.getTreeItem(telemetry).description), /"temperature":/);
    const status = await waitFor(
      'a retained status',
      () => topicPath(tree, root, ['demo', 'power', 'meter-1', 'status']),
      8_000,
    );
    // Delivered live, so without the retain flag (MQTT 5.0 §3.3.1.3); the preview is the payload.
    assert.match(String(tree.getTreeItem(status).description), /· online ·/);
    await vscode.commands.executeCommand('mqttScope.stopDemo');
  });

  it('with mqttScope.localBroker.requirePassword off, programs connect without the password', async () => {
    const config = vscode.workspace.getConfiguration();
    await config.update(
      'mqttScope.localBroker.requirePassword',
      false,
      vscode.ConfigurationTarget.Global,
    );
    try {
      const open = await vscode.commands.executeCommand<number>('mqttScope.restartLocalBroker');
      await publishWithoutPassword(open!);
    } finally {
      await config.update(
        'mqttScope.localBroker.requirePassword',
        undefined,
        vscode.ConfigurationTarget.Global,
      );
    }
    const closed = await vscode.commands.executeCommand<number>('mqttScope.restartLocalBroker');
    await assert.rejects(publishWithoutPassword(closed!), /connection refused: 4/);
  });

  it('removes the Local broker connection when the broker stops', async () => {
    const { sessions, localBroker } = await api();
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    assert.equal(localBroker.broker.state.kind, 'stopped');
    await waitFor('the session to go', () => sessions.get(LOCAL) === undefined);
  });
});
