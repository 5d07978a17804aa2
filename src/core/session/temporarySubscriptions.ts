/**
 * Subscriptions a session makes for one exchange (request/response), apart from the user's: not
 * among `MqttSession.subscriptions`, never restored after a reconnect, unsubscribed when the
 * exchange ends. One closed while the link was down is unsubscribed at the next connect when the
 * broker may have kept the session (a session expiry interval), so it cannot outlive its use.
 */
import type { Event } from '../event';
import { MqttError } from '../mqttError';
import type { Logger } from '../ports';
import type { ConnectionProfile, QoS } from '../profile/profile';
import { validateTopicFilter } from '../topics/topics';
import type { BrokerCapabilities } from './brokerCapabilities';
import type { MqttLink } from './mqttClientFactory';
import type { SessionState } from './sessionTypes';
import { requestSubscribe, requestUnsubscribe } from './subscriptionRequests';

/** What a session shows that temporary subscriptions need (an `MqttSession` is one). */
export interface TemporaryHost {
  readonly profile: ConnectionProfile;
  readonly state: SessionState;
  readonly onDidChangeState: Event<SessionState>;
  /** What the broker allows, while connected. */
  readonly capabilities: BrokerCapabilities | undefined;
  /** The user's subscriptions: their identifiers are never given to a temporary one. */
  readonly subscriptions?: readonly { subscriptionIdentifier?: number }[];
}

/** The largest subscription identifier (MQTT 5 §3.8.2.1.2); temporary ones count down from it. */
export const MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

export interface TemporarySubscription {
  readonly topic: string;
  /** The QoS the broker granted. */
  readonly qos: QoS;
  /**
   * Its own MQTT 5 subscription identifier, when one was asked for and the broker takes them:
   * the copies of a message sent for this subscription carry it.
   */
  readonly subscriptionIdentifier?: number;
  /** Unsubscribes (at the next connect when the link is down); never rejects. */
  close(): Promise<void>;
}

export class TemporarySubscriptions {
  /** Topic → its subscription identifier (undefined when it has none). */
  private readonly open = new Map<string, number | undefined>();
  private readonly answered = new Set<string>();
  /** Closed while the link was down, in a session the broker may have kept. */
  private readonly leftovers = new Set<string>();

  constructor(
    private readonly host: TemporaryHost,
    private readonly logger: Logger,
    private readonly client: () => MqttLink | undefined,
  ) {
    host.onDidChangeState((state) => {
      if (state.kind === 'connected') this.unsubscribeLeftovers();
    });
  }

  /** The topics subscribed temporarily right now. */
  get topics(): readonly string[] {
    return [...this.open.keys()];
  }

  /**
   * The identifier of the temporary subscription to `topic`, from the moment `subscribe` was
   * called (before the SUBACK: a retained message follows right behind it).
   */
  identifierOf(topic: string): number | undefined {
    return this.open.get(topic);
  }

  /**
   * Whether the broker has answered the SUBSCRIBE for `topic` (set as the SUBACK is read, before
   * any message behind it): a copy arriving earlier was sent for another subscription.
   */
  hasAnswered(topic: string): boolean {
    return this.answered.has(topic);
  }

  /**
   * Subscribes to `topic` for one exchange; rejects when not connected or refused. With
   * `identified`, on MQTT 5 when the broker takes subscription identifiers, it gets one of its
   * own (from the top of the range, none the user's), so its copies can be told from the copies
   * a broker sends for the user's overlapping subscriptions.
   */
  async subscribe(
    topic: string,
    qos: QoS,
    options: { identified?: boolean } = {},
  ): Promise<TemporarySubscription> {
    const name = this.host.profile.name;
    const error = validateTopicFilter(topic);
    if (error) throw new MqttError(error);
    if (this.open.has(topic))
      throw new MqttError(`"${topic}" is already subscribed for a request.`);
    const client = this.connectedClient();
    if (!client) throw new MqttError(`"${name}" is not connected.`);
    this.leftovers.delete(topic);
    const subscriptionIdentifier = options.identified ? this.freeIdentifier() : undefined;
    this.open.set(topic, subscriptionIdentifier);
    const sub = { topic, qos, subscriptionIdentifier, status: { kind: 'pending' } as const };
    const status = await requestSubscribe(client, sub, {
      capabilities: this.host.capabilities,
      profile: this.host.profile,
      logger: this.logger,
      isCurrent: (c) => c === this.client(),
      onAnswered: () => {
        if (this.open.has(topic)) this.answered.add(topic);
      },
    });
    if (status.kind !== 'granted') {
      this.open.delete(topic);
      this.answered.delete(topic);
      // The SUBSCRIBE may have reached a broker that keeps the session: unsubscribed when back.
      if (status.kind === 'pending' && (this.host.profile.sessionExpiryInterval ?? 0) > 0)
        this.leftovers.add(topic);
      throw new MqttError(
        status.kind === 'refused'
          ? `The broker refused the subscription to "${topic}": ${status.reason}.`
          : `"${name}" lost its connection before the broker answered the subscription to "${topic}".`,
      );
    }
    let closed: Promise<void> | undefined;
    return {
      topic,
      qos: status.qos,
      ...(subscriptionIdentifier === undefined ? {} : { subscriptionIdentifier }),
      close: () => (closed ??= this.close(topic, client)),
    };
  }

  /** An identifier no user subscription and no open temporary one has; none before MQTT 5. */
  private freeIdentifier(): number | undefined {
    if (this.host.profile.protocolVersion !== 5) return undefined;
    if (!this.host.capabilities?.subscriptionIdentifiersAvailable) return undefined;
    const taken = new Set<number | undefined>(this.open.values());
    for (const sub of [...this.host.profile.subscriptions, ...(this.host.subscriptions ?? [])])
      taken.add(sub.subscriptionIdentifier);
    let id = MAX_SUBSCRIPTION_IDENTIFIER;
    while (taken.has(id)) id--;
    return id;
  }

  private async close(topic: string, client: MqttLink): Promise<void> {
    this.open.delete(topic);
    this.answered.delete(topic);
    const now = this.connectedClient();
    if (now !== client) {
      // The link went down: the broker dropped the subscription, unless it kept the session.
      if (now || (this.host.profile.sessionExpiryInterval ?? 0) > 0) this.leftovers.add(topic);
      if (now) this.unsubscribeLeftovers();
      return;
    }
    await this.unsubscribe(client, topic);
  }

  private unsubscribeLeftovers(): void {
    const client = this.connectedClient();
    if (!client) return;
    for (const topic of this.leftovers) void this.unsubscribe(client, topic);
    this.leftovers.clear();
  }

  private async unsubscribe(client: MqttLink, topic: string): Promise<void> {
    const name = this.host.profile.name;
    try {
      await requestUnsubscribe(client, topic);
      this.logger.info(`[${name}] unsubscribed from ${topic} (temporary subscription)`);
    } catch (error) {
      this.logger.warn(`[${name}] ${(error as Error).message}`);
    }
  }

  private connectedClient(): MqttLink | undefined {
    return this.host.state.kind === 'connected' ? this.client() : undefined;
  }
}
