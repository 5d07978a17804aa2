/**
 * `RunClients` over plain MQTT.js clients (the command-line runner uses them for everything, the
 * editor for CONNECT blocks): one client per connection with `reconnectPeriod: 0`, publishes that
 * resolve on their acknowledgement with the handshake really seen, subscriptions with the granted
 * QoS (a refused one rejects with its reason), one broker subscription per filter shared by the
 * blocks on it (see filterSubscriptions.ts), and subscriptions told when their client ends. Errors read as sentences; credentials never appear in them.
 */
import mqtt, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { brokerText } from '../profile/brokerText';
import { describeConnectionError, reasonName } from '../reasons';
import { PublishHandshake } from '../session/publishHandshake';
import { FilterSubscriptions, type FilterEntry } from './filterSubscriptions';
import type {
  ConnectRequest,
  RunPublish,
  RunClient,
  RunClients,
  RunMessage,
  RunPublishResult,
  RunSubscribeOptions,
  RunSubscription,
} from './runTypes';

export interface MqttJsDefaults {
  broker: string;
  /** Default 5. */
  protocolVersion?: 4 | 5;
  username?: string;
  password?: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized?: boolean;
  /** The TLS server name to verify, when it is not the broker's host. */
  servername?: string;
  /** Default 10 s. */
  connectTimeoutMs?: number;
}

export function mqttJsRunClients(
  defaults: MqttJsDefaults,
): RunClients & { closeAll(): Promise<void> } {
  const open = new Set<MqttJsRunClient>();
  let defaultClient: Promise<RunClient> | undefined;
  const start = async (
    name: string,
    options: IClientOptions & { broker: string },
    onEnd?: () => void,
  ) => {
    const client = await MqttJsRunClient.connect(name, options);
    open.add(client);
    client.onEnd = () => {
      open.delete(client);
      onEnd?.();
    };
    return client;
  };

  const base = (): IClientOptions => {
    const o: IClientOptions = {};
    for (const key of [
      'username',
      'password',
      'ca',
      'cert',
      'key',
      'rejectUnauthorized',
      'servername',
    ] as const)
      if (defaults[key] !== undefined) (o as Record<string, unknown>)[key] = defaults[key];
    return o;
  };
  return {
    /** A run closes the default client at its end; the next run (the next file) connects anew. */
    defaultClient() {
      if (!defaultClient) {
        const forget = () => {
          if (defaultClient === connecting) defaultClient = undefined;
        };
        const connecting = start(
          'default',
          {
            ...base(),
            broker: defaults.broker,
            protocolVersion: defaults.protocolVersion ?? 5,
            connectTimeout: defaults.connectTimeoutMs ?? 10_000,
          },
          forget,
        );
        connecting.catch(forget);
        defaultClient = connecting;
      }
      return defaultClient;
    },
    connect(request: ConnectRequest) {
      const o: IClientOptions & { broker: string } = {
        ...base(),
        broker: request.broker ?? defaults.broker,
        protocolVersion: request.protocolVersion ?? defaults.protocolVersion ?? 5,
        clientId: request.clientId,
        connectTimeout: defaults.connectTimeoutMs ?? 10_000,
      };
      // The defaults' user and password go only to their own broker, and only as a pair.
      const elsewhere = request.broker !== undefined && request.broker !== defaults.broker;
      if (elsewhere || request.username !== undefined || request.password !== undefined) {
        delete o.username;
        delete o.password;
      }
      if (request.username !== undefined) o.username = request.username;
      if (request.password !== undefined) o.password = request.password;
      if (request.keepaliveSeconds !== undefined) o.keepalive = request.keepaliveSeconds;
      if (request.clean !== undefined) o.clean = request.clean;
      if (request.will) o.will = { ...request.will, payload: Buffer.from(request.will.payload) };
      return start(request.name, o);
    },
    async closeAll() {
      await Promise.all([...open].map((c) => c.close()));
    },
  };
}

