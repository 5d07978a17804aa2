// Starting the embedded broker twice at once (a double click, autostart racing a click) must
// give one broker, and Stop must leave nothing listening.
import * as assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import { it } from 'node:test';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { silentLogger } from '../../src/core/ports';
import { freePort } from '../support/ports';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

it('concurrent starts share one broker, and stop closes it', async () => {
  const broker = new LocalBroker(silentLogger);
  const port = await freePort();
  try {
    const [first, second] = await Promise.all([broker.start({ port }), broker.start({ port })]);
    assert.equal(first.port, port);
    assert.equal(second.port, port);
    assert.equal(await accepts(port + 1), false, 'a second broker took the next port');
  } finally {
    await broker.stop();
  }
  assert.equal(broker.state.kind, 'stopped');
  assert.equal(await accepts(port), false, 'still listening after stop');
});
