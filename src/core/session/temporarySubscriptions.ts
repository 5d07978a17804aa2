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
}

export interface TemporarySubscription {
  readonly topic: string;
  /** The QoS the broker granted. */
  readonly qos: QoS;
  /** Unsubscribes (at the next connect when the link is down); never rejects. */
  close(): Promise<void>;
}

export class TemporarySubscriptions {
  private readonly open = new Set<string>();
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
    return [...this.open];
  }

  /** Subscribes to `topic` for one exchange; rejects when not connected or refused. */
  async subscribe(topic: string, qos: QoS): Promise<TemporarySubscription> {
    const name = this.host.profile.name;
    const error = validateTopicFilter(topic);
    if (error) throw new MqttError(error);
    if (this.open.has(topic))
      throw new MqttError(`"${topic}" is already subscribed for a request.`);
    const client = this.connectedClient();
    if (!client) throw new MqttError(`"${name}" is not connected.`);
    this.leftovers.delete(topic);
    this.open.add(topic);
    const sub = { topic, qos, status: { kind: 'pending' } as const };
    const status = await requestSubscribe(client, sub, {
      capabilities: this.host.capabilities,
      profile: this.host.profile,
      logger: this.logger,
      isCurrent: (c) => c === this.client(),
      onAnswered: () => {},
    });
    if (status.kind !== 'granted') {
      this.open.delete(topic);
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
      close: () => (closed ??= this.close(topic, client)),
    };
  }

  private async close(topic: string, client: MqttLink): Promise<void> {
    this.open.delete(topic);
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
