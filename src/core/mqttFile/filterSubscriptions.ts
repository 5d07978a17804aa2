/**
 * The subscriptions of one plain MQTT.js run client: one broker subscription per filter, shared
 * by every block waiting on it (reference-counted), and which received copy goes to which.
 *
 * - Overlapping filters (`fp/#` and `fp/+`): on MQTT 5 each broker subscription has its own
 *   identifier and a filter counts its own copy only (`OwnCopies`: Mosquitto sends one copy per
 *   subscription, each with its identifier; aedes one copy with the first one's identifier only).
 *   Without identifiers (MQTT 3.1.1, or a broker that does not take them) the brokers measured
 *   send one copy, which every matching filter counts. A retained copy is sent for one SUBSCRIBE:
 *   when it carries identifiers, only theirs count it.
 * - A second block on a filter already subscribed subscribes again (the broker then sends the
 *   retained messages again, for it, and the QoS asked is the highest of the blocks'). A copy
 *   with the retain flag goes only to the blocks of the SUBSCRIBE whose SUBACK came last before
 *   it (live messages arrive with retain 0, as the run never asks for Retain As Published).
 */
import { OwnCopies, subscriptionIdentifiers, type BrokerCopies } from '../session/ownCopies';
import { topicMatches } from '../topics/topics';
import type { RunMessage } from './runTypes';

export interface FilterEntry {
  readonly filter: string;
  readonly onMessage: (message: RunMessage) => void;
  readonly onEnd?: (reason: string) => void;
  readonly noLocal: boolean;
  /** Which SUBSCRIBE of its filter it sent (1 = the first). */
  generation: number;
}

export interface FilterSubscription {
  readonly filter: string;
  readonly identifier: number | undefined;
  readonly entries: Set<FilterEntry>;
  /** The highest QoS asked. */
  qos: 0 | 1 | 2;
  subscribes: number;
  /** The SUBSCRIBEs sent and not answered yet, oldest first. */
  readonly unanswered: number[];
  /** The newest SUBSCRIBE the broker has granted. */
  answered: number;
  readonly copies: OwnCopies | undefined;
}

/** What to send for a new entry. */
export interface SubscribeOrder {
  subscription: FilterSubscription;
  qos: 0 | 1 | 2;
  noLocal: boolean;
}

const MAX_IDENTIFIER = 268_435_455;

export class FilterSubscriptions {
  private readonly filters = new Map<string, FilterSubscription>();
  private readonly broker: BrokerCopies = { separateCopies: false };
  private nextIdentifier = 1;

  constructor(private readonly identified: boolean) {}

  /** Adds `entry` (listening from now) and says what SUBSCRIBE to send for it. */
  add(entry: FilterEntry, qos: 0 | 1 | 2): SubscribeOrder {
    let sub = this.filters.get(entry.filter);
    if (!sub) {
      const identifier = this.identified ? this.takeIdentifier() : undefined;
      sub = {
        filter: entry.filter,
        identifier,
        entries: new Set(),
        qos,
        subscribes: 0,
        unanswered: [],
        answered: 0,
        copies: identifier === undefined ? undefined : new OwnCopies(identifier, this.broker),
      };
      this.filters.set(entry.filter, sub);
    }
    sub.qos = Math.max(sub.qos, qos) as 0 | 1 | 2;
    entry.generation = ++sub.subscribes;
    sub.unanswered.push(entry.generation);
    sub.entries.add(entry);
    // No Local only while every block on the filter asks for it.
    const noLocal = [...sub.entries].every((e) => e.noLocal);
    return { subscription: sub, qos: sub.qos, noLocal };
  }

  /**
   * The broker answered the oldest SUBSCRIBE to `filter` still unanswered. Call it when the
   * SUBACK packet arrives (packets are in the broker's order; the callbacks come later).
   */
  answered(filter: string, granted: boolean): void {
    const sub = this.filters.get(filter);
    const generation = sub?.unanswered.shift();
    if (sub && generation !== undefined && granted) sub.answered = generation;
  }

  /** Which SUBSCRIBE each filter's retained copies arriving now answer (stamp them with it). */
  retainedOwners(): Map<FilterSubscription, number> {
    return new Map([...this.filters.values()].map((sub) => [sub, sub.answered]));
  }

  /** Removes `entry`; true when it was its filter's last (then unsubscribe the filter). */
  remove(entry: FilterEntry): boolean {
    const sub = this.filters.get(entry.filter);
    if (!sub?.entries.delete(entry)) return false;
    if (sub.entries.size > 0) return false;
    this.filters.delete(entry.filter);
    return true;
  }

  /**
   * Gives a received copy to the entries it belongs to; `owners` (for a retained copy): what
   * `retainedOwners()` said when its packet arrived.
   */
  dispatch(message: RunMessage, owners?: Map<FilterSubscription, number>): void {
    const ids = subscriptionIdentifiers(message);
    for (const sub of [...this.filters.values()]) {
      const matches = topicMatches(sub.filter, message.topic);
      let accepted = sub.copies ? sub.copies.accept(message, matches) : matches;
      // A retained copy is sent for one SUBSCRIBE: with identifiers, its own filter's only.
      if (message.retain && ids.length > 0) accepted = matches && ids.includes(sub.identifier!);
      if (!accepted) continue;
      // A retained copy follows the SUBACK of the SUBSCRIBE it was sent for (both brokers
      // measured send the SUBACK first): it is the blocks' that sent that SUBSCRIBE only.
      const owner = message.retain ? (owners?.get(sub) ?? sub.answered) : 0;
      for (const entry of [...sub.entries])
        if (owner === 0 || entry.generation === owner) entry.onMessage(message);
    }
  }

  /** The client ended: every entry hears why, once, and is forgotten. */
  end(reason: string): void {
    const entries = [...this.filters.values()].flatMap((s) => [...s.entries]);
    this.filters.clear();
    for (const entry of entries) entry.onEnd?.(reason);
  }

  private takeIdentifier(): number {
    const id = this.nextIdentifier;
    this.nextIdentifier = id >= MAX_IDENTIFIER ? 1 : id + 1;
    return id;
  }
}
