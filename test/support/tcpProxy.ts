/**
 * A TCP relay between a client under test and a broker. It counts the bytes the client sends
 * (to prove that nothing went on the wire) and can cut every connection abruptly with a TCP
 * reset, the way a network failure does, which is what makes a broker publish a Last Will.
 */
import * as net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Bytes received from clients so far. */
  readonly bytesFromClients: number;
  /** Resets every open connection on both sides, without any MQTT DISCONNECT. */
  cutAll(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let bytesFromClients = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect({ port: targetPort, host: targetHost });
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => (bytesFromClients += chunk.length));
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    get bytesFromClients() {
      return bytesFromClients;
    },
    cutAll() {
      for (const [client, upstream] of [...pairs]) {
        upstream.resetAndDestroy();
        client.resetAndDestroy();
      }
    },
    async stop() {
      for (const [client, upstream] of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
