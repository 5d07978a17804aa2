// Who Floods inside a real VS Code host against a real Mosquitto: "MQTT: Show Who Floods" opens
// the view in the panel area on a connection, which ranks the busiest topic first; a topic row
// of the topic explorer shows its rate; and a connection whose explorer is at
// `mqttScope.topicTree.maxTopics` shows how many topics were not shown, naming the setting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-floods';
const SMALL = 'it-floods-small';

describe('who floods', function () {
  let broker: MosquittoBroker;
  const profile = (name: string, filter: string) => ({
    name,
    url: `mqtt://127.0.0.1:${broker.port}`,
    protocolVersion: 5,
    subscriptions: [{ topic: filter, qos: 0 }],
  });

  before(async () => {
    broker = await startMosquitto();
    await setConnections([profile(NAME, 'floods/#')]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.topicTree.maxTopics', undefined, vscode.ConfigurationTarget.Global);
    await setConnections([]);
    await broker?.stop();
  });

  it('Show Who Floods opens the view on a connection, its busiest topic first', async () => {
    const { sessions, floods } = await api();
    const session = sessions.get(NAME)!;
    for (let i = 0; i < 60; i++)
      void session.publish({ topic: 'floods/hot', payload: `{"i":${i}}`, qos: 0, retain: false });
    for (let i = 0; i < 3; i++)
      void session.publish({ topic: 'floods/cold', payload: 'x', qos: 0, retain: false });
    await vscode.commands.executeCommand('mqttScope.showFloods', { connection: NAME });
    const view = await waitFor('the view ready', () => floods.view?.isReady && floods.view, 20_000);
    await waitFor('the view on the connection', () => view.shown.connection === NAME);
    // Each message counts once, received back (a publish is not counted, as in the tree).
    const ranking = await waitFor(
      'every message counted',
      () => {
        const rows = floods.rates.ranking({ connection: NAME, window: 60, sort: 'msgs', limit: 5 });
        const sum = (i: number) => rows[i]?.spark.reduce((a, b) => a + b, 0);
        return rows.length === 2 && sum(0) === 60 && sum(1) === 3 && rows;
      },
      5_000,
    );
    assert.deepEqual(
      ranking.map((r) => r.topic),
      ['floods/hot', 'floods/cold'],
    );
    assert.ok(ranking[0].msgsPerSecond > ranking[1].msgsPerSecond);
  });

  it('shows the rate on a topic row of the topic explorer', async () => {
    const { sessions, tree } = await api();
    const session = sessions.get(NAME)!;
    const element = await waitFor('the topic row', () => tree.topicElement(session, 'floods/hot'));
    const description = await waitFor('its rate', () => {
      const d = String(tree.getTreeItem(element).description);
      return /\d+(\.\d)?\/s/.test(d) && d;
    });
    assert.match(description, /^\d+ msgs · \d+(\.\d)?\/s · /);
  });

  it('counts the topics the limit kept out of the topic explorer, naming the setting', async () => {
    const { sessions, tree } = await api();
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.topicTree.maxTopics', 100, vscode.ConfigurationTarget.Global);
    // The limit applies to a connection made after the change.
    await setConnections([profile(NAME, 'floods/#'), profile(SMALL, 'small/#')]);
    await waitFor('the second session', () => sessions.get(SMALL));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', SMALL), true);
    const session = sessions.get(SMALL)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
    // small, small/t and 98 topics fill the 100 nodes; 52 topics are not shown.
    for (let i = 0; i < 150; i++)
      await session.publish({ topic: `small/t/${i}`, payload: 'x', qos: 1, retain: false });
    const connection = tree.connectionElement(session);
    const row = await waitFor('the dropped-topics row', () => {
      const found = tree.getChildren(connection).find((e) => e.kind === 'droppedTopics');
      return found && session.topics.notShown.topics === 52 && found;
    });
    const item = tree.resolveTreeItem(tree.getTreeItem(row), row);
    assert.equal(item.label, '52 topics not shown: the limit of 100 topics is reached');
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /mqttScope\.topicTree\.maxTopics/);
    assert.equal(tree.getParent(row), connection);
  });
});
