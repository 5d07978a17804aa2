// What the broker allows, where a user meets it in the real VS Code host, against a Mosquitto
// configured with `max_qos 1`, `retain_available false`, `max_packet_size 2048` and
// `max_topic_alias 4`: the connection's tooltip (filled on hover), Show Broker Capabilities from
// the connection row and by name, and the Publish command's QoS picker, which marks QoS 2 and
// whose publish at QoS 2 is refused before sending.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { MqttSession } from '../../src/core/session/session';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'caps-limited';
const OFF = 'caps-off';

describe('what the broker allows', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto({
      settings: ['retain_available false', 'max_packet_size 2048'],
      listenerSettings: ['max_qos 1', 'max_topic_alias 4'],
    });
    const url = `mqtt://127.0.0.1:${broker.port}`;
    await setConnections([
      { name: NAME, url, protocolVersion: 5 },
      { name: OFF, url, protocolVersion: 5 },
    ]);
  });

  after(async () => {
    await setConnections([]);
    await broker?.stop();
  });

  async function session(name: string): Promise<MqttSession> {
    const { sessions } = await api();
    return waitFor(`the session ${name}`, () => sessions.get(name));
  }

  async function tooltipText(s: MqttSession): Promise<string> {
    const { tree } = await api();
    const element = tree.connectionElement(s) as Element;
    const row = tree.getTreeItem(element);
    // VS Code asks resolveTreeItem, on hover, only for a tooltip left undefined.
    assert.equal(row.tooltip, undefined, 'the tooltip is left for resolveTreeItem');
    const item = tree.resolveTreeItem(row, element);
    // The text as shown: appendText escapes Markdown punctuation and spaces.
    return (item.tooltip as vscode.MarkdownString).value
      .replace(/&nbsp;/g, ' ')
      .replace(/\\([^\w\s])/g, '$1');
  }

  it('the connection tooltip lists what the broker allows once connected', async () => {
    const s = await session(NAME);
    assert.doesNotMatch(await tooltipText(s), /What the broker allows/);
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', NAME), true);
    const text = await tooltipText(s);
    assert.match(text, /What the broker allows \(CONNACK\):/);
    assert.match(text, /Maximum QoS: 1/);
    assert.match(text, /Retained messages: no/);
    assert.match(text, /Maximum packet size: 2,048 bytes/);
    assert.match(text, /Topic alias maximum: 4/);
    assert.match(text, /Wildcard subscriptions: yes/);
  });

  it('Show Broker Capabilities opens a read-only document, from the row and by name', async () => {
    const { tree } = await api();
    const s = await session(NAME);
    if (s.state.kind !== 'connected')
      assert.equal(await vscode.commands.executeCommand('mqttScope.connect', NAME), true);
    const fromRow = await vscode.commands.executeCommand<{ uri: string; text: string }>(
      'mqttScope.showBrokerCapabilities',
      tree.connectionElement(s),
    );
    assert.ok(fromRow, 'the command showed a document');
    assert.match(fromRow.text, /# What the broker of "caps-limited" allows/);
    assert.match(fromRow.text, /\| Maximum QoS \| 1 \| sent by the broker \|/);
    assert.match(fromRow.text, /\| Retained messages \| no \| sent by the broker \|/);
    assert.match(fromRow.text, /\| Maximum packet size \| 2,048 bytes \| sent by the broker \|/);
    assert.match(fromRow.text, /\| Shared subscriptions \| yes \| MQTT 5 default \(not sent\) \|/);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), fromRow.uri);
    assert.equal(editor?.document.uri.scheme, 'mqtt-scope-broker');
    assert.equal(editor?.document.languageId, 'markdown');
    assert.equal(editor?.document.getText(), fromRow.text);
    const byName = await vscode.commands.executeCommand<{ text: string }>(
      'mqttScope.showBrokerCapabilities',
      NAME,
    );
    assert.equal(byName?.text, fromRow.text);
    // Not connected: nothing to show, and it says so.
    assert.equal(
      await vscode.commands.executeCommand('mqttScope.showBrokerCapabilities', OFF),
      undefined,
    );
  });

  it('Publish marks QoS 2 in its picker and refuses it before sending', async () => {
    const s = await session(NAME);
    if (s.state.kind !== 'connected')
      assert.equal(await vscode.commands.executeCommand('mqttScope.connect', NAME), true);
    const offered: { label: string; description?: string }[] = [];
    const window = vscode.window as unknown as Record<string, unknown>;
    const original = window.showQuickPick;
    // QoS 2 in the QoS picker; the first item (Publish) in the MQTT 5 properties step.
    window.showQuickPick = async (items: readonly { label: string; qos?: number }[]) => {
      const levels = items.filter((i) => i.qos !== undefined);
      offered.push(...levels);
      return levels.length ? items.find((i) => i.qos === 2) : items[0];
    };
    let sent = 0;
    let outcome: string | undefined;
    const listener = s.onTraffic((e) => {
      if (e.kind === 'out') sent++;
      if (e.kind === 'outcome') outcome = e.result.state;
    });
    try {
      const result = await vscode.commands.executeCommand<{ ok: boolean; error?: string }>(
        'mqttScope.publish',
        { connection: NAME, topic: 'caps/qos', payload: 'x', retain: false },
      );
      assert.equal(result?.ok, false);
      assert.match(
        result?.error ?? '',
        /allows at most QoS 1 on "caps-limited" \(CONNACK Maximum QoS 1\)/,
      );
    } finally {
      window.showQuickPick = original;
      listener.dispose();
    }
    assert.deepEqual(
      offered.map((i) => i.label),
      ['0', '1', '$(circle-slash) 2'],
    );
    assert.match(offered[2].description ?? '', /not allowed: the broker allows at most QoS 1/);
    assert.equal(sent, 1, 'logged once');
    await waitFor('the outcome in the log', () => outcome);
    assert.equal(outcome, 'failed', 'refused before sending: it never got an answer');
    assert.equal(s.state.kind, 'connected', 'nothing reached the broker to close the link');
  });
});
