/**
 * A CONNECT block's credentials against a real Mosquitto with a password file: the defaults'
 * user and password sign in a CONNECT that names none; a block with its own username gets none
 * of the defaults' password; a block with its own broker gets neither.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mqttJsRunClients } from '../../src/core/mqttFile/mqttJsRunClients';
import type { ConnectRequest } from '../../src/core/mqttFile/runTypes';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { uniqueId } from '../support/sessions';

describe('CONNECT credentials (Mosquitto with a password file)', () => {
  let broker: MosquittoBroker;
  let other: MosquittoBroker;
  let clients: ReturnType<typeof mqttJsRunClients>;
  const request = (extra: Partial<ConnectRequest>): ConnectRequest =>
    ({ name: 'dev', clientId: uniqueId('creds'), ...extra }) as ConnectRequest;

  before(async () => {
    broker = await startMosquitto({ passwords: { alice: 'secret-a' }, allowAnonymous: false });
    other = await startMosquitto({ passwords: { alice: 'secret-a' }, allowAnonymous: false });
    clients = mqttJsRunClients({
      broker: `mqtt://127.0.0.1:${broker.port}`,
      username: 'alice',
      password: 'secret-a',
      connectTimeoutMs: 5_000,
    });
  });
  after(async () => {
    await clients?.closeAll();
    await broker?.stop();
    await other?.stop();
  });

  it('a CONNECT naming no user signs in as the defaults', async () => {
    const client = await clients.connect(request({}));
    await client.close();
  });

  it('a block with its own username does not get the defaults password', async () => {
    await assert.rejects(
      clients.connect(request({ username: 'alice' })),
      /Not authorized|Bad User Name/i,
    );
  });

  it('a block with its own broker gets neither the user nor the password', async () => {
    await assert.rejects(
      clients.connect(request({ broker: `mqtt://127.0.0.1:${other.port}` })),
      /Not authorized|Bad User Name/i,
    );
  });
});