class MqttJsRunClient implements RunClient {
  onEnd: (() => void) | undefined;
  private readonly subscriptions: FilterSubscriptions;
  /** Filters being unsubscribed: a new SUBSCRIBE to one waits for its UNSUBACK. */
  private readonly unsubscribing = new Map<string, Promise<void>>();
  /** SUBSCRIBE packet id → its filter, until the SUBACK. */
  private readonly subscribing = new Map<number, string>();
  private readonly handshake = new PublishHandshake();
  /** What waits for the broker: rejected when the connection is lost. */
  private readonly pending = new Set<(error: Error) => void>();
  private lost: string | undefined;

  private constructor(
    readonly name: string,
    readonly protocolVersion: 4 | 5,
    private readonly client: MqttClient,
    target: string,
    identified: boolean,
  ) {
    this.subscriptions = new FilterSubscriptions(identified);
    client.on('packetsend', (p) => {
      this.handshake.observe('sent', p);
      if (p.cmd === 'subscribe' && p.messageId !== undefined)
        this.subscribing.set(p.messageId, p.subscriptions[0]!.topic);
    });
    const owners = new WeakMap<object, ReturnType<FilterSubscriptions['retainedOwners']>>();
    client.on('packetreceive', (p) => {
      this.handshake.observe('received', p);
      if (p.cmd === 'suback' && p.messageId !== undefined) {
        const filter = this.subscribing.get(p.messageId);
        this.subscribing.delete(p.messageId);
        const code = p.granted[0];
        if (filter !== undefined)
          this.subscriptions.answered(filter, typeof code === 'number' && code < 0x80);
      }
      if (p.cmd === 'publish' && p.retain) owners.set(p, this.subscriptions.retainedOwners());
    });
    client.on('message', (topic, payload, packet) => {
      const message: RunMessage = {
        topic,
        payload: new Uint8Array(payload),
        qos: packet.qos,
        retain: packet.retain,
        receivedAt: Date.now(),
      };
      if (packet.properties) message.properties = packet.properties as Record<string, unknown>;
      this.subscriptions.dispatch(message, owners.get(packet));
    });
    client.on('error', () => undefined);
    client.on('close', () => {
      this.lost ??= `"${name}" lost its connection to ${target}.`;
      this.subscriptions.end(this.lost);
      this.onEnd?.();
      const error = new Error(this.lost);
      for (const reject of [...this.pending]) reject(error);
      this.pending.clear();
    });
  }

