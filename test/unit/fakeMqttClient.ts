/**
 * A scripted stand-in for an MQTT.js client, in the spirit of MQTT.js's own tests: the session
 * under test drives it through the MqttLink port, and the test plays the broker by calling
 * accept(), drop(), refuse() and ack(). It keeps MQTT.js's bookkeeping that the session relies
 * on: `outgoing` callbacks, the outgoing store and the message id provider.
 */
import { EventEmitter } from 'node:events';
import { DefaultMessageIdProvider, Store, type IClientOptions, type Packet } from 'mqtt';
import assert from 'node:assert/strict';
import type { MqttClientFactory, MqttLink } from '../../src/core/session/mqttClientFactory';
import { validateProfiles } from '../../src/core/profile/profile';
import { silentLogger } from '../../src/core/ports';
import { MqttSession, type SessionDeps } from '../../src/core/session/session';
import { FakeScheduler } from './fakeScheduler';

type Callback = (error?: Error | null, ...rest: unknown[]) => void;

export interface SentPublish {
  topic: string;
  payload: string | Buffer;
  qos: number;
  messageId?: number;
}

export class FakeMqttClient extends EventEmitter {
  connected = false;
  outgoing: Record<number, { volatile: boolean; cmd: string; cb: Callback }> = {};
  outgoingStore = new Store();
  incomingStore = new Store();
  messageIdProvider = new DefaultMessageIdProvider();
  readonly published: SentPublish[] = [];
  readonly subscribed: string[] = [];
  readonly unsubscribed: string[] = [];
  readonly reconnects: { incomingStore: unknown; outgoingStore: unknown }[] = [];
  /** `true` for a forced end (no DISCONNECT), `false` for a graceful one. */
  readonly ends: boolean[] = [];
  private readonly pendingSubs: Callback[] = [];
  readonly stream = { destroy: () => this.drop() };

  constructor(readonly options: IClientOptions) {
    super();
  }

  /** The broker answers CONNACK 0; MQTT.js would then re-send its store and emit 'connect'. */
  accept(sessionPresent = false): void {
    this.emit('packetreceive', { cmd: 'connack', returnCode: 0, sessionPresent } as Packet);
    this.connected = true;
    this.emit('connect', { cmd: 'connack', sessionPresent });
  }

  /** The link goes down, after `error` if given. */
  drop(error?: Error): void {
    if (error) this.emit('error', error);
    this.connected = false;
    this.emit('close');
  }

  /** CONNACK with a refusal code, as MQTT.js reports it: an error with a numeric code, then close. */
  refuse(code: number): void {
    this.drop(Object.assign(new Error('Connection refused'), { code }));
  }

  /** The broker acknowledges the publish with this packet identifier. */
  ack(messageId: number): void {
    const pending = this.outgoing[messageId];
    this.emit('packetreceive', { cmd: 'puback', messageId } as Packet);
    delete this.outgoing[messageId];
    this.outgoingStore.del({ messageId }, () => undefined);
    pending?.cb(null, { cmd: 'puback', messageId });
  }

  /** The broker refuses the publish: a PUBACK (v5) with a reason code of 0x80 or more. */
  refusePublish(messageId: number, reasonCode: number, reasonString?: string): void {
    const pending = this.outgoing[messageId];
    const packet = {
      cmd: 'puback',
      messageId,
      reasonCode,
      ...(reasonString ? { properties: { reasonString } } : {}),
    };
    this.emit('packetreceive', packet as Packet);
    delete this.outgoing[messageId];
    this.outgoingStore.del({ messageId }, () => undefined);
    const error = Object.assign(new Error(`Publish error: ${reasonString ?? ''}`), {
      code: reasonCode,
    });
    pending?.cb(error, packet);
  }

