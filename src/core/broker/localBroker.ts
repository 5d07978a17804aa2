/**
 * An MQTT broker inside the extension host, for offline work: aedes 2.0.0-beta.1 (MQTT 3.1.1
 * and 5.0, topic aliases, no shared subscriptions) listening on 127.0.0.1 over TCP and,
 * optionally, WebSockets. If the wanted port is taken it takes the next free one and says so.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { Emitter, type Event } from '../event';
import { HeldEndStream } from './heldEndStream';
import {
  boundPersistence,
  DEFAULT_LOCAL_BROKER_LIMITS,
  type LocalBrokerLimits,
  type PersistenceLike,
} from './localBrokerLimits';
import { refusedUpgrade } from './localBrokerOrigin';
import type { Logger } from '../ports';

export type LocalBrokerState =
  | { kind: 'stopped' }
  | { kind: 'starting' }
  | { kind: 'running'; port: number; wsPort?: number; clients: number }
  | { kind: 'error'; message: string };

/** The subset of aedes' hooks the broker lets a caller set (tests refuse subscriptions with it). */
export interface LocalBrokerHooks {
  authorizeSubscribe?: (
    client: unknown,
    sub: { topic: string; qos: number },
    callback: (error: Error | null, sub: { topic: string; qos: number } | null) => void,
  ) => void;
  authorizePublish?: (
    client: unknown,
    packet: { topic: string },
    callback: (error?: Error | null) => void,
  ) => void;
}

export interface LocalBrokerOptions {
  port: number;
  /** 0 or undefined: no WebSocket listener. */
  websocketPort?: number;
  hooks?: LocalBrokerHooks;
  /** When given, only clients with this user name and password may connect. */
  credentials?: { username: string; password: string };
  /** Caps on packet size, retained and queued messages; the defaults where left out. */
  limits?: Partial<LocalBrokerLimits>;
}

export interface StartResult {
  port: number;
  wsPort?: number;
  /** True when the wanted port was taken and another was used. */
  moved: boolean;
}

const HOST = '127.0.0.1';
const PORT_TRIES = 20;
const TOPIC_ALIAS_MAXIMUM = 64;

interface AedesLike {
  handle(stream: Duplex): void;
  close(callback?: () => void): void;
  connectedClients: number;
  persistence: PersistenceLike;
  on(event: 'client' | 'clientDisconnect', listener: () => void): void;
  on(event: 'clientReady', listener: (client: { conn?: unknown }) => void): void;
  authorizeSubscribe?: LocalBrokerHooks['authorizeSubscribe'];
  authorizePublish?: LocalBrokerHooks['authorizePublish'];
  authenticate?: Authenticate;
}

type Authenticate = (
  client: unknown,
  username: string | undefined,
  password: Buffer | undefined,
  callback: (error: (Error & { returnCode?: number }) | null, success: boolean) => void,
) => void;

/** Accepts exactly `expected`; compared in constant time. A refusal is CONNACK 4 / 0x86. */
function requireCredentials(expected: { username: string; password: string }): Authenticate {
  const user = Buffer.from(expected.username);
  const pass = Buffer.from(expected.password);
  const same = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
  return (_client, username, password, callback) => {
    if (same(Buffer.from(username ?? ''), user) && password && same(password, pass)) {
      return callback(null, true);
    }
    callback(Object.assign(new Error('Bad user name or password'), { returnCode: 4 }), false);
  };
}

export class LocalBroker {
  private aedes: AedesLike | undefined;
  private tcp: Server | undefined;
  private http: HttpServer | undefined;
  private wss: WebSocketServer | undefined;
  /** Every accepted connection, so stop() can end those aedes does not know (yet). */
  private readonly sockets = new Set<Socket>();
  private _state: LocalBrokerState = { kind: 'stopped' };
  private starting: Promise<StartResult> | undefined;
  private readonly emitter = new Emitter<LocalBrokerState>();
  readonly onDidChangeState: Event<LocalBrokerState> = this.emitter.event;

  /**
   * @param loadAedes where the broker implementation comes from; tests pass aedes 1.2.0 here to
   * compare it with the 2.0.0-beta.1 the product ships.
   */
  constructor(
    private readonly logger: Logger,
    private readonly loadAedes: () => Promise<unknown> = () => import('aedes'),
  ) {}

  get state(): LocalBrokerState {
    return this._state;
  }

