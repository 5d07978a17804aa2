/**
 * One MQTT connection defined by a profile, over MQTT.js. It owns the connection state, the
 * subscriptions with what the broker answered for each, publishing with acknowledgement
 * tracking, and the topic tree of what it received.
 */
import * as mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import { Emitter, type Event } from './event';
import type { ConnectionProfile, SubscriptionSpec } from './profile';
import { describeConnectionError, reasonName } from './reasons';
import { validateTopicFilter, validateTopicName } from './topics';
import { TopicTree } from './topicTree';
import { buildClientOptions } from './clientOptions';
import { PublishHandshake } from './publishHandshake';
import { MqttError } from './mqttError';
import { ReconnectBackoff } from './reconnectBackoff';
import { requestSubscribe, requestUnsubscribe } from './subscriptionRequests';
import { requestPublish } from './publishing';
import { failInFlight } from './inFlight';
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
  private client: MqttClient | undefined;
  private _state: SessionState = { kind: 'disconnected' };
  private readonly subs = new Map<string, Subscription>();
  private reconnectTimer: { dispose(): void } | undefined;
  private userClosed = false;
  /** Bumped by every connect() and disconnect(): a stale attempt sees a different number. */
  private attempt = 0;
  /** The connect() in progress, returned to callers who ask again meanwhile. */
  private connecting: Promise<void> | undefined;
  /** Rejects the connect() in progress when disconnect() cancels it. */
  private cancelConnect: ((error: Error) => void) | undefined;
  /** The delay before each reconnect; reset once a connection has stayed up a while. */
  private readonly backoff: ReconnectBackoff;
  /** Set when the broker ended the session for a reason that retrying cannot fix. */
  private terminalReason: string | undefined;
  private handshake = new PublishHandshake();

  private readonly stateEmitter = new Emitter<SessionState>();
  readonly onDidChangeState: Event<SessionState> = this.stateEmitter.event;
  private readonly subsEmitter = new Emitter<void>();
  readonly onDidChangeSubscriptions: Event<void> = this.subsEmitter.event;
  private readonly messageEmitter = new Emitter<ReceivedMessage>();
  readonly onMessage: Event<ReceivedMessage> = this.messageEmitter.event;

  readonly topics: TopicTree;

  constructor(
    readonly profile: ConnectionProfile,
    private readonly deps: SessionDeps,
  ) {
    this.topics = new TopicTree({ scheduler: deps.scheduler, maxTopics: deps.maxTopics });
    this.backoff = new ReconnectBackoff(deps.scheduler);
    for (const spec of profile.subscriptions)
      this.subs.set(spec.topic, { ...spec, status: { kind: 'pending' } });
  }

  get name(): string {
    return this.profile.name;
  }

  get state(): SessionState {
    return this._state;
  }

  get subscriptions(): readonly Subscription[] {
    return [...this.subs.values()];
  }

  get target(): string {
    const { protocol, host, port } = this.profile;
    return `${protocol}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  get clientId(): string {
    return this.profile.clientId ?? this.deps.clientId;
  }

  /** Connects; resolves once connected and rejects with the reason when it fails. */
  connect(): Promise<void> {
    if (this._state.kind === 'connected') return Promise.resolve();
    if (this.connecting) return this.connecting;
    const attempt = ++this.attempt;
    this.connecting = this.runConnect(attempt).finally(() => {
      if (this.attempt === attempt) {
        this.connecting = undefined;
        this.cancelConnect = undefined;
      }
    });
    return this.connecting;
  }

  private async runConnect(attempt: number): Promise<void> {
    this.teardownClient();
    this.userClosed = false;
    this.terminalReason = undefined;
    this.backoff.reset();
    this.setState({ kind: 'connecting' });
    const cancelled = () => new MqttError(`Connecting "${this.name}" was cancelled.`);
    let options: IClientOptions;
    try {
      const password = this.profile.username
        ? await this.deps.getPassword(this.profile)
        : undefined;
      // The user may have disconnected, or the profile may have gone, while the prompt was open.
      if (attempt !== this.attempt) throw cancelled();
      if (this.profile.username && password === undefined) {
        this.setState({ kind: 'disconnected' });
        throw new MqttError(`Connecting "${this.name}" was cancelled: no password was entered.`);
      }
      options = buildClientOptions(this.profile, this.clientId, password, this.deps.baseDir);
    } catch (error) {
      if (attempt === this.attempt && this.state.kind === 'connecting')
        this.fail(error instanceof Error ? error.message : String(error));
      throw error;
    }
    if (this.profile.tls && !this.profile.tls.rejectUnauthorized) {
      this.deps.logger.warn(
        `[${this.name}] TLS certificate verification is turned off for ${this.target}.`,
      );
    }
    this.deps.logger.info(
      `[${this.name}] connecting to ${this.target} as "${this.clientId}" (MQTT ${this.profile.protocolVersion === 5 ? '5.0' : '3.1.1'})`,
    );
    return new Promise<void>((resolve, reject) => {
      const client = mqtt.connect(options);
      this.client = client;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve();
      };
      this.cancelConnect = (error) => settle(error);
      client.on('connect', (connack) => {
        if (client !== this.client) {
          client.end(true); // a connection nobody wants any more
          return;
        }
        this.setState({ kind: 'connected', since: this.deps.scheduler.now() });
        this.deps.logger.info(
          `[${this.name}] connected${connack.sessionPresent ? ' (session present)' : ''}`,
        );
        // Only a connection that stays up resets the backoff.
        this.backoff.connected();
        if (!connack.sessionPresent || this.hasUnsettledSubs()) this.subscribeAll();
        settle();
      });
      client.on('error', (error) => {
        if (client !== this.client) return;
        const message = describeConnectionError(
          error,
          this.target,
          this.profile.protocolVersion,
          this.profile.connectTimeout,
        );
        this.deps.logger.error(`[${this.name}] ${message}`);
        const code = (error as { code?: unknown }).code;
        const refused = typeof code === 'number';
        if (this._state.kind === 'connecting' || (this._state.kind === 'reconnecting' && refused)) {
          // A CONNACK refusal (bad credentials, not authorized, banned) does not heal by retrying.
          this.fail(message, refused ? code : undefined);
          this.teardownClient();
          settle(new MqttError(message, refused ? code : undefined));
        } else if (this._state.kind === 'reconnecting') {
          this.setState({ ...this._state, lastError: message });
        }
      });
      client.on('close', () => {
        if (client !== this.client) return;
        this.onClosed();
        if (this._state.kind === 'error' || this._state.kind === 'disconnected')
          settle(new MqttError(this.errorText()));
      });
      client.on('disconnect', (packet) => {
        const code = packet.reasonCode ?? 0;
        const why = `${reasonName(code)}${packet.properties?.reasonString ? ` (${packet.properties.reasonString})` : ''}`;
        this.deps.logger.warn(`[${this.name}] the broker sent DISCONNECT: ${why}`);
        if (code === 0x8e) {
          this.terminalReason = `Another client with the client id "${this.clientId}" took over the session (${why}). Give this profile its own "clientId".`;
        }
      });
      client.on('message', (topic, payload, packet) => this.onPublish(topic, payload, packet));
      client.on('packetreceive', (packet) => this.handshake.observe('received', packet));
      client.on('packetsend', (packet) => this.handshake.observe('sent', packet));
    });
  }

  async disconnect(): Promise<void> {
    const wasConnected = this._state.kind === 'connected';
    this.userClosed = true;
    this.attempt++;
    this.reconnectTimer?.dispose();
    this.reconnectTimer = undefined;
    this.backoff.cancelStable();
    const client = this.client;
    this.client = undefined;
    this.cancelConnect?.(new MqttError(`Connecting "${this.name}" was cancelled.`));
    this.connecting = undefined;
    this.cancelConnect = undefined;
    for (const sub of this.subs.values()) sub.status = { kind: 'pending' };
    this.subsEmitter.fire();
    this.setState({ kind: 'disconnected' });
    if (client) {
      // A graceful end waits for every unacknowledged packet; a stalled broker would keep it
      // waiting forever, so fail those first and force the close after a grace period.
      failInFlight(client);
      // Nothing to say goodbye to when the broker never accepted the connection.
      if (!wasConnected) client.end(true);
      await new Promise<void>((resolve) => {
        const force = this.deps.scheduler.setTimeout(
          () => client.end(true, {}, () => resolve()),
          2_000,
        );
        client.end(false, {}, () => {
          force.dispose();
          resolve();
        });
      });
      this.deps.logger.info(`[${this.name}] disconnected`);
    }
  }

  /** Adds a subscription (or changes its QoS) and resolves with what the broker granted. */
  async subscribe(spec: SubscriptionSpec): Promise<SubscriptionStatus> {
    const error = validateTopicFilter(spec.topic);
    if (error) throw new MqttError(error);
    const sub: Subscription = { ...spec, status: { kind: 'pending' } };
    this.subs.set(spec.topic, sub);
    this.subsEmitter.fire();
    if (this._state.kind !== 'connected') return sub.status;
    return this.sendSubscribe(sub);
  }

  async unsubscribe(topic: string): Promise<void> {
    const existed = this.subs.delete(topic);
    this.subsEmitter.fire();
    const client = this.client;
    if (!existed || !client || this._state.kind !== 'connected') return;
    await requestUnsubscribe(client, topic);
    this.deps.logger.info(`[${this.name}] unsubscribed from ${topic}`);
  }

  /** Publishes and resolves once the broker acknowledged it (immediately for QoS 0). */
  publish(request: PublishRequest): Promise<PublishOutcome> {
    const error = validateTopicName(request.topic);
    if (error) return Promise.reject(new MqttError(error));
    const client = this.client;
    if (!client || this._state.kind !== 'connected') {
      return Promise.reject(
        new MqttError(`"${this.name}" is not connected; connect it before publishing.`),
      );
    }
    return requestPublish(client, request, {
      profile: this.profile,
      logger: this.deps.logger,
      scheduler: this.deps.scheduler,
      takeHandshake: (messageId) => this.handshake.take(messageId),
    });
  }

  /** Disconnects and releases everything; resolves once the connection is closed. */
  dispose(): Promise<void> {
    const closed = this.disconnect();
    this.topics.dispose();
    this.stateEmitter.dispose();
    this.subsEmitter.dispose();
    this.messageEmitter.dispose();
    return closed;
  }

  private onPublish(topic: string, payload: Buffer, packet: mqtt.IPublishPacket): void {
    const message: ReceivedMessage = {
      topic,
      payload,
      qos: packet.qos,
      retain: packet.retain,
      dup: packet.dup,
      properties: packet.properties as Record<string, unknown> | undefined,
      receivedAt: this.deps.scheduler.now(),
    };
    this.topics.ingest(message);
    this.messageEmitter.fire(message);
  }

  private hasUnsettledSubs(): boolean {
    return [...this.subs.values()].some((s) => s.status.kind !== 'granted');
  }

  private subscribeAll(): void {
    for (const sub of this.subs.values()) {
      // Failures are recorded on the subscription itself; nothing here may reject unhandled.
      this.sendSubscribe(sub).catch((error) =>
        this.deps.logger.error(`[${this.name}] ${String(error)}`),
      );
    }
  }

  private sendSubscribe(sub: Subscription): Promise<SubscriptionStatus> {
    const client = this.client;
    if (!client) return Promise.resolve(sub.status);
    return requestSubscribe(client, sub, {
      profile: this.profile,
      logger: this.deps.logger,
      isCurrent: (c) => this.client === c,
      onAnswered: (answered) => {
        if (this.subs.get(answered.topic) === answered) this.subsEmitter.fire();
      },
    });
  }

  private onClosed(): void {
    if (this._state.kind === 'connecting') {
      this.fail(
        `${this.target} closed the connection before accepting it. Check the port and whether it expects TLS.`,
      );
    }
    for (const sub of this.subs.values())
      if (sub.status.kind === 'granted') sub.status = { kind: 'pending' };
    this.subsEmitter.fire();
    this.backoff.cancelStable();
    if (this.terminalReason && !this.userClosed) this.fail(this.terminalReason);
    if (this.userClosed || this._state.kind === 'error' || this._state.kind === 'disconnected') {
      this.teardownClient();
      return;
    }
    if (this.client) failInFlight(this.client);
    // The connection was up and dropped: retry with backoff, keeping the last error visible.
    const lastError =
      this._state.kind === 'reconnecting' ? this._state.lastError : 'The connection was lost.';
    const retry = this.backoff.next();
    this.setState({ kind: 'reconnecting', attempt: retry.attempt, lastError });
    this.deps.logger.warn(
      `[${this.name}] connection lost; reconnect attempt ${retry.attempt} in ${retry.delayMs / 1000} s`,
    );
    this.reconnectTimer?.dispose();
    this.reconnectTimer = this.deps.scheduler.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.userClosed && this.client) this.client.reconnect();
    }, retry.delayMs);
  }

  private fail(message: string, reasonCode?: number): void {
    this.setState({ kind: 'error', message, reasonCode });
  }

  private errorText(): string {
    return this._state.kind === 'error'
      ? this._state.message
      : `Connecting "${this.name}" was cancelled.`;
  }

  private teardownClient(): void {
    this.backoff.cancelStable();
    this.reconnectTimer?.dispose();
    this.reconnectTimer = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end(true);
    this.handshake = new PublishHandshake();
  }

  private setState(state: SessionState): void {
    this._state = state;
    this.stateEmitter.fire(state);
  }
}
