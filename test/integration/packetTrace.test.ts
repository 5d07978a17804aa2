// The packet trace inside a real VS Code host against a real Mosquitto on MQTT 5: the profile's
// `packetTrace` turns it on without reconnecting, "MQTT: Toggle Packet Trace" turns it off and on
// for the running session (the connection's row says so), `mqttScope.packetTrace.maxEntries`
// bounds it, and "MQTT: Show Packet Trace" opens the panel on a log entry's packet.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-packet-trace';

describe('packet trace', function () {
  let broker: MosquittoBroker;
  const profile = (packetTrace: boolean) => ({
    name: NAME,
    url: `mqtt://127.0.0.1:${broker.port}`,
    protocolVersion: 5,
    subscriptions: [{ topic: 'trace/#', qos: 2 }],
    packetTrace,
  });

  before(async () => {
    broker = await startMosquitto();
    await setConnections([{ ...profile(true) }]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.packetTrace.maxEntries', undefined, vscode.ConfigurationTarget.Global);
    await setConnections([]);
    await broker?.stop();
  });

  it('traces a connection whose profile asks for it, from its CONNECT', async () => {
    const { sessions, packetTrace } = await api();
    await waitFor('the trace on', () => packetTrace.trace.isTraced(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
    await session.publish({ topic: 'trace/a', payload: 'x', qos: 2, retain: false });
    const types = await waitFor('the delivery back', () => {
      const t = packetTrace.trace.page(NAME, 0, 100).map((e) => `${e.direction} ${e.type}`);
      return t.includes('sent PUBCOMP') ? t : undefined;
    });
    assert.deepEqual(types.slice(0, 2), ['sent CONNECT', 'received CONNACK']);
    assert.ok(types.includes('received PUBREC'));
  });

  it('turns off and on with the command, without reconnecting; the row says so', async () => {
    const { sessions, packetTrace, tree } = await api();
    const session = sessions.get(NAME)!;
    const row = () => tree.getTreeItem(tree.connectionElement(session));
    assert.match(String(row().description), /tracing packets/);
    assert.equal(await vscode.commands.executeCommand('mqttScope.togglePacketTrace', NAME), false);
    assert.equal(packetTrace.trace.isTraced(NAME), false);
    assert.doesNotMatch(String(row().description), /tracing packets/);
    const before = packetTrace.trace.range(NAME).end;
    await session.publish({ topic: 'trace/off', payload: 'x', qos: 1, retain: false });
    assert.equal(packetTrace.trace.range(NAME).end, before, 'nothing traced while off');
    assert.equal(await vscode.commands.executeCommand('mqttScope.togglePacketTrace', NAME), true);
    assert.match(String(row().description), /tracing packets/);
    assert.equal(sessions.get(NAME), session, 'the same session');
    assert.equal(session.state.kind, 'connected');
  });

  it('follows a change of the profile setting without reconnecting', async () => {
    const { sessions, packetTrace } = await api();
    const session = sessions.get(NAME)!;
    await setConnections([{ ...profile(false) }]);
    await waitFor('the trace off', () => !packetTrace.trace.isTraced(NAME));
    await setConnections([{ ...profile(true) }]);
    await waitFor('the trace on', () => packetTrace.trace.isTraced(NAME));
    assert.equal(sessions.get(NAME), session, 'not reconnected for the trace');
    assert.equal(session.state.kind, 'connected');
  });

  it('keeps at most mqttScope.packetTrace.maxEntries packets', async () => {
    const { sessions, packetTrace } = await api();
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.packetTrace.maxEntries', 100, vscode.ConfigurationTarget.Global);
    const session = sessions.get(NAME)!;
    for (let i = 0; i < 40; i++)
      await session.publish({ topic: `trace/n/${i}`, payload: 'x', qos: 1, retain: false });
    await waitFor('the trace to fill', () => packetTrace.trace.range(NAME).end > 150);
    const { start, end } = packetTrace.trace.range(NAME);
    assert.equal(end - start, 100);
  });

  it('opens the panel on the packet of a Message Log entry', async () => {
    const { packetTrace, messageLog } = await api();
    const [entry] = messageLog.store.page({
      limit: 1,
      filter: { connection: NAME, topicFilter: 'trace/n/39', direction: 'out' },
    }).entries;
    assert.ok(entry, 'the publish is logged');
    const traced = packetTrace.trace.findBySeq(NAME, entry.seq);
    assert.equal(traced?.type, 'PUBLISH');
    await vscode.commands.executeCommand('mqttScope.showPacketTrace', {
      connection: NAME,
      seq: entry.seq,
    });
    const view = await waitFor(
      'the panel ready',
      () => packetTrace.view?.isReady && packetTrace.view,
    );
    assert.equal(view.connection, NAME);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