  /** Runs `start` with a rejecter that the loss of the connection also calls. */
  private waitFor<T>(
    start: (resolve: (v: T) => void, reject: (e: Error) => void) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.lost) return reject(new Error(this.lost));
      const settle = (fn: () => void) => {
        this.pending.delete(rejectOnce);
        fn();
      };
      const rejectOnce = (e: Error) => settle(() => reject(e));
      this.pending.add(rejectOnce);
      start((v) => settle(() => resolve(v)), rejectOnce);
    });
  }

  static connect(
    name: string,
    options: IClientOptions & { broker: string },
  ): Promise<MqttJsRunClient> {
    const { broker, ...rest } = options;
    const target = brokerText(broker);
    const version = options.protocolVersion === 4 ? 4 : 5;
    return new Promise((resolve, reject) => {
      let client: MqttClient;
      try {
        client = mqtt.connect(broker, { ...rest, reconnectPeriod: 0 });
        // Each publish waits for its acknowledgement: without this, Nagle's algorithm holds a
        // PUBLISH or PUBREL back ~40 ms for the previous packet's TCP ACK (a QoS 1 REPEAT then
        // manages ~25 messages a second).
        (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      } catch (error) {
        reject(new Error(`Cannot connect to ${target}: ${(error as Error).message}`));
        return;
      }
      const fail = (error: unknown) => {
        cleanup();
        client.end(true);
        const timeout = Math.round((options.connectTimeout ?? 30_000) / 1000);
        const why = describeConnectionError(error, target, version, timeout);
        reject(new Error(why.includes(target) ? why : `${target}: ${why}`));
      };
      const closed = () => fail(new Error('the connection closed before the broker accepted it'));
      const connected = (connack: IConnackPacket) => {
        cleanup();
        // Identifiers tell overlapping subscriptions' copies apart, where the broker takes them.
        const identified =
          version === 5 && connack.properties?.subscriptionIdentifiersAvailable !== false;
        resolve(new MqttJsRunClient(name, version, client, target, identified));
      };
      const cleanup = () => {
        client.off('connect', connected);
        client.off('error', fail);
        client.off('close', closed);
      };
      client.on('connect', connected);
      client.on('error', fail);
      client.on('close', closed);
    });
  }

  publish(message: RunPublish): Promise<RunPublishResult> {
    const started = performance.now();
    const options: Parameters<MqttClient['publish']>[2] = {
      qos: message.qos,
      retain: message.retain,
    };
    if (message.properties) options.properties = message.properties;
    return this.waitFor((resolve, reject) => {
      this.client.publish(message.topic, Buffer.from(message.payload), options, (error, packet) => {
        const id = (packet as { messageId?: number } | undefined)?.messageId;
        const handshake = message.qos > 0 && id !== undefined ? this.handshake.take(id) : [];
        if (!error)
          return resolve({
            elapsedMs: message.qos === 0 ? 0 : performance.now() - started,
            handshake,
          });
        const code = (error as { code?: unknown }).code;
        reject(
          new Error(
            typeof code === 'number'
              ? `The broker refused the publish: ${reasonName(code)}.`
              : error.message,
          ),
        );
      });
    });
  }

  async subscribe(
    filter: string,
    qos: 0 | 1 | 2,
    onMessage: (message: RunMessage) => void,
    options: RunSubscribeOptions = {},
  ): Promise<RunSubscription> {
    // aedes may carry out a SUBSCRIBE before an UNSUBSCRIBE of the same filter sent earlier.
    await this.unsubscribing.get(filter);
    if (this.lost) throw new Error(this.lost);
    const entry: FilterEntry = {
      filter,
      onMessage,
      noLocal: options.noLocal === true && this.protocolVersion === 5,
      generation: 0,
      ...(options.onEnd ? { onEnd: options.onEnd } : {}),
    };
    // Listening before the SUBACK: a broker may send retained messages right behind it.
    const order = this.subscriptions.add(entry, qos);
    const sub = order.subscription;
    const subscribeOptions: Parameters<MqttClient['subscribe']>[1] = { qos: order.qos };
    if (this.protocolVersion === 5) {
      subscribeOptions.nl = order.noLocal;
      if (sub.identifier !== undefined)
        subscribeOptions.properties = { subscriptionIdentifier: sub.identifier };
    }
    const subscribed = this.waitFor<RunSubscription>((resolve, reject) => {
      this.client.subscribe(filter, subscribeOptions, (error, granted) => {
        // A refused SUBACK comes as an error carrying the SUBACK packet.
        const suback = (error as { packet?: { granted?: unknown[] } } | null)?.packet;
        const refused = suback?.granted?.find((c) => typeof c === 'number' && c >= 0x80);
        const code = typeof refused === 'number' ? refused : granted?.[0]?.qos;
        if (!error && code !== undefined && code < 0x80) {
          let closing: Promise<void> | undefined;
          return resolve({
            grantedQos: code as 0 | 1 | 2,
            noLocal: order.noLocal,
            close: () => (closing ??= this.unsubscribe(entry)),
          });
        }
        reject(
          new Error(
            code !== undefined && code >= 0x80
              ? `the broker refused it: ${reasonName(code, this.protocolVersion)}`
              : (error?.message ?? 'the broker did not answer'),
          ),
        );
      });
    });
    subscribed.catch(() => void this.unsubscribe(entry));
    return subscribed;
  }

  private async unsubscribe(entry: FilterEntry): Promise<void> {
    if (!this.subscriptions.remove(entry) || this.lost) return;
    const { filter } = entry;
    const done = this.waitFor<void>((resolve) => this.client.unsubscribe(filter, () => resolve()))
      .catch(() => undefined)
      .finally(() => {
        if (this.unsubscribing.get(filter) === done) this.unsubscribing.delete(filter);
      });
    this.unsubscribing.set(filter, done);
    await done;
  }

  async close(): Promise<void> {
    this.end(`"${this.name}" was closed.`);
    await new Promise<void>((resolve) => this.client.end(false, {}, () => resolve()));
  }

  drop(): void {
    this.end(`"${this.name}" was dropped.`);
    this.client.end(true);
  }

  private end(why: string): void {
    if (this.lost) return;
    this.lost = why;
    this.subscriptions.end(why);
    this.onEnd?.();
  }
}