  /** A QoS 2 exchange as MQTT.js runs it: PUBREC in, PUBREL out, PUBCOMP in; `between` runs between steps. */
  completeQos2(messageId: number, between: () => void = () => undefined): void {
    const pending = this.outgoing[messageId];
    this.emit('packetreceive', { cmd: 'pubrec', messageId } as Packet);
    between();
    this.emit('packetsend', { cmd: 'pubrel', messageId } as Packet);
    between();
    this.emit('packetreceive', { cmd: 'pubcomp', messageId, reasonCode: 0 } as Packet);
    delete this.outgoing[messageId];
    this.outgoingStore.del({ messageId }, () => undefined);
    pending?.cb(null, { cmd: 'pubcomp', messageId });
  }

  /** Answers every SUBSCRIBE sent so far with `code`. */
  grantAll(code = 1): void {
    for (const cb of this.pendingSubs.splice(0)) cb(null, [], { granted: [code] });
  }

  publish(
    topic: string,
    payload: string | Buffer,
    opts: { qos: number },
    cb: (error?: Error, packet?: { messageId?: number }) => void,
  ): this {
    const messageId = opts.qos > 0 ? (this.messageIdProvider.allocate() ?? undefined) : undefined;
    this.published.push({ topic, payload, qos: opts.qos, messageId });
    if (messageId === undefined) {
      cb(undefined, {});
      return this;
    }
    this.outgoing[messageId] = {
      volatile: false,
      cmd: 'publish',
      cb: (error, packet) =>
        cb(error ?? undefined, (packet as { messageId?: number }) ?? { messageId }),
    };
    this.outgoingStore.put(
      { cmd: 'publish', topic, payload, qos: 1, messageId } as never,
      () => undefined,
    );
    return this;
  }

  /** The options of each SUBSCRIBE (its properties), in order. */
  readonly subscribeOptions: object[] = [];

  subscribe(topics: Record<string, unknown>, opts: object | Callback, cb?: Callback): this {
    this.subscribed.push(...Object.keys(topics));
    this.subscribeOptions.push(typeof opts === 'function' ? {} : opts);
    this.pendingSubs.push(typeof opts === 'function' ? (opts as Callback) : cb!);
    return this;
  }

  unsubscribe(topic: string, cb: Callback): this {
    this.unsubscribed.push(topic);
    cb(null, {});
    return this;
  }

  end(force?: boolean, _opts?: object, cb?: () => void): this {
    this.ends.push(force === true);
    this.connected = false;
    cb?.();
    return this;
  }

  reconnect(opts: { incomingStore: unknown; outgoingStore: unknown }): this {
    this.reconnects.push(opts);
    return this;
  }
}

/** A factory that hands out fake clients and keeps them for the test to script. */
export function fakeFactory(): { factory: MqttClientFactory; clients: FakeMqttClient[] } {
  const clients: FakeMqttClient[] = [];
  const factory: MqttClientFactory = (options) => {
    const client = new FakeMqttClient(options);
    clients.push(client);
    return client as unknown as MqttLink;
  };
  return { factory, clients };
}

/**
 * A real MqttSession over fake clients and fake time, for a profile as a user would write it
 * (`raw` over a default `mqtt://127.0.0.1:1883` profile named "p"), checked by the real
 * validation. `deps` replaces any of the session's dependencies.
 */
export function scriptedSession(
  raw: Record<string, unknown> = {},
  deps: Partial<SessionDeps> = {},
): {
  session: MqttSession;
  scheduler: FakeScheduler;
  clients: FakeMqttClient[];
  client: () => FakeMqttClient;
} {
  const { profiles, problems } = validateProfiles([
    { name: 'p', url: 'mqtt://127.0.0.1:1883', ...raw },
  ]);
  assert.deepEqual(problems, [], 'the test profile itself must be valid');
  const scheduler = new FakeScheduler();
  const { factory, clients } = fakeFactory();
  const session = new MqttSession(profiles[0], {
    scheduler,
    logger: silentLogger,
    getPassword: async () => 'pw',
    clientId: 'c1',
    clientFactory: factory,
    maxRetryDelayMs: () => 2_000,
    ...deps,
  });
  return { session, scheduler, clients, client: () => clients[clients.length - 1] };
}