  /** Starts the broker; a call while it is starting gets that same start. */
  start(options: LocalBrokerOptions): Promise<StartResult> {
    if (this._state.kind === 'running') {
      return Promise.resolve({ port: this._state.port, wsPort: this._state.wsPort, moved: false });
    }
    this.starting ??= this.startNow(options).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async startNow(options: LocalBrokerOptions): Promise<StartResult> {
    this.setState({ kind: 'starting' });
    try {
      const { Aedes } = (await this.loadAedes()) as {
        Aedes: { createBroker(o: object): Promise<AedesLike> };
      };
      const limits = { ...DEFAULT_LOCAL_BROKER_LIMITS, ...options.limits };
      const aedes = await Aedes.createBroker({
        topicAliasMaximum: TOPIC_ALIAS_MAXIMUM,
        maximumPacketSize: limits.maxPacketBytes,
      });
      boundPersistence(aedes.persistence, limits, this.logger);
      if (options.hooks?.authorizeSubscribe)
        aedes.authorizeSubscribe = options.hooks.authorizeSubscribe;
      if (options.hooks?.authorizePublish) aedes.authorizePublish = options.hooks.authorizePublish;
      if (options.credentials) aedes.authenticate = requireCredentials(options.credentials);
      this.aedes = aedes;
      // Half-open, so a client's FIN can be held back until aedes accepted its CONNECT.
      const tcp = createServer({ allowHalfOpen: true }, (socket) =>
        aedes.handle(new HeldEndStream(socket)),
      );
      aedes.on('clientReady', (client) => {
        if (client.conn instanceof HeldEndStream) client.conn.release();
      });
      this.track(tcp);
      this.tcp = tcp;
      const port = await listenOnFreePort((p) => listen(tcp, p), options.port);
      let wsPort: number | undefined;
      if (options.websocketPort) {
        const http = createHttpServer((_req, res) =>
          res.writeHead(426, { 'content-type': 'text/plain' }).end('MQTT over WebSocket only\n'),
        );
        this.track(http);
        this.http = http;
        wsPort = await listenOnFreePort((p) => listen(http, p), options.websocketPort, port);
        this.wss = new WebSocketServer({
          server: http,
          handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
          verifyClient: ({ req }, done) => {
            const refused = refusedUpgrade({ origin: req.headers.origin, host: req.headers.host });
            if (refused === undefined) return done(true);
            this.logger.warn(`Local broker: refused a WebSocket connection: ${refused}`);
            done(false, 403, 'Forbidden');
          },
        });
        this.wss.on('connection', (ws) => aedes.handle(createWebSocketStream(ws)));
      }
      // After listening, a server error (EMFILE…) must not be an unhandled 'error' event.
      for (const server of [this.tcp, this.http, this.wss]) {
        server?.on('error', (error: Error) => this.logger.error(`Local broker: ${error.message}`));
      }
      const update = () =>
        this._state.kind === 'running' &&
        this.setState({ ...this._state, clients: aedes.connectedClients });
      aedes.on('client', update);
      aedes.on('clientDisconnect', update);
      this.setState({ kind: 'running', port, wsPort, clients: 0 });
      const moved =
        port !== options.port ||
        (options.websocketPort !== undefined &&
          options.websocketPort !== 0 &&
          wsPort !== options.websocketPort);
      this.logger.info(
        `Local broker listening on mqtt://${HOST}:${port}${wsPort ? ` and ws://${HOST}:${wsPort}/mqtt` : ''}`,
      );
      return { port, wsPort, moved };
    } catch (error) {
      await this.closeAll();
      const message = `The local broker did not start: ${(error as Error).message}`;
      this.logger.error(message);
      this.setState({ kind: 'error', message });
      throw new Error(message);
    }
  }

  async stop(): Promise<void> {
    // Let a start in progress finish first, so what it opens is closed too.
    await this.starting?.catch(() => undefined);
    if (this._state.kind === 'stopped') return;
    await this.closeAll();
    this.logger.info('Local broker stopped');
    this.setState({ kind: 'stopped' });
  }

  dispose(): void {
    void this.closeAll();
    this.emitter.dispose();
  }

  private async closeAll(): Promise<void> {
    const { aedes, tcp, http, wss } = this;
    this.aedes = this.tcp = this.http = this.wss = undefined;
    for (const client of wss?.clients ?? []) client.terminate();
    wss?.close();
    // Closing aedes ends every client connection, so the listeners can close promptly.
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    // aedes closes only the clients it registered: a connection that has not sent CONNECT yet
    // (or an idle HTTP connection) would keep server.close() waiting for aedes' connect timeout.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(
      [tcp, http].map((s) =>
        s?.listening ? new Promise<void>((r) => s.close(() => r())) : undefined,
      ),
    );
  }

  private track(server: Server | HttpServer): void {
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  private setState(state: LocalBrokerState): void {
    this._state = state;
    this.emitter.fire(state);
  }
}

function listen(server: Server | HttpServer, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}

/** Tries `wanted`, then the next ports, skipping `avoid`; other errors end the attempt. */
async function listenOnFreePort(
  tryPort: (port: number) => Promise<number>,
  wanted: number,
  avoid?: number,
): Promise<number> {
  let lastError: Error | undefined;
  for (let port = wanted, i = 0; i < PORT_TRIES && port <= 65_535; port++, i++) {
    if (port === avoid) continue;
    try {
      return await tryPort(port);
    } catch (error) {
      lastError = error as Error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EADDRINUSE' && code !== 'EACCES') throw error;
    }
  }
  throw new Error(
    `ports ${wanted} to ${wanted + PORT_TRIES - 1} are all taken (${lastError?.message ?? 'unknown error'})`,
  );
}
