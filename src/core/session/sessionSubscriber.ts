/**
 * A session's subscriptions on the wire: SUBSCRIBE and UNSUBSCRIBE while connected, and after
 * a lost link either the grants the broker kept or every subscription sent again. What the
 * broker answered is recorded on each subscription (`sessionSubscriptions.ts`).
 */
import { MqttError } from '../mqttError';
import type { Logger } from '../ports';
import type { ConnectionProfile, SubscriptionSpec } from '../profile/profile';
import { validateTopicFilter } from '../topics/topics';
import type { MqttLink } from './mqttClientFactory';
import { SessionSubscriptions } from './sessionSubscriptions';
import type { Subscription, SubscriptionStatus } from './sessionTypes';
import { requestSubscribe, requestUnsubscribe } from './subscriptionRequests';
import type { BrokerCapabilities } from './brokerCapabilities';

export interface SubscriberHost {
  readonly profile: ConnectionProfile;
  readonly logger: Logger;
  /** The client while connected; undefined otherwise. */
  connectedClient(): MqttLink | undefined;
  isCurrent(client: MqttLink): boolean;
  /** What the broker of the current link allows. */
  capabilities(): BrokerCapabilities | undefined;
  /** A subscription was added, removed or answered. */
  changed(): void;
  /** Every subscription sent after a reconnect was answered on `client`. */
  settled(client: MqttLink): void;
}

export class SessionSubscriber {
  private readonly subs: SessionSubscriptions;

  constructor(
    private readonly host: SubscriberHost,
    specs: readonly SubscriptionSpec[],
  ) {
    this.subs = new SessionSubscriptions(specs);
  }

  all(): readonly Subscription[] {
    return this.subs.all();
  }

  /** Adds a subscription (or changes its QoS) and resolves with what the broker granted. */
  async subscribe(spec: SubscriptionSpec): Promise<SubscriptionStatus> {
    const error = validateTopicFilter(spec.topic);
    if (error) throw new MqttError(error);
    const sub = this.subs.add(spec);
    this.host.changed();
    const client = this.host.connectedClient();
    return client ? this.send(client, sub) : sub.status;
  }

  async unsubscribe(topic: string): Promise<void> {
    const existed = this.subs.remove(topic);
    this.host.changed();
    const client = this.host.connectedClient();
    if (!existed || !client) return;
    await requestUnsubscribe(client, topic);
    this.host.logger.info(`[${this.host.profile.name}] unsubscribed from ${topic}`);
  }

  /** The link dropped (grants may still hold) or the session ended (they do not). */
  markPending(linkLost: boolean): void {
    if (linkLost) this.subs.linkLost();
    else this.subs.forgetGrants(true);
    this.host.changed();
  }

  /** The broker did not keep the session: nothing it granted before still holds. */
  forgetGrants(): void {
    this.subs.forgetGrants(false);
  }

  /** Subscriptions the broker kept are granted again as they were; the rest are sent. */
  restore(client: MqttLink): void {
    const toSend = this.subs.restore();
    this.host.changed();
    // Failures are recorded on the subscription itself; nothing here may reject unhandled.
    void Promise.all(toSend.map((sub) => this.send(client, sub))).then(
      () => {
        if (this.host.isCurrent(client)) this.host.settled(client);
      },
      (error) => this.host.logger.error(`[${this.host.profile.name}] ${String(error)}`),
    );
  }

  private send(client: MqttLink, sub: Subscription): Promise<SubscriptionStatus> {
    return requestSubscribe(client, sub, {
      capabilities: this.host.capabilities(),
      profile: this.host.profile,
      logger: this.host.logger,
      isCurrent: (c) => this.host.isCurrent(c),
      onAnswered: (answered) => {
        if (this.subs.isCurrent(answered)) this.host.changed();
      },
    });
  }
}
