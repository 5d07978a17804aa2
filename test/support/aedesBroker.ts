/**
 * An in-process aedes 1.2.0 broker (MQTT 3.1.1 only) on a free 127.0.0.1 port. Unlike
 * Mosquitto's ACL file, its hooks can refuse a SUBSCRIBE: call authorizeSubscribe's callback
 * with `cb(null, null)` for a 0x80 SUBACK (passing an Error disconnects the client instead).
 */
import * as net from 'node:net';
import type { Aedes, AedesOptions } from 'aedes-v1' with { 'resolution-mode': 'import' };

export type AedesHooks = Pick<
  AedesOptions,
  'authenticate' | 'authorizePublish' | 'authorizeSubscribe'
>;

export interface AedesBroker {
  port: number;
  broker: Aedes;
  stop(): Promise<void>;
}

export async function startAedes(hooks: AedesHooks = {}): Promise<AedesBroker> {
  // aedes 1.x is ESM-only; a dynamic import works from both CommonJS and ESM callers.
  const { Aedes } = await import('aedes-v1');
  const broker = await Aedes.createBroker(hooks);
  const server = net.createServer(broker.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw error;
  }
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    broker,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      // server.close() waits for open connections; a test that failed may have left some.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
