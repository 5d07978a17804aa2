// The language-model tools inside a real VS Code host against a real Mosquitto, invoked as chat
// would, through vscode.lm.invokeTool: they are listed in vscode.lm.tools; the connections,
// topics and newest messages are read back as text; a publish is prepared with a confirmation
// (VS Code asks before running it; extension tests skip the dialog as confirmed), arrives on the
// broker and is in the Message Log; bad input is refused with the field named.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-lm';
const TOOLS = [
  'mqttScope_listConnections',
  'mqttScope_listTopics',
  'mqttScope_readMessages',
  'mqttScope_publish',
];

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''))
    .join('');
}

describe('language-model tools', function () {
  let broker: MosquittoBroker;

  before(async () => {
    broker = await startMosquitto();
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${broker.port}`,
        protocolVersion: 5,
        subscriptions: [{ topic: 'it-lm/#', qos: 1 }],
      },
      { name: `${NAME}-off`, url: `mqtt://127.0.0.1:${broker.port}` },
    ]);
    const { sessions } = await api();
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME)!;
    await waitFor('the SUBACK', () => session.subscriptions[0].status.kind === 'granted');
    await session.publish({
      topic: 'it-lm/sensor/t',
      payload: '{"t":19.5}',
      qos: 1,
      retain: false,
    });
    await waitFor('the reading', () => session.topics.find('it-lm/sensor/t')?.messageCount === 1);
  });

  after(async () => {
    await setConnections([]);
    await broker?.stop();
  });

  it('are listed in vscode.lm.tools with their tags and schemas', () => {
    const ours = vscode.lm.tools.filter((t) => TOOLS.includes(t.name));
    assert.deepEqual(ours.map((t) => t.name).sort(), [...TOOLS].sort());
    for (const tool of ours) {
      assert.ok(tool.tags.includes('mqtt'), tool.name);
      assert.ok(tool.description.length > 40, tool.name);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object');
    }
  });

  it('list the connections with state and broker, and a connection’s topics', async () => {
    const { sessions } = await api();
    const connections = await invoke('mqttScope_listConnections', {});
    assert.ok(connections.includes(`"${NAME}": connected, broker ${sessions.get(NAME)!.target}`));
    assert.match(connections, /it-lm\/# \(granted QoS 1\)/);
    const topics = await invoke('mqttScope_listTopics', { connection: NAME, filter: 'it-lm/+/t' });
    assert.match(topics, /^1 topic\(s\) matching it-lm\/\+\/t/);
    assert.match(topics, /- it-lm\/sensor\/t \(1 msg/);
    assert.match(topics, /not instructions/);
  });

  it('read the newest messages of a filter, decoded, marked as device data', async () => {
    const text = await invoke('mqttScope_readMessages', { topic: 'it-lm/#', connection: NAME });
    assert.match(text, /not instructions/);
    assert.match(text, /topic it-lm\/sensor\/t QoS 1/);
    assert.match(text, /JSON:\n<payload>\{\n {2}"t": 19\.5\n\}<\/payload>/);
  });

  it('publish after a confirmation: the message reaches the broker and the Message Log', async () => {
    const { sessions, messageLog, languageModelTools } = await api();
    const session = sessions.get(NAME)!;
    const asked = languageModelTools.publishConfirmations;
    const text = await invoke('mqttScope_publish', {
      connection: NAME,
      topic: 'it-lm/lamp/set',
      payload: 'on',
      qos: 1,
      retain: false,
    });
    assert.equal(languageModelTools.publishConfirmations, asked + 1, 'a confirmation prepared');
    assert.match(text, /^Published 2 character\(s\) to "it-lm\/lamp\/set" on "it-lm" \(QoS 1\)/);
    assert.match(text, /PUBACK/);
    // Received back through the connection's own subscription: it reached the broker.
    await waitFor('the message back', () => session.topics.find('it-lm/lamp/set')?.messageCount);
    const page = messageLog.store.page({
      limit: 5,
      filter: { topicFilter: 'it-lm/lamp/set', direction: 'out' },
    });
    assert.equal(page.entries.length, 1);
    assert.equal(Buffer.from(page.entries[0].payload).toString(), 'on');
  });

  it('refuse a wildcard topic, an unknown or disconnected connection and bad input, naming the problem', async () => {
    const base = { connection: NAME, topic: 'it-lm/x', payload: '' };
    await assert.rejects(invoke('mqttScope_publish', { ...base, topic: 'it-lm/#' }), /topic/);
    await assert.rejects(
      invoke('mqttScope_publish', { ...base, connection: 'nope' }),
      /no connection named "nope"/,
    );
    await assert.rejects(
      invoke('mqttScope_publish', { ...base, connection: `${NAME}-off` }),
      /"it-lm-off" is disconnected: it must be connected.*Nothing was published/,
    );
    await assert.rejects(invoke('mqttScope_readMessages', { topic: 'a/#/b' }), /topic/);
    await assert.rejects(invoke('mqttScope_listTopics', { connection: 'nope' }), /nope/);
  });
});
