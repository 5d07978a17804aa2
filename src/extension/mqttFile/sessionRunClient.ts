/**
 * A `.mqtt` file's default client over one of the user's connections (an `MqttSession`): its
 * publishes go through `session.publish`, so the traffic hub logs them like any other, and its
 * subscriptions are temporary ones (never among the user's subscriptions, unsubscribed after).
 * Closing it only stops using the connection: the user's connection stays up. A session reconnects
 * by itself, so a subscription is never told its client ended (`onEnd` is not called), and its
 * temporary subscriptions cannot ask for No Local (`noLocal` stays unset: a REQUEST then skips its
 * own request's copy, see requestStep.ts). Free of vscode
 * (`import type` of the session), so a broker test drives it over a real session.
 */
import type { IClientPublishOptions } from 'mqtt';
import type { Disposable } from '../../core/event';
import type {
  RunClient,
  RunMessage,
  RunPublish,
  RunPublishResult,
  RunSubscription,
} from '../../core/mqttFile/runTypes';
import type { MqttSession } from '../../core/session/session';
import { OwnCopies, type BrokerCopies } from '../../core/session/ownCopies';
import type { TemporarySubscription } from '../../core/session/temporarySubscriptions';
import type { OutgoingTraffic } from '../../core/traffic/trafficTypes';
import { topicMatches } from '../../core/topics/topics';

type Session = Pick<
  MqttSession,
  'name' | 'profile' | 'state' | 'publish' | 'temporary' | 'onMessage' | 'onTraffic'
>;

/** One temporary subscription per filter, shared by the blocks that wait on that filter. */
interface SharedFilter {
  subscription: Promise<TemporarySubscription>;
  listeners: Set<(message: RunMessage) => void>;
  /** With its own identifier (MQTT 5): which copies are its own when subscriptions overlap. */
  copies?: OwnCopies;
}

/** What each connection's broker showed about overlapping subscriptions, across runs. */
const brokerCopies = new WeakMap<object, BrokerCopies>();

/**
 * Connects `session` if it is not connected (`connect` says whether it could) and returns a
 * client over it; rejects with a sentence naming the connection when it cannot be used.
 */
export async function sessionRunClient(
  session: Session,
  connect: (session: Session) => Promise<boolean>,
): Promise<RunClient> {
  if (session.state.kind !== 'connected' && !(await connect(session)))
    throw new Error(`The connection "${session.name}" is not connected.`);
  return new SessionRunClient(session);
}

class SessionRunClient implements RunClient {
  private readonly filters = new Map<string, SharedFilter>();
  private readonly listening: Disposable;
  private closed = false;

  constructor(private readonly session: Session) {
    this.listening = session.onMessage((message) => {
      // A broker may send one copy per matching subscription (the user's `#` and the run's
      // filter): each filter counts its own copy only (see ownCopies.ts). Without identifiers
      // (MQTT 3.1.1) the brokers measured send one copy.
      for (const [filter, shared] of this.filters) {
        // Before the SUBACK, a copy is the user's subscription's unless it carries ours.
        const ours = this.session.temporary.hasAnswered(filter) || shared.copies?.owns(message);
        const matches = ours === true && topicMatches(filter, message.topic);
        if (shared.copies ? !shared.copies.accept(message, matches) : !matches) continue;
        for (const listener of shared.listeners) listener(message);
      }
    });
  }

  get name(): string {
    return this.session.name;
  }

  get protocolVersion(): 4 | 5 {
    return this.session.profile.protocolVersion === 4 ? 4 : 5;
  }

  async publish(message: RunPublish): Promise<RunPublishResult> {
    this.assertOpen();
    // The session announces the publish synchronously, and the log has written its seq on it
    // by then (it listens first): catch that announcement.
    let seq: number | undefined;
    const watch = this.session.onTraffic((event) => {
      if (event.kind === 'out' && seq === undefined && sameMessage(event, message)) seq = event.seq;
    });
    let outcome: ReturnType<Session['publish']>;
    try {
      outcome = this.session.publish({
        topic: message.topic,
        payload: message.payload,
        qos: message.qos,
        retain: message.retain,
        properties: message.properties as IClientPublishOptions['properties'],
      });
    } finally {
      watch.dispose();
    }
    const done = await outcome;
    return { elapsedMs: done.elapsedMs, handshake: done.handshake, seq };
  }

  async subscribe(
    filter: string,
    qos: 0 | 1 | 2,
    onMessage: (message: RunMessage) => void,
  ): Promise<RunSubscription> {
    this.assertOpen();
    let shared = this.filters.get(filter);
    if (!shared) {
      const subscription = this.session.temporary.subscribe(filter, qos, { identified: true });
      const id = this.session.temporary.identifierOf(filter);
      const created: SharedFilter = {
        subscription,
        listeners: new Set(),
        ...(id === undefined ? {} : { copies: new OwnCopies(id, this.brokerCopies()) }),
      };
      shared = created;
      this.filters.set(filter, created);
      created.subscription.catch(() => {
        if (this.filters.get(filter) === created) this.filters.delete(filter);
      });
    }
    // Listening before the SUBACK: the broker sends retained messages right behind it.
    const listener = (message: RunMessage) => onMessage(message);
    shared.listeners.add(listener);
    let temporary: TemporarySubscription;
    try {
      temporary = await shared.subscription;
    } catch (error) {
      shared.listeners.delete(listener);
      throw error;
    }
    let closing: Promise<void> | undefined;
    const owner = shared;
    return {
      grantedQos: temporary.qos,
      close: () => (closing ??= this.release(filter, owner, listener)),
    };
  }

  /** Stops using the connection: unsubscribes what the run subscribed; never disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening.dispose();
    const all = [...this.filters.values()];
    this.filters.clear();
    await Promise.all(
      all.map((f) =>
        f.subscription.then(
          (s) => s.close(),
          () => undefined,
        ),
      ),
    );
  }

  /** The user's connection is never dropped by a file: this only stops using it. */
  drop(): void {
    void this.close();
  }

  private async release(
    filter: string,
    shared: SharedFilter,
    listener: (message: RunMessage) => void,
  ): Promise<void> {
    shared.listeners.delete(listener);
    if (shared.listeners.size > 0 || this.filters.get(filter) !== shared) return;
    this.filters.delete(filter);
    const temporary = await shared.subscription.catch(() => undefined);
    await temporary?.close();
  }

  private brokerCopies(): BrokerCopies {
    let seen = brokerCopies.get(this.session);
    if (!seen) brokerCopies.set(this.session, (seen = { separateCopies: false }));
    return seen;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error(`The run no longer uses "${this.session.name}".`);
  }
}

function sameMessage(event: OutgoingTraffic, message: RunPublish): boolean {
  return (
    event.topic === message.topic && event.qos === message.qos && event.retain === message.retain
  );
}
