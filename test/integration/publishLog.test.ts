// Every publish is logged with its outcome, inside a real VS Code host against a real Mosquitto
// on MQTT 5: a publish from the command (as the palette makes it) is stored as an outgoing
// entry before the broker's echo, acknowledged by PUBACK; one the broker's ACL denies is
// stored as refused with 0x87 Not authorized. Its own broker and connection: no other suite's
// state is needed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { PublishResult } from '../../src/extension/commands/publishCommands';
import type { MessageEntry, MessageStore } from '../../src/core/store/messageStore';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-publish-log';

describe('publish outcomes in the Message Log store', function () {
  let broker: MosquittoBroker;
  let store: MessageStore;

  before(async () => {
    broker = await startMosquitto({ acl: 'topic readwrite log/#\ntopic read denied/#\n' });
    const { sessions, messageLog } = await api();
    store = messageLog.store;
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'log/#', qos: 1 }],
      },
    ]);
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME);
    await waitFor('the SUBACK', () => session?.subscriptions[0].status.kind === 'granted');
  });

  after(async () => {
    await setConnections([]);
    await broker?.stop();
  });

  const entriesOn = (topic: string): MessageEntry[] =>
    store.page({ limit: 50, filter: { connection: NAME, topicFilter: topic } }).entries;

  it('logs a publish from the command before its echo, acknowledged by PUBACK', async () => {
    const topic = `log/palette/${Date.now()}`;
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: NAME,
      topic,
      payload: 'from the palette',
      qos: 1,
      retain: false,
    });
    assert.ok(result?.ok, `publish failed: ${JSON.stringify(result)}`);
    const entries = await waitFor('the echo', () => {
      const found = entriesOn(topic);
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(
      entries.map((e) => e.direction),
      ['out', 'in'],
      'the outgoing row comes before the echo',
    );
    const [out] = entries;
    assert.equal(Buffer.from(out.payload).toString(), 'from the palette');
    assert.ok(out.outcome && out.outcome !== 'pending', 'an outcome is stored');
    assert.equal(out.outcome.state, 'ok');
    assert.deepEqual(
      out.outcome.steps.map((s) => s.packet),
      ['PUBACK'],
    );
  });

  it('logs a publish the ACL denies as refused with 0x87 Not authorized', async () => {
    const topic = `denied/${Date.now()}`;
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: NAME,
      topic,
      payload: 'no',
      qos: 1,
      retain: false,
    });
    assert.equal(result?.ok, false);
    const [out] = entriesOn(topic);
    assert.equal(out?.direction, 'out');
    assert.ok(out.outcome && out.outcome !== 'pending', 'an outcome is stored');
    assert.equal(out.outcome.state, 'refused');
    assert.equal(out.outcome.reasonCode, 0x87);
  });
});
