/**
 * One MQTT connection defined by a profile. Its lifecycle is the transition table in
 * `sessionMachine.ts`; this class feeds that table the client's events and carries out the
 * effects it names. It also owns the subscriptions with what the broker answered for each,
 * publishing with acknowledgement tracking, the offline queue, and the topic tree.
 */
import type { IClientOptions, IPublishPacket } from 'mqtt';
import { Emitter, type Event, type Disposable } from '../event';
import type { ConnectionProfile, SubscriptionSpec } from '../profile/profile';
import { SessionSubscriptions } from './sessionSubscriptions';
import { translateClientEvents, type LinkCause } from './sessionClientEvents';
import { validateTopicFilter, validateTopicName } from '../topics/topics';
import { TopicTree } from '../topics/topicTree';
import { buildClientOptions, withMaximumPacketSize } from './clientOptions';
import { PublishHandshake } from './publishHandshake';
import { MqttError } from '../mqttError';
import { brokerText } from '../profile/brokerText';
import { reconnectDelayMs } from './reconnectBackoff';
import { requestSubscribe, requestUnsubscribe } from './subscriptionRequests';
import { requestPublish } from './publishing';
import { endGracefully, failUnreleased } from './inFlight';
import { mqttJsClientFactory, type MqttLink } from './mqttClientFactory';
import { propertiesTruncationOf } from '../incoming/incomingGuard';
import { DEFAULT_INCOMING_LIMITS } from '../incoming/packetGuard';
import { HandshakeFailed, probeProfileHandshake } from '../trust/tlsProbe';
import { hasTlsFiles, readTlsFiles } from '../trust/tlsFiles';
import { brokerTarget, brokerTrust, isUnverifiedTls } from '../trust/brokerTrust';
import { RedeliveryMarks } from './redelivery';
import { DEFAULT_OFFLINE_QUEUE_LIMITS, OfflineQueue } from './offlineQueue';
import {
  connectOutcome,
  transition,
  type SessionEffect,
  type SessionEvent,
} from './sessionMachine';
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
  private readonly subs: SessionSubscriptions;
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
  private handshake = new PublishHandshake();
  private redelivery = new RedeliveryMarks();
  private readonly queue: OfflineQueue;

  private readonly stateEmitter = new Emitter<SessionState>();
  readonly onDidChangeState: Event<SessionState> = this.stateEmitter.event;
  private readonly subsEmitter = new Emitter<void>();
  readonly onDidChangeSubscriptions: Event<void> = this.subsEmitter.event;
  private readonly messageEmitter = new Emitter<ReceivedMessage>();
  readonly onMessage: Event<ReceivedMessage> = this.messageEmitter.event;
  private readonly queueEmitter = new Emitter<number>();
  /** The number of queued publishes changed. */
  readonly onDidChangeQueue: Event<number> = this.queueEmitter.event;

  readonly topics: TopicTree;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly deps: SessionDeps,
  ) {
    this.topics = new TopicTree({ scheduler: deps.scheduler, maxTopics: deps.maxTopics });
    this.queue = new OfflineQueue(
      () => deps.offlineQueueLimits?.() ?? DEFAULT_OFFLINE_QUEUE_LIMITS,
    );
    this.subs = new SessionSubscriptions(profile.subscriptions);
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
    return this.queue.size;
  }

  get target(): string {
    return brokerText(brokerTarget(this.profile));
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
    const promise = new Promise<void>((resolve, reject) => {
      const listener = this.onDidChangeState((state) => {
        const outcome = connectOutcome(
          state,
          this.cancelled ?? `Connecting "${this.name}" was cancelled.`,
        );
        if (outcome === 'pending') return;
        listener.dispose();
        if (this.connectPromise === promise) this.connectPromise = undefined;
        if (outcome === 'connected') resolve();
        else reject(outcome);
      });
    });
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
    const dropped = this.queue.dropAll(`The publish queued on "${this.name}" was dropped.`);
    if (dropped) this.queueEmitter.fire(0);
    return dropped;
  }

  /** Adds a subscription (or changes its QoS) and resolves with what the broker granted. */
  async subscribe(spec: SubscriptionSpec): Promise<SubscriptionStatus> {
    const error = validateTopicFilter(spec.topic);
    if (error) throw new MqttError(error);
    const sub = this.subs.add(spec);
    this.subsEmitter.fire();
    if (this._state.kind !== 'connected') return sub.status;
    return this.sendSubscribe(sub);
  }

  async unsubscribe(topic: string): Promise<void> {
    const existed = this.subs.remove(topic);
    this.subsEmitter.fire();
    const client = this.client;
    if (!existed || !client || this._state.kind !== 'connected') return;
    await requestUnsubscribe(client, topic);
    this.deps.logger.info(`[${this.name}] unsubscribed from ${topic}`);
  }

  /**
   * Publishes and resolves once the broker acknowledged it (immediately for QoS 0). While the
   * connection is coming back, the publish waits in the offline queue and goes out in order.
   */
  publish(request: PublishRequest): Promise<PublishOutcome> {
    const error = validateTopicName(request.topic);
    if (error) return Promise.reject(new MqttError(error));
    const client = this.client;
    // While MQTT.js re-sends what was in flight it holds new publishes back, in order; only
    // queued publishes still waiting for the end of that keep newer ones behind them.
    const ready = this._state.kind === 'connected' && client && this.queue.size === 0;
    if (ready) return this.send(client, request);
    if (this._state.kind === 'reconnecting' || this._state.kind === 'connected') {
      const before = this.queue.size;
      const queued = this.queue.add(request, this.name);
      if (this.queue.size !== before) this.queueEmitter.fire(this.queue.size);
      return queued;
    }
    return Promise.reject(
      new MqttError(`"${this.name}" is not connected; connect it before publishing.`),
    );
  }

  /** Disconnects and releases everything; resolves once the connection is closed. */
  dispose(): Promise<void> {
    const closed = this.disconnect();
    this.topics.dispose();
    this.stateEmitter.dispose();
    this.subsEmitter.dispose();
    this.messageEmitter.dispose();
    this.queueEmitter.dispose();
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
      case 'scheduleRetry': {
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
        return;
      }
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
        if (this.client) this.sendQueued(this.client);
        return;
      case 'failQueued':
        if (
          this.queue.dropAll(
            `"${this.name}" ${this.queueFailure()}; the queued publish was not sent.`,
          )
        )
          this.queueEmitter.fire(0);
        return;
      case 'markSubscriptionsPending':
        return this.markSubscriptionsPending(event.type !== 'disconnectRequested');
    }
  }

  private async openClient(generation: number): Promise<void> {
    this.closeClient();
    let options: IClientOptions;
    try {
      // Read without blocking: a FIFO or /dev/zero in tls.ca is refused, never waited on.
      // (Awaited only when there are files: without, the client opens in the same tick.)
      const files = hasTlsFiles(this.profile)
        ? await readTlsFiles(this.profile, { baseDir: this.deps.baseDir })
        : {};
      if (generation !== this.generation) return;
      const password = this.profile.username
        ? await this.deps.getPassword(
            this.profile,
            () =>
              probeProfileHandshake(
                this.profile,
                this.clientId,
                files,
                this.deps.scheduler,
                this.target,
              ),
            brokerTrust(this.profile, files),
          )
        : undefined;
      // The user may have disconnected, or the profile may have gone, while the prompt was open.
      if (generation !== this.generation) return;
      if (this.profile.username && password === undefined) {
        this.cancelled = `Connecting "${this.name}" was cancelled: no password was entered.`;
        return this.dispatch({ type: 'credentialsCancelled' });
      }
      options = buildClientOptions(this.profile, this.clientId, password, files);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof HandshakeFailed) {
        // Told as the failed connection it foretells, so a retried profile keeps retrying.
        this.deps.logger.error(`[${this.name}] ${error.message}`);
        this.dispatch({ type: 'transportError', message: error.message });
        this.dispatch({ type: 'linkClosed', cause: error.message });
      } else {
        this.deps.logger.error(`[${this.name}] ${errorMessage(error)}`);
        this.dispatch({ type: 'setupFailed', message: errorMessage(error) });
      }
      return;
    }
    if (isUnverifiedTls(this.profile)) {
      this.deps.logger.warn(
        `[${this.name}] TLS certificate verification is turned off for ${this.target}.`,
      );
    }
    this.deps.logger.info(
      `[${this.name}] connecting to ${this.target} as "${this.clientId}" (MQTT ${this.profile.protocolVersion === 5 ? '5.0' : '3.1.1'})`,
    );
    const limits = this.deps.incomingLimits?.() ?? DEFAULT_INCOMING_LIMITS;
    options = withMaximumPacketSize(options, limits.maxPacketBytes);
    const client = (this.deps.clientFactory ?? mqttJsClientFactory)(options, limits);
    this.client = client;
    this.listen(client);
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
        this.handshake.observe(direction, packet);
        this.redelivery.observe(direction, packet);
      },
      message: (topic, payload, packet) => this.onPublish(topic, payload, packet),
    });
  }

  /** MQTT.js has re-sent what it held in flight: now the subscriptions go out. */
  private onReplayed(): void {
    const effects = this.afterReplay ?? [];
    this.afterReplay = undefined;
    if (effects.includes('restoreSubscriptions')) this.restoreSubscriptions();
    if (effects.includes('sendQueued') && this.client) this.sendQueued(this.client, true);
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
    this.redelivery.markStored(client.outgoingStore);
    client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
  }

  private closeClient(): void {
    this.afterReplay = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end(true);
    this.handshake = new PublishHandshake();
    this.redelivery = new RedeliveryMarks();
  }

  /** DISCONNECT, waiting for the socket to close; a stalled broker gets 2 s before a forced close. */
  private async endClient(): Promise<void> {
    this.generation++;
    this.afterReplay = undefined;
    const client = this.client;
    this.client = undefined;
    this.handshake = new PublishHandshake();
    this.redelivery = new RedeliveryMarks();
    if (!client) return;
    await endGracefully(client, this.deps.scheduler);
    this.deps.logger.info(`[${this.name}] disconnected`);
  }

  private failUnacknowledged(event: SessionEvent): void {
    if (!this.client || event.type !== 'connackAccepted') return;
    const failed = failUnreleased(
      this.client,
      'the broker accepted it (PUBREC) but lost the session before releasing it, so it was most likely not delivered',
    );
    if (failed)
      this.deps.logger.warn(
        `[${this.name}] the broker did not keep the session: ${failed} QoS 2 publish(es) it had accepted but not released failed; unacknowledged publishes are sent again`,
      );
    // Without the session, nothing the broker granted before still holds.
    this.subs.forgetGrants(false);
  }

  private markSubscriptionsPending(linkLost: boolean): void {
    if (linkLost) this.subs.linkLost();
    else this.subs.forgetGrants(true);
    this.subsEmitter.fire();
  }

  /** Subscriptions the broker kept are granted again as they were; the rest are sent. */
  private restoreSubscriptions(): void {
    const toSend = this.subs.restore();
    this.subsEmitter.fire();
    const client = this.client;
    // Failures are recorded on the subscription itself; nothing here may reject unhandled.
    void Promise.all(toSend.map((sub) => this.sendSubscribe(sub))).then(
      () => {
        if (this.client === client) this.dispatch({ type: 'subscriptionsSettled' });
      },
      (error) => this.deps.logger.error(`[${this.name}] ${String(error)}`),
    );
  }

  /**
   * Sends the queue in order. Called at the CONNACK, QoS 1/2 publishes join MQTT.js's store
   * behind what it re-sends; a QoS 0 one would overtake them (MQTT.js sends those on 'connect',
   * after the re-sending), so from the first QoS 0 on the rest waits until then.
   */
  private sendQueued(client: MqttLink, replayed = false): void {
    const entries = this.queue.takeAll();
    if (entries.length === 0) return;
    const firstQos0 = replayed ? -1 : entries.findIndex((e) => e.request.qos === 0);
    const now = firstQos0 === -1 ? entries : entries.slice(0, firstQos0);
    if (firstQos0 !== -1) {
      this.queue.putBack(entries.slice(firstQos0));
      (this.afterReplay ??= []).push('sendQueued');
    }
    if (now.length === 0) return;
    this.deps.logger.info(`[${this.name}] sending ${now.length} queued publish(es)`);
    this.queueEmitter.fire(this.queue.size);
    for (const entry of now) this.send(client, entry.request).then(entry.resolve, entry.reject);
  }

  private send(client: MqttLink, request: PublishRequest): Promise<PublishOutcome> {
    return requestPublish(client, request, {
      profile: this.profile,
      logger: this.deps.logger,
      scheduler: this.deps.scheduler,
      takeHandshake: (messageId) => this.handshake.take(messageId),
    });
  }

  private sendSubscribe(sub: Subscription): Promise<SubscriptionStatus> {
    const client = this.client;
    if (!client) return Promise.resolve(sub.status);
    return requestSubscribe(client, sub, {
      profile: this.profile,
      logger: this.deps.logger,
      isCurrent: (c) => this.client === c,
      onAnswered: (answered) => {
        if (this.subs.isCurrent(answered)) this.subsEmitter.fire();
      },
    });
  }

  private onPublish(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const message: ReceivedMessage = {
      topic,
      payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      properties: packet.properties as Record<string, unknown> | undefined,
      receivedAt: this.deps.scheduler.now(),
    };
    const truncation = propertiesTruncationOf(packet);
    if (truncation) message.propertiesTruncated = truncation;
    // The tree's copy of the topic: the store's lookup of a string it has seen is quicker.
    const node = this.topics.ingest(message);
    if (node) message.topic = node.path;
    this.messageEmitter.fire(message);
  }

  private queueFailure(): string {
    return this._state.kind === 'error' ? `failed (${this._state.message})` : 'was disconnected';
  }

  private setState(state: SessionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
