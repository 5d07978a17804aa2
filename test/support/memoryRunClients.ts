/**
 * An in-memory broker and `RunClients` for the runner's timing tests: publishes are routed to
 * matching subscriptions (QoS downgraded to the subscription's, retained messages kept and sent
 * on subscribe with the retain flag), acknowledged at once unless told to fail or never to, SUBACKs
 * after a set delay, and a DROP publishes the client's will. Deliveries are queued as microtasks, like a network would.
 */
import { topicMatches } from '../../src/core/topics/topics';
import type {
  ConnectRequest,
  RunClient,
  RunClients,
  RunMessage,
  RunPublish,
  RunPublishResult,
  RunSubscription,
} from '../../src/core/mqttFile/runTypes';
import type { Scheduler } from '../../src/core/ports';

interface Sub {
  client: MemoryRunClient;
  filter: string;
  qos: 0 | 1 | 2;
  onMessage: (m: RunMessage) => void;
}

export class MemoryBroker {
  readonly subs = new Set<Sub>();
  readonly retained = new Map<string, RunPublish>();
  /** Every message published, in order. */
  readonly published: { client: string; message: RunPublish }[] = [];
  /** Called for each publish (after routing): a test's responder. */
  onPublish: ((message: RunPublish, from: MemoryRunClient) => void) | undefined;
  /** Filters a SUBSCRIBE is refused for. */
  readonly refuse = new Set<string>();
  /** Filters whose SUBSCRIBE is never answered. */
  readonly silent = new Set<string>();
  /** How long a SUBACK takes (virtual time). */
  subackDelayMs = 0;
  /** Live messages keep their retain flag (MQTT 5 Retain As Published). */
  retainAsPublished = false;
  /** Topics whose publishes are routed but never acknowledged. */
  readonly unacknowledged = new Set<string>();

  constructor(readonly scheduler: Scheduler) {}

  route(message: RunPublish, from: MemoryRunClient): void {
    this.published.push({ client: from.name, message });
    if (message.retain) {
      if (message.payload.byteLength === 0) this.retained.delete(message.topic);
      else this.retained.set(message.topic, message);
    }
    for (const sub of [...this.subs])
      if (topicMatches(sub.filter, message.topic))
        this.deliver(sub, message, this.retainAsPublished && message.retain);
    this.onPublish?.(message, from);
  }

  deliver(sub: Sub, message: RunPublish, retain: boolean): void {
    const copy: RunMessage = {
      topic: message.topic,
      payload: message.payload,
      qos: Math.min(sub.qos, message.qos) as 0 | 1 | 2,
      retain,
      receivedAt: this.scheduler.now(),
    };
    if (message.properties) copy.properties = message.properties;
    queueMicrotask(() => {
      if (this.subs.has(sub)) sub.onMessage(copy);
    });
  }

  /** The subscriptions still open (a run must leave none). */
  get openSubscriptions(): number {
    return this.subs.size;
  }
}

export class MemoryRunClient implements RunClient {
  closed: 'close' | 'drop' | undefined;
  /** The publish with this (0-based) number fails, with this message. */
  failPublishAt: { n: number; message: string } | undefined;
  /** The publish with this (0-based) number is never acknowledged. */
  holdPublishAt: number | undefined;
  private published = 0;
  private seq = 1;
  will: ConnectRequest['will'];

  constructor(
    private readonly broker: MemoryBroker,
    readonly name: string,
    readonly protocolVersion: 4 | 5 = 5,
  ) {}

  publish(message: RunPublish): Promise<RunPublishResult> {
    if (this.closed) return Promise.reject(new Error(`"${this.name}" is closed.`));
    const n = this.published++;
    if (this.failPublishAt?.n === n) return Promise.reject(new Error(this.failPublishAt.message));
    if (this.holdPublishAt === n) return new Promise(() => undefined);
    this.broker.route(message, this);
    if (this.broker.unacknowledged.has(message.topic)) return new Promise<never>(() => undefined);
    const handshake = [[], ['PUBACK'], ['PUBREC', 'PUBREL', 'PUBCOMP']][message.qos]!;
    return Promise.resolve({ elapsedMs: 0, handshake, seq: this.seq++ });
  }

  subscribe(
    filter: string,
    qos: 0 | 1 | 2,
    onMessage: (m: RunMessage) => void,
  ): Promise<RunSubscription> {
    if (this.closed) return Promise.reject(new Error(`"${this.name}" is closed.`));
    if (this.broker.refuse.has(filter)) return Promise.reject(new Error('0x87 Not authorized'));
    if (this.broker.silent.has(filter)) return new Promise<never>(() => undefined);
    const sub: Sub = { client: this, filter, qos, onMessage };
    this.broker.subs.add(sub);
    for (const m of this.broker.retained.values())
      if (topicMatches(filter, m.topic)) this.broker.deliver(sub, m, true);
    const subscription: RunSubscription = {
      grantedQos: qos,
      close: () => {
        this.broker.subs.delete(sub);
        return Promise.resolve();
      },
    };
    const delay = this.broker.subackDelayMs;
    if (delay === 0) return Promise.resolve(subscription);
    return new Promise((resolve) =>
      this.broker.scheduler.setTimeout(() => resolve(subscription), delay),
    );
  }

  close(): Promise<void> {
    this.closed ??= 'close';
    this.dropSubscriptions();
    return Promise.resolve();
  }

  drop(): void {
    this.closed ??= 'drop';
    this.dropSubscriptions();
    const will = this.will;
    if (will) this.broker.route({ ...will }, this);
  }

  private dropSubscriptions(): void {
    for (const sub of [...this.broker.subs]) if (sub.client === this) this.broker.subs.delete(sub);
  }
}

export class MemoryRunClients implements RunClients {
  readonly broker: MemoryBroker;
  readonly default: MemoryRunClient;
  readonly opened: MemoryRunClient[] = [];
  readonly requests: ConnectRequest[] = [];
  /** When set, `defaultClient()` rejects with it. */
  defaultError: string | undefined;
  /** Client names whose CONNECT is refused, with the reason. */
  readonly refuseConnect = new Map<string, string>();

  constructor(scheduler: Scheduler, protocolVersion: 4 | 5 = 5) {
    this.broker = new MemoryBroker(scheduler);
    this.default = new MemoryRunClient(this.broker, 'default', protocolVersion);
  }

  defaultClient(): Promise<RunClient> {
    return this.defaultError
      ? Promise.reject(new Error(this.defaultError))
      : Promise.resolve(this.default);
  }

  connect(request: ConnectRequest): Promise<RunClient> {
    this.requests.push(request);
    const refused = this.refuseConnect.get(request.name);
    if (refused) return Promise.reject(new Error(refused));
    const client = new MemoryRunClient(this.broker, request.name, request.protocolVersion ?? 5);
    client.will = request.will;
    this.opened.push(client);
    return Promise.resolve(client);
  }
}
