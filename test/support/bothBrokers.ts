/**
 * A real Mosquitto process and the embedded aedes broker, started once for a test file (its
 * `before`) and stopped after it: for tests that check a behaviour on both.
 */
import { after, before } from 'node:test';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { silentLogger } from '../../src/core/ports';
import { startMosquitto, type MosquittoBroker } from './mosquitto';
import { freePort } from './ports';

export interface BothBrokers {
  mosquittoPort(): number;
  aedesPort(): number;
}

export function bothBrokers(): BothBrokers {
  let mosquitto: MosquittoBroker | undefined;
  const aedes = new LocalBroker(silentLogger);
  let aedesPort = 0;
  before(async () => {
    mosquitto = await startMosquitto({});
    aedesPort = (await aedes.start({ port: await freePort() })).port;
  });
  after(async () => {
    await mosquitto?.stop();
    await aedes.stop();
  });
  return { mosquittoPort: () => mosquitto!.port, aedesPort: () => aedesPort };
}
