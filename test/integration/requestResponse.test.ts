// MQTT: Send Request inside a real VS Code host, against a real Mosquitto and a real Paho
// Python responder (MQTT 5): the reply is paired and timed, the request and reply rows of the
// Message Log link to each other, the response topic never shows among the connection's
// subscriptions, a reply with other correlation data times out, and an MQTT 3.1.1 connection is
// refused with why. Its own broker and connections: no other suite's state is needed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { startPahoResponder, type PahoResponder } from '../support/pahoResponder';
import { requestLinkOf } from '../../src/core/log/requestLinks';
import type { RequestCommandResult } from '../../src/extension/commands/requestArgs';
import type { MessageStore } from '../../src/core/store/messageStore';
import { api, setConnections, waitFor } from './helpers';

const V5 = 'it-request-v5';
const V311 = 'it-request-v311';

describe('MQTT: Send Request', function () {
  let broker: MosquittoBroker;
  let store: MessageStore;
  const responders: PahoResponder[] = [];

  const responder = async (topic: string, wrong = false) => {
    const paho = startPahoResponder({ port: broker.port, topic, qos: 1, wrong, timeoutMs: 30_000 });
    responders.push(paho);
    await paho.ready;
    return paho;
  };

  before(async () => {
    broker = await startMosquitto();
    const { sessions, messageLog } = await api();
    store = messageLog.store;
    const url = `mqtt://127.0.0.1:${broker.port}`;
    await setConnections([
      { name: V5, url, protocolVersion: 5 },
      { name: V311, url, protocolVersion: 4 },
    ]);
    await waitFor('the sessions', () => sessions.get(V5) && sessions.get(V311));
    for (const name of [V5, V311])
      assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', name), true);
  });

  after(async () => {
    for (const r of responders) r.stop();
    await setConnections([]);
    await broker?.stop();
  });

  it('shows the paired reply with its latency; the log links request and reply', async () => {
    const topic = `it/svc/${Date.now()}`;
    await responder(topic);
    const { sessions } = await api();
    const result = await vscode.commands.executeCommand<RequestCommandResult>(
      'mqttScope.sendRequest',
      { connection: V5, topic, payload: 'ping', qos: 1, timeoutMs: 5000 },
    );
    assert.ok(result?.kind === 'replied', JSON.stringify(result));
    assert.equal(result.reply.payload, 'reply:ping');
    assert.ok(result.reply.latencyMs >= 0 && result.reply.latencyMs < 5000);
    assert.equal(result.others.length, 0);
    assert.match(result.correlationData, /^[0-9a-f]{32}$/);
    const requestSeq = result.requestSeq;
    assert.ok(requestSeq !== undefined, 'the request is in the log');
    const request = store.get(requestSeq)!;
    assert.equal(request.direction, 'out');
    assert.equal(request.properties?.responseTopic, result.responseTopic);
    const link = requestLinkOf(store, request);
    assert.ok(link?.role === 'request' && link.replySeq !== undefined, JSON.stringify(link));
    const reply = store.get(link.replySeq)!;
    assert.equal(Buffer.from(reply.payload).toString(), 'reply:ping');
    assert.deepEqual(requestLinkOf(store, reply), { role: 'reply', requestSeq });
    const session = sessions.get(V5)!;
    assert.deepEqual(session.subscriptions, [], 'the response topic is no user subscription');
    assert.deepEqual(session.temporary.topics, [], 'and it is gone');
  });

  it('reports a reply with other correlation data as a timeout', async () => {
    const topic = `it/wrong/${Date.now()}`;
    const paho = await responder(topic, true);
    const result = await vscode.commands.executeCommand<RequestCommandResult>(
      'mqttScope.sendRequest',
      { connection: V5, topic, payload: 'ping', timeoutMs: 1500 },
    );
    assert.ok(result?.kind === 'timeout', JSON.stringify(result));
    assert.equal(result.timeoutMs, 1500);
    const answer = await paho.nextAnswer();
    assert.notEqual(answer.sentHex, answer.correlationHex, 'the responder did answer, wrongly');
  });

  it('refuses an MQTT 3.1.1 connection with why', async () => {
    const result = await vscode.commands.executeCommand<RequestCommandResult>(
      'mqttScope.sendRequest',
      { connection: V311, topic: 'it/x', payload: '', timeoutMs: 1000 },
    );
    assert.ok(result?.kind === 'failed');
    assert.match(result.error, /uses MQTT 3\.1\.1\. A request needs MQTT 5/);
  });
});
