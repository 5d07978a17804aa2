// Charts inside a real VS Code host against a real Mosquitto: "MQTT: Chart Topic…" with a
// command argument opens a chart panel whose webview loads, says how wide it is, and gets the
// points of the stored history and then of live messages; a filter charts one series per topic.
// With nothing stored it says so and opens nothing; a bad field path is refused with where.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-charts';

describe('charts', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'chart/#', qos: 1 }],
      },
    ]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
  });

  after(async () => {
    const { charts } = await api();
    for (const chart of charts.open) chart.panel.dispose();
    await setConnections([]);
    await broker?.stop();
  });

  it('Chart Topic from a command argument opens the panel with the history, then live points', async () => {
    const { sessions, charts } = await api();
    const session = sessions.get(NAME)!;
    for (let i = 0; i < 20; i++)
      await session.publish({
        topic: `chart/dev${i % 2}/telemetry`,
        payload: JSON.stringify({ temp: 20 + i, status: 'ok' }),
        qos: 1,
        retain: false,
      });
    await waitFor(
      'the echoes stored',
      () => charts.store.countOnTopic('chart/dev1/telemetry', NAME) >= 20,
    );
    const opened = await vscode.commands.executeCommand('mqttScope.chartTopic', {
      connection: NAME,
      topic: 'chart/+/telemetry',
      field: 'temp',
    });
    assert.deepEqual(opened, { connection: NAME, topicFilter: 'chart/+/telemetry', field: 'temp' });
    const chart = charts.open.at(-1)!;
    assert.equal(chart.panel.viewType, 'mqttScope.chartPanel');
    assert.match(chart.panel.title, /chart\/\+\/telemetry · temp/);
    const widths: number[] = [];
    chart.binding.onDidReceive((m) => m.type === 'view' && widths.push(m.width));
    assert.equal(await chart.binding.whenReady(), true, 'the webview loaded and said ready');
    await waitFor('the webview to report its width', () => widths.length > 0);
    const history = chart.binding.data();
    // Published and received: only what came back from the broker is charted (20 received).
    assert.deepEqual(history.topics, ['chart/dev0/telemetry', 'chart/dev1/telemetry']);
    assert.equal(history.stats.points, 20);
    assert.ok(chart.binding.posted > 0, 'data was sent to the webview');
    await session.publish({
      topic: 'chart/dev0/telemetry',
      payload: '{"temp":99}',
      qos: 1,
      retain: false,
    });
    await waitFor('the live point', () => chart.binding.data().stats.points === 21);
    assert.ok(chart.binding.data().values[0].includes(99));
  });

  it('says there is nothing to chart on a topic without messages, and refuses a bad field path', async () => {
    const { charts } = await api();
    const before = charts.open.length;
    assert.equal(
      await vscode.commands.executeCommand('mqttScope.chartTopic', {
        connection: NAME,
        topic: 'chart/none/#',
      }),
      undefined,
    );
    assert.equal(charts.open.length, before);
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.chartTopic', {
          connection: NAME,
          topic: 'chart/#',
          field: 'a..b',
        }),
      ),
      /Cannot chart "a\.\.b": expected a name at character 3 of the field path/,
    );
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.chartTopic', { connection: NAME, field: 3 }),
      ),
      /field/,
    );
  });
});
