// MQTT 5 properties inside a real VS Code host against a real Mosquitto: Publish run with a
// `properties` argument (as a keybinding or another extension would) arrives with them at a
// subscription whose identifier comes from settings; a bad property is refused naming the field;
// a subscription identifier on an MQTT 3.1.1 profile is a problem naming its path; a will with
// properties from settings is published with them when the connection is dropped.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { PublishResult } from '../../src/extension/commands/publishCommands';
import type { ReceivedMessage } from '../../src/core/session/session';
import type { Element } from '../../src/extension/views/elements';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-props';
const WILLING = 'it-props-will';

describe('MQTT 5 publish properties, subscription identifiers and will properties', function () {
  let broker: MosquittoBroker;
  let url: string;
  const received: ReceivedMessage[] = [];

  before(async () => {
    broker = await startMosquitto();
    url = `mqtt://127.0.0.1:${broker.port}`;
  });

  after(async () => {
    await setConnections([]);
    await broker?.stop();
  });

  it('publishes with the properties of the argument; the subscription identifier comes back', async () => {
    const { sessions } = await api();
    await setConnections([
      {
        name: NAME,
        url,
        protocolVersion: 5,
        subscriptions: [{ topic: 'props/#', qos: 1, subscriptionIdentifier: 41 }],
      },
    ]);
    const session = await waitFor('the session', () => sessions.get(NAME));
    session.onMessage((m) => received.push(m));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');

    const topic = `props/${Date.now()}`;
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: NAME,
      topic,
      payload: '{"on":true}',
      qos: 1,
      retain: false,
      properties: {
        contentType: 'application/json',
        payloadFormatIndicator: true,
        messageExpiryInterval: 600,
        responseTopic: 'props-replies/1',
        correlationData: { hex: 'beef' },
        userProperties: { tag: ['a', 'b'], site: 'north' },
      },
    });
    assert.ok(result?.ok, `publish failed: ${JSON.stringify(result)}`);
    const echo = await waitFor('the echo', () => received.find((m) => m.topic === topic));
    const p = echo.properties ?? {};
    assert.equal(p.contentType, 'application/json');
    assert.equal(p.payloadFormatIndicator, true);
    assert.equal(p.responseTopic, 'props-replies/1');
    assert.deepEqual(Buffer.from(p.correlationData as Uint8Array), Buffer.from([0xbe, 0xef]));
    assert.deepEqual({ ...(p.userProperties as object) }, { tag: ['a', 'b'], site: 'north' });
    assert.deepEqual([p.subscriptionIdentifier].flat(), [41]);
  });

  it('refuses a bad property naming the field, and properties on MQTT 3.1.1', async () => {
    await assert.rejects(
      Promise.resolve(
        vscode.commands.executeCommand('mqttScope.publish', {
          connection: NAME,
          topic: 'props/x',
          properties: { responseTopic: 'props/#' },
        }),
      ),
      /mqttScope\.publish: the argument "properties\.responseTopic" is not usable/,
    );
    const { sessions } = await api();
    await setConnections([{ name: 'it-props-v4', url, protocolVersion: 4 }]);
    await waitFor('the session', () => sessions.get('it-props-v4'));
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', 'it-props-v4'), true);
    const result = await vscode.commands.executeCommand<PublishResult>('mqttScope.publish', {
      connection: 'it-props-v4',
      topic: 'props/v4',
      payload: 'x',
      qos: 0,
      retain: false,
      properties: { contentType: 'text/plain' },
    });
    assert.equal(result?.ok, false);
    assert.match(
      result && !result.ok ? result.error : '',
      /MQTT 3\.1\.1, which has no publish properties/,
    );
  });

  it('a subscription identifier on an MQTT 3.1.1 profile is a problem naming its path', async () => {
    const { tree } = await api();
    await setConnections([
      {
        name: 'it-props-bad',
        url,
        protocolVersion: 4,
        subscriptions: [{ topic: 'a', subscriptionIdentifier: 3 }],
      },
    ]);
    const problem = await waitFor('the problem node', () =>
      (tree.getChildren() as Element[]).find((e) => e.kind === 'problem'),
    );
    assert.ok(problem.kind === 'problem');
    assert.equal(
      problem.problem.path,
      'mqttScope.connections[0].subscriptions[0].subscriptionIdentifier',
    );
    assert.match(problem.problem.message, /MQTT 5 option/);
  });

  it('publishes the will with its properties from settings when the connection drops', async () => {
    const { sessions } = await api();
    await setConnections([
      { name: NAME, url, protocolVersion: 5, subscriptions: [{ topic: 'props-will/#', qos: 1 }] },
      {
        name: WILLING,
        url,
        protocolVersion: 5,
        will: {
          topic: 'props-will/gone',
          payload: 'offline',
          qos: 1,
          contentType: 'text/plain',
          correlationData: 'will-1',
          userProperties: { why: ['dropped', 'test'] },
          messageExpiryInterval: 60,
        },
      },
    ]);
    const observer = await waitFor('the observer', () => sessions.get(NAME));
    const willing = await waitFor('the willing session', () => sessions.get(WILLING));
    const wills: ReceivedMessage[] = [];
    observer.onMessage((m) => wills.push(m));
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', NAME), true);
    await waitFor('the SUBACK', () => observer.subscriptions[0]?.status.kind === 'granted');
    assert.equal(await vscode.commands.executeCommand('mqttScope.connect', WILLING), true);
    assert.equal(await vscode.commands.executeCommand('mqttScope.dropConnection', WILLING), true);
    const will = await waitFor('the will', () => wills.find((m) => m.topic === 'props-will/gone'));
    const p = will.properties ?? {};
    assert.equal(p.contentType, 'text/plain');
    assert.equal(Buffer.from(p.correlationData as Uint8Array).toString(), 'will-1');
    assert.deepEqual({ ...(p.userProperties as object) }, { why: ['dropped', 'test'] });
    await waitFor('the reconnect', () => willing.state.kind === 'connected');
  });
});
