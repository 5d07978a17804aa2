/**
 * A session's subscriptions and what the broker answered for each. Across a lost link it
 * remembers what was granted: when the broker kept the session those grants still hold and
 * nothing is sent again (re-subscribing would make the broker send every retained message
 * again); when it did not, every subscription is sent afresh.
 */
import type { QoS, SubscriptionSpec } from '../profile/profile';
import type { Subscription } from './sessionTypes';

export class SessionSubscriptions {
  private readonly subs = new Map<string, Subscription>();
  /** What the broker granted before the link dropped. */
  private readonly grantsBeforeDrop = new Map<string, QoS>();

  constructor(specs: readonly SubscriptionSpec[]) {
    for (const spec of specs) this.subs.set(spec.topic, { ...spec, status: { kind: 'pending' } });
  }

  all(): Subscription[] {
    return [...this.subs.values()];
  }

  /** True when `sub` is still the subscription for its topic (not replaced or removed). */
  isCurrent(sub: Subscription): boolean {
    return this.subs.get(sub.topic) === sub;
  }

  /** Adds or replaces a subscription; it is pending until the broker answers. */
  add(spec: SubscriptionSpec): Subscription {
    const sub: Subscription = { ...spec, status: { kind: 'pending' } };
    this.subs.set(spec.topic, sub);
    this.grantsBeforeDrop.delete(spec.topic);
    return sub;
  }

  remove(topic: string): boolean {
    this.grantsBeforeDrop.delete(topic);
    return this.subs.delete(topic);
  }

  /** The link dropped: grants are pending again, remembered in case the session is kept. */
  linkLost(): void {
    for (const sub of this.subs.values()) {
      if (sub.status.kind !== 'granted') continue;
      this.grantsBeforeDrop.set(sub.topic, sub.status.qos);
      sub.status = { kind: 'pending' };
    }
  }

  /** Disconnected (or the broker lost the session): nothing granted holds any more. */
  forgetGrants(resetAll: boolean): void {
    this.grantsBeforeDrop.clear();
    if (resetAll) for (const sub of this.subs.values()) sub.status = { kind: 'pending' };
  }

  /** Restores the grants the broker kept; returns the subscriptions that must be sent. */
  restore(): Subscription[] {
    const toSend: Subscription[] = [];
    for (const sub of this.subs.values()) {
      const kept = this.grantsBeforeDrop.get(sub.topic);
      if (kept !== undefined) sub.status = { kind: 'granted', qos: kept };
      else if (sub.status.kind !== 'granted') toSend.push(sub);
    }
    this.grantsBeforeDrop.clear();
    return toSend;
  }
}
