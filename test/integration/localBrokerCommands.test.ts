// Restart Local Broker and Demo Burst inside the real VS Code host, as the Connections view's
// buttons and the palette run them. Each test starts what it needs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { freePort } from '../support/ports';
import { pahoPublish } from '../support/paho';
import { api, localBrokerPassword, setConnections, waitFor } from './helpers';

const LOCAL = 'Local broker';

async function runningLocalBroker(): Promise<number> {
  const port = await vscode.commands.executeCommand<number>('mqttScope.startLocalBroker');
  assert.equal(typeof port, 'number', 'the local broker did not start');
  return port!;
}

describe('local broker commands', function () {
  before(async () => {
    await setConnections([]);
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', await freePort(), vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Restart Local Broker serves again, and the Local broker connection reconnects', async () => {
    const { sessions, localBroker } = await api();
    await runningLocalBroker();
    const before = await waitFor('the Local broker session', () => sessions.get(LOCAL));
    await waitFor('it to connect', () => before.state.kind === 'connected');
    const seenStops: string[] = [];
    const watch = localBroker.broker.onDidChangeState(() =>
      seenStops.push(localBroker.broker.state.kind),
    );
    let port: number | undefined;
    try {
      port = await vscode.commands.executeCommand<number>('mqttScope.restartLocalBroker');
    } finally {
      watch.dispose();
    }
    assert.equal(typeof port, 'number');
    assert.ok(seenStops.includes('stopped'), `the broker did not stop: ${seenStops.join(', ')}`);
    assert.equal(localBroker.broker.state.kind, 'running');
    // The connection went with the old broker and comes back by itself to the new one.
    const after = await waitFor('the Local broker session again', () => sessions.get(LOCAL));
    await waitFor('it to reconnect', () => after.state.kind === 'connected', 15_000);
    assert.equal(after.target, `mqtt://127.0.0.1:${port}`);
    await waitFor('the # subscription', () => after.subscriptions[0]?.status.kind === 'granted');
    // A program reaches the restarted broker, and the connection receives what it sends.
    await pahoPublish({
      username: 'mqtt-scope',
      password: await localBrokerPassword(),
      port: port!,
      topic: 'restart/check',
      payload: 'after restart',
      qos: 1,
      count: 1,
      protocol: 4,
      timeoutMs: 15_000,
    });
    await waitFor('the message after the restart', () => after.topics.find('restart/check'));
  });

  it('Demo Burst publishes a burst whose messages arrive in the log', async () => {
    const { sessions, messageLog } = await api();
    await runningLocalBroker();
    const session = await waitFor('the Local broker session', () => sessions.get(LOCAL));
    await waitFor('it to connect', () => session.state.kind === 'connected');
    await waitFor('the # subscription', () => session.subscriptions[0]?.status.kind === 'granted');
    const burstCount = () => {
      let n = 0;
      for (let i = 0; i < 1000; i++) n += messageLog.store.countOnTopic(`demo/burst/${i}`, LOCAL);
      return n;
    };
    const start = burstCount();
    // 200 messages a second for one second (the palette would ask which burst): 10 every 50 ms
    // while the second lasts, so a slow timer sends fewer slices; most must arrive.
    await vscode.commands.executeCommand('mqttScope.demoBurst', { rate: 200, seconds: 1 });
    await waitFor('burst messages in the log', () => burstCount() - start >= 150, 15_000).catch(
      (error: Error) => {
        throw new Error(`${error.message} (${burstCount() - start} arrived)`);
      },
    );
    await vscode.commands.executeCommand('mqttScope.stopDemo');
  });
});
