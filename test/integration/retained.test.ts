// Clear Retained inside the real VS Code host against a real Mosquitto: the commands, run on a
// topic row of the topic explorer (as its context menu does) or with a connection and topic,
// ask first and give the count, then an independent Paho subscriber gets nothing retained.
// The modal confirmation is answered through the extension's `confirmation` object.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClearRetainedResult } from '../../src/extension/commands/retainedCommands';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { firstMessageForPaho, retainWithPaho } from '../support/retainedProbe';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-retained';

describe('Clear Retained against Mosquitto, checked by Paho', function () {
  let broker: MosquittoBroker;
  const asked: { message: string; detail: string; action: string }[] = [];
  let answer = true;
  let realAsk: (message: string, detail: string, action: string) => Thenable<boolean>;

  before(async () => {
    broker = await startMosquitto();
    await retainWithPaho(broker.port, ['itret/a/1', 'itret/a/2', 'itret/a', 'itret/b']);
    const { confirmation } = await api();
    realAsk = confirmation.ask;
    confirmation.ask = async (message, detail, action) => {
      asked.push({ message, detail, action });
      return answer;
    };
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        subscriptions: [{ topic: 'itret/#', qos: 1 }],
      },
    ]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
  });

  after(async () => {
    (await api()).confirmation.ask = realAsk;
    await setConnections([]);
    await broker?.stop();
  });

  beforeEach(() => {
    asked.length = 0;
    answer = true;
  });

  it('clears a topic and everything below it from its row, after a confirmation with the count', async () => {
    const { sessions, tree } = await api();
    const session = sessions.get(NAME);
    assert.ok(session);
    await waitFor('the retained topics in the tree', () =>
      ['itret/a/1', 'itret/a/2', 'itret/a'].every((t) => session.topics.find(t)?.retained),
    );
    const row = tree.topicElement(session, 'itret/a');
    assert.ok(row);
    const result = await vscode.commands.executeCommand<ClearRetainedResult>(
      'mqttScope.clearRetainedUnder',
      row,
    );
    assert.equal(asked.length, 1);
    assert.match(asked[0].message, /Clear 3 retained messages on "itret\/a" and below it\?/);
    assert.equal(asked[0].action, 'Clear 3 Retained');
    assert.deepEqual(result?.failed, []);
    assert.deepEqual([...(result?.cleared ?? [])].sort(), ['itret/a', 'itret/a/1', 'itret/a/2']);
    const first = await firstMessageForPaho(broker.port, 'itret/a/#', 'itret/a/marker');
    assert.deepEqual(
      { topic: first.topic, retain: first.retain },
      { topic: 'itret/a/marker', retain: false },
    );
    await waitFor('the tree to drop the retained markers', () =>
      ['itret/a/1', 'itret/a/2', 'itret/a'].every((t) => !session.topics.find(t)?.retained),
    );
  });

  it('clears one topic only when confirmed; cancelling keeps it', async () => {
    answer = false;
    const cancelled = await vscode.commands.executeCommand<ClearRetainedResult | undefined>(
      'mqttScope.clearRetained',
      { connection: NAME, topic: 'itret/b' },
    );
    assert.equal(cancelled, undefined);
    assert.match(asked[0].message, /Clear the retained message on "itret\/b"\?/);
    const kept = await firstMessageForPaho(broker.port, 'itret/b', 'itret/b');
    assert.deepEqual(
      { topic: kept.topic, retain: kept.retain },
      { topic: 'itret/b', retain: true },
    );

    answer = true;
    const result = await vscode.commands.executeCommand<ClearRetainedResult>(
      'mqttScope.clearRetained',
      { connection: NAME, topic: 'itret/b' },
    );
    assert.deepEqual(result?.cleared, ['itret/b']);
    const first = await firstMessageForPaho(broker.port, 'itret/#', 'itret/marker');
    assert.deepEqual(
      { topic: first.topic, retain: first.retain },
      { topic: 'itret/marker', retain: false },
    );
  });

  it('asks nothing for a subtree without retained messages and says so', async () => {
    const result = await vscode.commands.executeCommand<ClearRetainedResult | undefined>(
      'mqttScope.clearRetainedUnder',
      { connection: NAME, topic: 'itret/a' },
    );
    assert.equal(result, undefined);
    assert.equal(asked.length, 0);
  });
});
