/**
 * One MQTT connection defined by a profile. Its lifecycle is the transition table in
 * `sessionMachine.ts`; this class feeds that table the client's events and carries out the
 * effects it names. It also owns the subscriptions with what the broker answered for each,
 * the topic tree, and publishing (`sessionPublisher.ts`). What it sends and receives is its
 * traffic (`onTraffic`, see src/core/traffic/).
 */
import type { IPublishPacket } from 'mqtt';
import { Emitter, type Event, type Disposable } from '../event';
import type { ConnectionProfile, SubscriptionSpec } from '../profile/profile';
import { SessionSubscriber } from './sessionSubscriber';
import { TemporarySubscriptions } from './temporarySubscriptions';
import { receivedMessage, translateClientEvents, type LinkCause } from './sessionClientEvents';
import { TopicTree } from '../topics/topicTree';
import { withMaximumPacketSize } from './clientOptions';
import { logConnecting, prepareClient } from './clientSetup';
import { MqttError } from '../mqttError';
import { brokerText } from '../profile/brokerText';
import { reconnectDelayMs } from './reconnectBackoff';
import { endGracefully } from './inFlight';
import { mqttJsClientFactory, type MqttLink } from './mqttClientFactory';
import { DEFAULT_INCOMING_LIMITS } from '../incoming/packetGuard';
import { brokerTarget } from '../trust/brokerTrust';
import { DEFAULT_OFFLINE_QUEUE_LIMITS } from './offlineQueue';
import { SessionPublisher } from './sessionPublisher';
import { TrafficEmitter, type TrafficSubscribe } from '../traffic/trafficEmitter';
import { transition, whenConnected, type SessionEffect, type SessionEvent } from './sessionMachine';
import type {
  PublishOutcome,
  PublishRequest,
  ReceivedMessage,
  SessionDeps,
  SessionState,
  Subscription,
  SubscriptionStatus,
} from './sessionTypes';

export { MqttError };
export type * from './sessionTypes';

export class MqttSession {
  private client: MqttLink | undefined;
  private _state: SessionState = { kind: 'disconnected' };
  private readonly subs: SessionSubscriber;
  private retryTimer: Disposable | undefined;
  /** Bumped by every new client and by disconnect(): a password answered late opens nothing. */
  private generation = 0;
  /** Tells the current client's close why it happened, when the session closes it itself. */
  private linkCause: LinkCause | undefined;
  /** Effects that wait until MQTT.js has re-sent what it held in flight (its 'connect'). */
  private afterReplay: SessionEffect[] | undefined;
  private connectPromise: Promise<void> | undefined;
  /** Why the latest connect() was cancelled, when there is more to say than "cancelled". */
  private cancelled: string | undefined;
  private closing: Promise<void> = Promise.resolve();
  private readonly publisher: SessionPublisher;
  private readonly traffic = new TrafficEmitter<MqttSession>();
  /** What this session sends and receives (see src/core/traffic/). */
  readonly onTraffic: TrafficSubscribe<MqttSession> = this.traffic.event;

  private readonly stateEmitter = new Emitter<SessionState>();
  readonly onDidChangeState: Event<SessionState> = this.stateEmitter.event;
  private readonly subsEmitter = new Emitter<void>();
  readonly onDidChangeSubscriptions: Event<void> = this.subsEmitter.event;
  /** The received messages of `onTraffic`: one stream, so a message costs one event. */
  readonly onMessage: Event<ReceivedMessage> = (listener) =>
    this.onTraffic((event) => {
      if (event.kind === 'in') listener(event);
    });
  private readonly queueEmitter = new Emitter<number>();
  /** The number of queued publishes changed. */
  readonly onDidChangeQueue: Event<number> = this.queueEmitter.event;

