// The maximum packet size setting inside a real VS Code host, against a scripted hostile
// broker: an MQTT 5 connection asks for it in its CONNECT, and a bigger packet closes the
// connection with an error that names its size and the setting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { craftPublish, startHostileBroker, type HostileBroker } from '../support/hostileBroker';
import { api, setConnections, waitFor } from './helpers';

const SETTING = 'mqttScope.maximumPacketSizeMegabytes';
const MiB = 1024 * 1024;

describe('a broker that sends packets bigger than the maximum packet size', function () {
  let broker: HostileBroker;

  before(async () => {
    broker = await startHostileBroker();
  });

  after(async () => {
    await vscode.workspace
      .getConfiguration()
      .update(SETTING, undefined, vscode.ConfigurationTarget.Global);
    await setConnections([]);
    await broker?.stop();
  });

  it('mqttScope.maximumPacketSizeMegabytes is asked for, and a bigger packet closes the connection', async () => {
    const { sessions } = await api();
    await vscode.workspace.getConfiguration().update(SETTING, 1, vscode.ConfigurationTarget.Global);
    await setConnections([
      { name: 'it-hostile', url: `mqtt://127.0.0.1:${broker.port}`, protocolVersion: 5 },
    ]);
    const session = await waitFor('the session', () => sessions.get('it-hostile'));
    const clientPromise = broker.nextClient();
    await session.connect();
    const client = await clientPromise;
    assert.equal(client.connect.maximumPacketSize, MiB);

    const big = craftPublish({
      protocolVersion: 5,
      topic: 'it/big',
      payload: Buffer.alloc(2 * MiB),
    });
    await client.send(big);
    const cause = await waitFor('the connection to drop', () =>
      session.state.kind === 'reconnecting' ? session.state.cause : undefined,
    );
    assert.match(cause, /PUBLISH packet of 2,097,1\d\d bytes, over the 1 MiB limit/);
    assert.match(cause, /"mqttScope\.maximumPacketSizeMegabytes"/);
    await session.disconnect();
  });
});
