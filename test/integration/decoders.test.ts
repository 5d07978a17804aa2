// Decoder rules from settings inside a real VS Code host: a rule naming a message type of a
// .proto file in the workspace decodes a Protobuf message (Open in Editor shows its decoded
// text as json), an edit of the .proto file on disk is picked up, and an invalid rule is reported
// with its setting path in the Connections view while the valid rule keeps working.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import protobuf from 'protobufjs';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { findScript } from '../support/paho';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-decoders';
const SCHEMA = path.resolve(path.dirname(findScript()), '../fixtures/proto');

describe('decoder rules (mqttScope.decoders)', function () {
  let broker: MosquittoBroker;
  let protoDir: string;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'no workspace folder');
    protoDir = path.join(folder, 'proto');
    await fs.mkdir(protoDir, { recursive: true });
    for (const file of ['telemetry.proto', 'common.proto'])
      await fs.copyFile(path.join(SCHEMA, file), path.join(protoDir, file));
    broker = await startMosquitto({});
    const { sessions } = await api();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'plant/#', qos: 1 }],
      },
    ]);
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    await waitFor(
      'the SUBACK',
      () => sessions.get(NAME)?.subscriptions[0].status.kind === 'granted',
    );
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.decoders', undefined, vscode.ConfigurationTarget.Workspace);
    await setConnections([]);
    await broker?.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports an invalid rule with its path, and the valid rule decodes Protobuf in Open in Editor', async () => {
    const { sessions, messageLog, decoderSettings, tree } = await api();
    await vscode.workspace.getConfiguration().update(
      'mqttScope.decoders',
      [
        {
          topic: 'plant/+/telemetry',
          decoder: 'protobuf',
          protoFile: 'proto/telemetry.proto',
          messageType: 'plant.Telemetry',
        },
        { topic: 'plant/#/bad', decoder: 'cbor' },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await waitFor('the rules', () => decoderSettings.rules.rules.length === 1);
    assert.deepEqual(
      decoderSettings.problems.map((p) => p.path),
      ['mqttScope.decoders[1].topic'],
    );
    const problem = await waitFor('the problem node', () =>
      (tree.getChildren() as Element[]).find(
        (e) => e.kind === 'problem' && e.problem.path.startsWith('mqttScope.decoders'),
      ),
    );
    const item = tree.getTreeItem(problem);
    assert.equal(item.label, 'Invalid decoder rule');
    assert.match(String(item.description), /^mqttScope\.decoders\[1\]\.topic: .*#/);

    const root = await protobuf.load(path.join(protoDir, 'telemetry.proto'));
    const Telemetry = root.lookupType('plant.Telemetry');
    const payload = Telemetry.encode(
      Telemetry.fromObject({
        device: 'press-2',
        temperature: 80.25,
        serial: '18446744073709551615',
      }),
    ).finish();
    const topic = `plant/${Date.now()}/telemetry`;
    await sessions.get(NAME)!.publish({ topic, payload, qos: 1, retain: false });
    const entry = await waitFor('the message in the log', () =>
      messageLog.store
        .page({ limit: 5, filter: { connection: NAME, topicFilter: topic, direction: 'in' } })
        .entries.at(0),
    );
    await messageLog.openInEditor(entry.seq);
    const editor = await waitFor('the message document', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.scheme === 'mqtt-message' ? active : undefined;
    });
    assert.equal(editor.document.languageId, 'json');
    assert.equal(
      editor.document.getText(),
      '{\n  "device": "press-2",\n  "temperature": 80.25,\n  "serial": 18446744073709551615\n}',
    );
  });

  it('reloads the rules when the .proto file changes on disk', async () => {
    const { decoderSettings } = await api();
    const before = decoderSettings.rules;
    const file = path.join(protoDir, 'telemetry.proto');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('message Telemetry {', 'message Telemetry {\n  oops'));
    await waitFor('the .proto problem', () =>
      decoderSettings.problems.find((p) => p.path === 'mqttScope.decoders[0].protoFile'),
    );
    assert.match(
      decoderSettings.problems.find((p) => p.path === 'mqttScope.decoders[0].protoFile')!.message,
      /telemetry\.proto: illegal .*line \d+\)$/,
    );
    assert.notEqual(decoderSettings.rules, before);
    await fs.writeFile(file, text);
    await waitFor('the rule back', () => decoderSettings.rules.rules.length === 1, 15_000);
  });
});
