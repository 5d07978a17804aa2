/**
 * Which copies of a publication belong to a temporary subscription when the connection's other
 * subscriptions overlap it (the user subscribed to `#`, a `.mqtt` run waits on `sensors/+`).
 *
 * What brokers send for one publication matching several subscriptions of one client (measured
 * in test/broker/overlappingSubscriptions.broker.test.ts):
 * - Mosquitto 2.0 on MQTT 5: one copy per subscription, each carrying its own subscription's
 *   identifier; on MQTT 3.1.1: one copy.
 * - aedes 2.0.0-beta.1: one copy, carrying only the identifier of the first subscription it
 *   matched (MQTT 5 §3.3.4 wants all of them on a single copy), often not the temporary one's.
 *
 * So a copy carrying the temporary subscription's identifier always counts, and one without it
 * counts unless the broker sends separate copies. The broker shows which it does: two copies of
 * the same message next to each other, one carrying the identifier and one not (or two carrying
 * different identifier sets), are one publication sent per subscription; from then on copies
 * without the identifier are skipped. A copy without it counted before that evidence is answered
 * by the copy with it next to it, so the pair counts once. Left open: before any evidence, when
 * two or more of the user's subscriptions without identifiers overlap the filter, the first
 * publication's two copies without ours can both arrive ahead of ours and count twice.
 */

/** What a received message shows that tells its copies apart. */
export interface Copy {
  topic: string;
  payload: Uint8Array;
  retain: boolean;
  properties?: Record<string, unknown>;
}

/** What a connection's broker has shown about overlapping subscriptions (shared by filters). */
export interface BrokerCopies {
  /** True once it was seen sending one copy per matching subscription. */
  separateCopies: boolean;
}

/** The subscription identifiers a message carries (MQTT.js gives one number or an array). */
export function subscriptionIdentifiers(message: Copy): number[] {
  const ids = message.properties?.subscriptionIdentifier;
  if (typeof ids === 'number') return [ids];
  return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
}

/** A run of copies of the same message next to each other on the connection. */
interface Run {
  copy: Copy;
  idSets: Set<string>;
  /** Copies without the identifier that were counted and no copy with it has answered yet. */
  unanswered: number;
}

/** Decides, message by message, which copies one identified subscription counts. */
export class OwnCopies {
  private run: Run | undefined;

  constructor(
    private readonly identifier: number,
    private readonly broker: BrokerCopies,
  ) {}

  /** Whether `copy` carries this subscription's identifier. */
  owns(copy: Copy): boolean {
    return subscriptionIdentifiers(copy).includes(this.identifier);
  }

  /**
   * Call for EVERY message the connection receives, in order (adjacency is the evidence);
   * `matches` says whether it matches this subscription's filter. True: count it.
   */
  accept(copy: Copy, matches: boolean): boolean {
    if (!matches) {
      this.run = undefined;
      return false;
    }
    const ids = subscriptionIdentifiers(copy);
    const idSet = [...ids].sort((a, b) => a - b).join(',');
    let run = this.run;
    if (!run || !sameMessage(run.copy, copy))
      run = this.run = { copy, idSets: new Set(), unanswered: 0 };
    run.idSets.add(idSet);
    // The same message twice in a row, carrying different identifiers: sent per subscription.
    if (run.idSets.size > 1) this.broker.separateCopies = true;
    if (ids.includes(this.identifier)) {
      if (run.unanswered === 0) return true;
      run.unanswered--; // the copy counted just before was this publication's
      return false;
    }
    if (this.broker.separateCopies) return false;
    run.unanswered++;
    return true;
  }
}
function sameMessage(a: Copy, b: Copy): boolean {
  if (a.topic !== b.topic || a.retain !== b.retain) return false;
  if (a.payload.byteLength !== b.payload.byteLength) return false;
  return Buffer.from(a.payload).equals(Buffer.from(b.payload));
}