  readonly topics: TopicTree;
  /** Subscriptions for one exchange (request/response), never among `subscriptions`. */
  readonly temporary: TemporarySubscriptions;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly deps: SessionDeps,
  ) {
    this.topics = new TopicTree({ scheduler: deps.scheduler, maxTopics: deps.maxTopics });
    this.temporary = new TemporarySubscriptions(this, deps.logger, () => this.client);
    this.publisher = new SessionPublisher(
      {
        profile,
        logger: deps.logger,
        scheduler: deps.scheduler,
        client: () => this.client,
        stateKind: () => this._state.kind,
        emit: (event) => this.traffic.fire(event, this),
        queueChanged: (size) => this.queueEmitter.fire(size),
      },
      () => deps.offlineQueueLimits?.() ?? DEFAULT_OFFLINE_QUEUE_LIMITS,
    );
    this.subs = new SessionSubscriber(
      {
        profile,
        logger: deps.logger,
        connectedClient: () => (this._state.kind === 'connected' ? this.client : undefined),
        isCurrent: (c) => this.client === c,
        capabilities: () => this.publisher.capabilities,
        changed: () => this.subsEmitter.fire(),
        settled: () => this.dispatch({ type: 'subscriptionsSettled' }),
      },
      profile.subscriptions,
    );
  }

  get name(): string {
    return this.profile.name;
  }

  get state(): SessionState {
    return this._state;
  }

  get subscriptions(): readonly Subscription[] {
    return this.subs.all();
  }

  /** Publishes waiting for the connection to come back. */
  get queued(): number {
    return this.publisher.queued;
  }

  get target(): string {
    return brokerText(brokerTarget(this.profile));
  }

  /** What the broker allows (its CONNACK), while connected; the state change announces it. */
  get capabilities() {
    return this._state.kind === 'connected' ? this.publisher.capabilities : undefined;
  }

  get clientId(): string {
    return this.profile.clientId ?? this.deps.clientId;
  }

  /**
   * Connects, or while reconnecting tries again now. Resolves once connected; rejects with the
   * reason when the attempt fails (a retried connection keeps retrying in the background).
   */
  connect(): Promise<void> {
    if (this._state.kind === 'connected') return Promise.resolve();
    if (this.connectPromise) return this.connectPromise;
    const promise: Promise<void> = whenConnected(
      this.onDidChangeState,
      () => this.cancelled ?? `Connecting "${this.name}" was cancelled.`,
      () => {
        if (this.connectPromise === promise) this.connectPromise = undefined;
      },
    );
    this.connectPromise = promise;
    this.cancelled = undefined;
    this.dispatch({ type: 'connectRequested' });
    return promise;
  }

  /** Closes with DISCONNECT; fails what is queued or in flight. */
  async disconnect(): Promise<void> {
    this.dispatch({ type: 'disconnectRequested' });
    await this.closing;
  }

  /** Closes the socket without DISCONNECT, as a network failure would: the broker fires the will. */
  dropConnection(): void {
    if (this._state.kind !== 'connected' || !this.client) return;
    this.linkCause?.set('the connection was dropped on purpose (Drop Connection)');
    this.client.stream.destroy();
  }

  /** Fails every queued publish; returns how many were dropped. */
  dropQueued(): number {
    return this.publisher.dropQueued(`The publish queued on "${this.name}" was dropped.`);
  }

  /** Adds a subscription (or changes its QoS) and resolves with what the broker granted. */
  subscribe(spec: SubscriptionSpec): Promise<SubscriptionStatus> {
    return this.subs.subscribe(spec);
  }

  unsubscribe(topic: string): Promise<void> {
    return this.subs.unsubscribe(topic);
  }

  /**
   * Publishes and resolves once the broker acknowledged it (immediately for QoS 0). While the
   * connection is coming back, the publish waits in the offline queue and goes out in order.
   */
  publish(request: PublishRequest): Promise<PublishOutcome> {
    return this.publisher.publish(request);
  }

  /** Disconnects and releases everything; resolves once the connection is closed. */
  dispose(): Promise<void> {
    const closed = this.disconnect();
    this.topics.dispose();
    this.stateEmitter.dispose();
    this.subsEmitter.dispose();
    this.queueEmitter.dispose();
    // The traffic stays: the outcomes of publishes the close fails still reach the log.
    return closed;
  }

  private dispatch(event: SessionEvent): void {
    const { state, effects } = transition(this._state, event, {
      now: this.deps.scheduler.now(),
      retryDelayMs: (attempt) => reconnectDelayMs(attempt, this.deps.maxRetryDelayMs?.()),
      retryFirstConnect: this.profile.autoConnect,
    });
    if (state !== this._state) this.setState(state);
    for (const effect of effects) this.run(effect, event);
  }

  private run(effect: SessionEffect, event: SessionEvent): void {
    switch (effect) {
      case 'openClient':
        void this.openClient(++this.generation);
        return;
      case 'reopenClient':
        return this.reopenClient();
      case 'closeClient':
        return this.closeClient();
      case 'endClient':
        this.closing = this.endClient();
        return;
      case 'scheduleRetry':
        return this.scheduleRetry();
      case 'cancelRetry':
        this.retryTimer?.dispose();
        this.retryTimer = undefined;
        return;
      case 'failInFlight':
        return this.failUnacknowledged(event);
      case 'restoreSubscriptions':
        // MQTT.js first re-sends what it held in flight, one by one, then emits 'connect'.
        (this.afterReplay ??= []).push(effect);
        return;
      case 'sendQueued':
        // Handed to MQTT.js before it handles the CONNACK: it stores them behind what it
        // holds in flight and re-sends all in that order, ahead of anything published later.
        if (this.client && this.publisher.sendQueued(this.client, false))
          (this.afterReplay ??= []).push('sendQueued');
        return;
      case 'failQueued':
        this.publisher.dropQueued(
          `"${this.name}" ${this.queueFailure()}; the queued publish was not sent.`,
        );
        return;
      case 'markSubscriptionsPending':
        return this.subs.markPending(event.type !== 'disconnectRequested');
    }
  }

  private scheduleRetry(): void {
    const s = this._state;
    const at = s.kind === 'reconnecting' ? s.nextAttemptAt : undefined;
    if (s.kind === 'reconnecting' && at !== undefined) {
      const seconds = ((at - this.deps.scheduler.now()) / 1000).toFixed(1);
      this.deps.logger.warn(
        `[${this.name}] ${s.lastError ?? s.cause}; reconnect attempt ${s.attempt} in ${seconds} s`,
      );
    }
    this.retryTimer?.dispose();
    this.retryTimer = this.deps.scheduler.setTimeout(
      () => {
        this.retryTimer = undefined;
        this.dispatch({ type: 'retryTimer' });
      },
      Math.max(0, (at ?? 0) - this.deps.scheduler.now()),
    );
  }

  private async openClient(generation: number): Promise<void> {
    this.closeClient();
    const prepared = prepareClient(this.profile, this.clientId, this.target, this.deps, () => {
      return generation === this.generation;
    });
    // Awaited only when there was something to wait for: else the client opens in this tick.
    const setup = prepared instanceof Promise ? await prepared : prepared;
    switch (setup.kind) {
      case 'stale':
        return;
      case 'cancelled':
        this.cancelled = setup.message;
        return this.dispatch({ type: 'credentialsCancelled' });
      case 'handshakeFailed':
        // Told as the failed connection it foretells, so a retried profile keeps retrying.
        this.deps.logger.error(`[${this.name}] ${setup.message}`);
        this.dispatch({ type: 'transportError', message: setup.message });
        return this.dispatch({ type: 'linkClosed', cause: setup.message });
      case 'failed':
        this.deps.logger.error(`[${this.name}] ${setup.message}`);
        return this.dispatch({ type: 'setupFailed', message: setup.message });
    }
    logConnecting(this, this.deps.logger);
    const limits = this.deps.incomingLimits?.() ?? DEFAULT_INCOMING_LIMITS;
    const options = withMaximumPacketSize(setup.options, limits.maxPacketBytes);
    // Listened to before it connects, so the trace sees the first CONNECT too.
    const listenFirst = (c: MqttLink) => ((this.client = c), this.listen(c));
    const client = (this.deps.clientFactory ?? mqttJsClientFactory)(options, limits, listenFirst);
    if (this.client !== client) listenFirst(client);
  }

  private listen(client: MqttLink): void {
    this.linkCause = translateClientEvents(client, {
      profile: this.profile,
      name: this.name,
      target: this.target,
      clientId: this.clientId,
      logger: this.deps.logger,
      isCurrent: (c) => c === this.client,
      stateKind: () => this._state.kind,
      dispatch: (event) => this.dispatch(event),
      replayed: () => this.onReplayed(),
      observe: (direction, packet) => {
        this.publisher.observe(direction, packet);
        if (this.traffic.wantsPackets)
          this.traffic.fire(
            { kind: 'packet', direction, packet, time: this.deps.scheduler.now() },
            this,
          );
      },
      message: (topic, payload, packet) => this.onPublish(topic, payload, packet),
    });
  }

  /** MQTT.js has re-sent what it held in flight: now the subscriptions go out. */
  private onReplayed(): void {
    const effects = this.afterReplay ?? [];
    this.afterReplay = undefined;
    if (effects.includes('restoreSubscriptions') && this.client) this.subs.restore(this.client);
    if (effects.includes('sendQueued') && this.client) this.publisher.sendQueued(this.client, true);
  }

  /** Opens the same client again with its stores, so in-flight messages survive. */
  private reopenClient(): void {
    const client = this.client;
    if (!client) {
      void this.openClient(++this.generation);
      return;
    }
    // A v5 session with an expiry is resumed, not started afresh, after a lost link.
    if (this.profile.protocolVersion === 5 && (this.profile.sessionExpiryInterval ?? 0) > 0)
      client.options.clean = false;
    this.publisher.markStored(client);
    client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
  }

  private closeClient(): void {
    this.afterReplay = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end(true);
    this.publisher.resetLink();
  }

  /** DISCONNECT, waiting for the socket to close; a stalled broker gets 2 s before a forced close. */
  private async endClient(): Promise<void> {
    this.generation++;
    this.afterReplay = undefined;
    const client = this.client;
    this.client = undefined;
    this.publisher.resetLink();
    if (!client) return;
    await endGracefully(client, this.deps.scheduler);
    this.deps.logger.info(`[${this.name}] disconnected`);
  }

  private failUnacknowledged(event: SessionEvent): void {
    if (!this.client || event.type !== 'connackAccepted') return;
    this.publisher.failUnreleased(this.client);
    // Without the session, nothing the broker granted before still holds.
    this.subs.forgetGrants();
  }

  private onPublish(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const message = receivedMessage(topic, payload, packet, this.deps.scheduler.now());
    // The tree's copy of the topic: the store's lookup of a string it has seen is quicker.
    const node = this.topics.ingest(message);
    if (node) message.topic = node.path;
    if (this.traffic.wantsPackets) message.packet = packet;
    this.traffic.fire(message, this);
  }

  private queueFailure(): string {
    return this._state.kind === 'error' ? `failed (${this._state.message})` : 'was disconnected';
  }

  private setState(state: SessionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}
