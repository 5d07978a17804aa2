// Live topics in source code, inside a real VS Code host against a real Mosquitto: a string in
// a Python file that is a topic seen on a connection gets a hover with the last payload and
// links to Subscribe, Publish to This Topic and Show in Log; a filter string counts its
// matches; a string never seen gets no hover from us; device text stays text; and
// `mqttScope.liveTopics.enabled: false` turns the hover off.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-live';
const SOURCE = [
  'import paho.mqtt.client as mqtt',
  'client.subscribe("it-live/lamp/state")',
  "pattern = 'it-live/+/state'",
  'other = "it-live/never/seen"',
  'evil = "it-live/evil"',
].join('\n');

/** The markdown of every hover at the first character of `needle` in the document. */
async function hoversAt(doc: vscode.TextDocument, needle: string): Promise<string[]> {
  const offset = doc.getText().indexOf(needle);
  assert.ok(offset >= 0, needle);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    doc.positionAt(offset + 1),
  );
  return hovers
    .flatMap((h) =>
      h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')),
    )
    .map((md) => md.replace(/&nbsp;/g, ' '));
}

const ours = (hovers: string[]) => hovers.filter((h) => h.includes('MQTT topic'));

describe('live topics in source code', function () {
  let broker: MosquittoBroker;
  let doc: vscode.TextDocument;

  before(async () => {
    broker = await startMosquitto();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'it-live/#', qos: 0 }],
      },
    ]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
    await session.publish({
      topic: 'it-live/lamp/state',
      payload: '{"on":true,"watts":21.5}',
      qos: 1,
      retain: true,
    });
    await session.publish({
      topic: 'it-live/evil',
      payload: '\n```\n[click me](command:mqttScope.publishToTopic) <img src=x onerror=alert(1)>',
      qos: 1,
      retain: false,
    });
    await waitFor('both topics in the tree', () => {
      const lamp = session.topics.find('it-live/lamp/state');
      return lamp?.messageCount === 1 && session.topics.find('it-live/evil')?.messageCount === 1;
    });
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'live_topics.py');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(SOURCE));
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.liveTopics.enabled', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setConnections([]);
    await broker?.stop();
  });

  it('shows the last payload, rate, retained flag and the three actions on a topic string', async () => {
    const [hover] = ours(await hoversAt(doc, 'it-live/lamp/state'));
    assert.ok(hover, 'a hover from MQTT Scope');
    assert.ok(hover.includes('"on":true,"watts":21.5'), hover);
    assert.match(hover, /it-live/);
    assert.match(hover, /retained/);
    assert.match(hover, /1 msg/);
    for (const command of ['subscribe', 'publishToTopic', 'openMessageLog'])
      assert.ok(hover.includes(`command:mqttScope.${command}?`), `${command} link in ${hover}`);
    // The links carry the connection and the topic as JSON arguments.
    const link = /command:mqttScope\.publishToTopic\?([^)]+)\)/.exec(hover)!;
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [
      { connection: NAME, topic: 'it-live/lamp/state' },
    ]);
  });

  it('counts the topics a filter string matches and names the busiest', async () => {
    const [hover] = ours(await hoversAt(doc, 'it-live/+/state'));
    assert.ok(hover, 'a hover on the filter');
    assert.match(hover, /1 topic matches/);
    assert.ok(hover.includes('it-live/lamp/state'), hover);
    assert.ok(!hover.includes('publishToTopic'), 'no publish to a filter');
  });

  it('gives no hover on a string no connection has seen, nor outside strings', async () => {
    assert.deepEqual(ours(await hoversAt(doc, 'it-live/never/seen')), []);
    assert.deepEqual(ours(await hoversAt(doc, 'paho.mqtt')), []);
  });

  it('keeps device text as text: a payload cannot add a link or HTML', async () => {
    const [hover] = ours(await hoversAt(doc, 'it-live/evil'));
    assert.ok(hover, 'a hover on the hostile topic');
    // The payload is one line inside its code block (literal text there), its line breaks
    // shown as markers: it cannot close the block to become a link.
    const lines = hover.split('\n');
    const at = lines.findIndex((l) => l.includes('[click me]'));
    assert.ok(at > 0, hover);
    assert.equal(lines.filter((l) => l.includes('[click me]')).length, 1);
    assert.equal(lines[at - 1], '```text');
    assert.equal(lines[at + 1], '```');
    assert.ok(lines[at].startsWith('⟨LF⟩```⟨LF⟩[click me]'), lines[at]);
  });

  it('works in an untitled plain-text document, on a template literal', async () => {
    const untitled = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content: 'client.subscribe(`it-live/${device}/state`);',
    });
    const [hover] = ours(await hoversAt(untitled, 'it-live/$'));
    assert.ok(hover, 'a hover on the template literal');
    assert.ok(hover.includes('MQTT topic filter'), hover);
    assert.match(hover, /1 topic matches/);
  });

  it('is off when mqttScope.liveTopics.enabled is false, and back on when it is true', async () => {
    const config = vscode.workspace.getConfiguration();
    await config.update('mqttScope.liveTopics.enabled', false, vscode.ConfigurationTarget.Global);
    assert.deepEqual(ours(await hoversAt(doc, 'it-live/lamp/state')), []);
    await config.update('mqttScope.liveTopics.enabled', true, vscode.ConfigurationTarget.Global);
    assert.equal(ours(await hoversAt(doc, 'it-live/lamp/state')).length, 1);
  });
});
