// "Save as .mqtt Block" and "Open .mqtt Sample" inside a real VS Code host. A message received
// over MQTT 5 from a real Mosquitto (user properties, correlation data, content type, expiry,
// response topic) becomes a PUBLISH block in a new untitled `mqtt` document, and the parser reads
// that block back to the same topic, payload, QoS, retain flag and properties; a second one is
// appended to that editor, still in view. The sample is copied into the workspace folder.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { PublishResult } from '../../src/extension/commands/publishCommands';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import type { PayloadSpec, PublishBlock } from '../../src/core/mqttFile/mqttFileAst';
import type { MessageEntry } from '../../src/core/store/messageStoreTypes';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-save-block';

/** The bytes a parsed PUBLISH body stands for. */
function payloadBytes(payload: PayloadSpec): Buffer {
  if (payload.kind === 'empty') return Buffer.alloc(0);
  assert.equal(payload.kind, 'text');
  if (payload.kind !== 'text') return Buffer.alloc(0);
  const raw = payload.text.raw;
  if (payload.encoding === 'hex') return Buffer.from(raw.replace(/\s+/g, ''), 'hex');
  if (payload.encoding === 'base64') return Buffer.from(raw.replace(/\s+/g, ''), 'base64');
  return Buffer.from(raw, 'utf8');
}

function publishBlocks(text: string): PublishBlock[] {
  const file = parseMqttFile(text);
  assert.deepEqual(
    file.problems.filter((p) => p.severity === 'error').map((p) => p.message),
    [],
    text,
  );
  return file.blocks.filter((b): b is PublishBlock => b.kind === 'publish');
}

describe('Save as .mqtt Block', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto();
    const { sessions } = await api();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'save/#', qos: 2, subscriptionIdentifier: 7 }],
      },
    ]);
    const session = await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
  });

  after(async () => {
    // The untitled documents are dirty: closed without the save prompt.
    for (let i = 0; i < 5 && vscode.window.activeTextEditor; i++)
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await setConnections([]);
    await broker?.stop();
  });

  /** Publishes through the extension and returns the stored entry of the copy received. */
  async function received(topic: string, payload: string, retain: boolean): Promise<MessageEntry> {
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: NAME,
      topic,
      payload,
      qos: 2,
      retain,
      properties: {
        contentType: 'application/json',
        messageExpiryInterval: 600,
        responseTopic: 'save-replies/1',
        correlationData: { hex: '00beef' },
        userProperties: { tag: ['a', 'b'], site: 'north' },
      },
    });
    assert.equal(result?.ok, true, JSON.stringify(result));
    const { messageLog } = await api();
    return waitFor('the received copy in the log', () =>
      messageLog.store
        .page({ limit: 5, filter: { connection: NAME, topicFilter: topic, direction: 'in' } })
        .entries.at(-1),
    );
  }

  it('turns a received message into a block of a new untitled mqtt document that parses back to it', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const topic = `save/thermostat/${Date.now()}`;
    const entry = await received(topic, '{"setpoint": 23, "unit": "°C"}', true);
    assert.equal(entry.properties?.subscriptionIdentifier, 7);

    const result = await vscode.commands.executeCommand<{ uri: string; block: string }>(
      'mqttScope.saveAsMqttBlock',
      { seq: entry.seq },
    );
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'the document is shown');
    assert.equal(editor.document.uri.toString(), result.uri);
    assert.equal(editor.document.isUntitled, true);
    assert.equal(editor.document.languageId, 'mqtt');

    const [block] = publishBlocks(editor.document.getText());
    const m = block.message;
    assert.equal(m.topic.raw, topic);
    assert.equal(m.qos, 2);
    // A live subscriber gets a retained message with the flag cleared (MQTT 5 §3.3.1.3): the
    // block says what was stored.
    assert.equal(m.retain, entry.retain);
    assert.equal(payloadBytes(m.payload).toString('utf8'), '{"setpoint": 23, "unit": "°C"}');
    assert.equal(m.properties.contentType?.raw, 'application/json');
    assert.equal(m.properties.responseTopic?.raw, 'save-replies/1');
    assert.equal(m.properties.messageExpiry !== undefined, true);
    assert.ok(m.properties.messageExpiry! <= 600 && m.properties.messageExpiry! > 500);
    assert.equal(m.properties.correlationData?.raw.toLowerCase(), 'hex:00beef');
    assert.deepEqual(
      m.properties.userProperties.map((u) => `${u.key.raw}=${u.value.raw}`),
      ['tag=a', 'tag=b', 'site=north'],
    );
    assert.doesNotMatch(editor.document.getText(), /subscription|identifier/i);
  });

  it('appends the next block to the .mqtt editor in view, binary payloads included', async () => {
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.languageId, 'mqtt', 'the document of the test before');
    const before = editor.document.getText();
    const topic = `save/camera/${Date.now()}`;
    const bytes = Buffer.from([0xff, 0xd8, 0x00, 0x01, 0x80, 0xff, 0xd9]);
    const { messageLog, sessions } = await api();
    await sessions.get(NAME)!.publish({ topic, payload: bytes, qos: 1, retain: false });
    const entry = await waitFor('the binary message', () =>
      messageLog.store
        .page({ limit: 5, filter: { connection: NAME, topicFilter: topic, direction: 'in' } })
        .entries.at(-1),
    );
    const result = await vscode.commands.executeCommand<{ uri: string; block: string }>(
      'mqttScope.saveAsMqttBlock',
      { seq: entry.seq },
    );
    assert.equal(result.uri, editor.document.uri.toString(), 'the same document');
    const text = editor.document.getText();
    assert.ok(text.startsWith(before), 'what was there is kept');
    const blocks = publishBlocks(text);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[1].message.topic.raw, topic);
    assert.deepEqual([...payloadBytes(blocks[1].message.payload)], [...bytes]);
    assert.equal(blocks[1].message.qos, 1);
  });

  it('refuses a message that is not stored, naming it', async () => {
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.saveAsMqttBlock', { seq: 987_654_321 }),
      ),
      /987654321|987,654,321/,
    );
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mqttScope.saveAsMqttBlock', {})),
      /seq/,
    );
  });
});

describe('Open .mqtt Sample', function () {
  it('copies the demo devices sample into the workspace folder and opens it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a folder');
    const target = vscode.Uri.joinPath(folder.uri, 'demo-devices.mqtt');
    await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    try {
      const result = await vscode.commands.executeCommand<{ uri: string }>(
        'mqttScope.openMqttSample',
      );
      assert.equal(result.uri, target.toString());
      const editor = vscode.window.activeTextEditor;
      assert.equal(editor?.document.uri.toString(), target.toString());
      const text = editor.document.getText();
      assert.match(text, /REQUEST \{\{thermostat\}\}\/get/);
      assert.equal(
        parseMqttFile(text).problems.filter((p) => p.severity === 'error').length,
        0,
        'the sample has no errors',
      );
      // A second time opens the user's copy, never overwriting it.
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# mine\n'));
      await editor.document.save();
      await vscode.commands.executeCommand('mqttScope.openMqttSample');
      assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /^# mine\n/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });
});
