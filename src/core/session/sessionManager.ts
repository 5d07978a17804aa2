/**
 * Holds one session per valid profile and keeps them in step with the settings: new profiles
 * appear, removed ones disconnect, changed ones reconnect. Client ids are generated once per
 * profile name and kept in the host's store so a broker sees the same client across restarts.
 */
import { randomBytes } from 'node:crypto';
import { Emitter, type Event } from '../event';
import type { CredentialsProvider, KeyValueStore, Logger, Scheduler } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import { MqttSession, type SessionState } from './session';
import { prepareClient, type ClientSetup } from './clientSetup';
import type { SessionDeps } from './sessionTypes';
import type { OfflineQueueLimits } from './offlineQueue';
import type { MqttClientFactory } from './mqttClientFactory';
import type { IncomingLimits } from '../incoming/packetGuard';
import type { TopicTreeChange } from '../topics/topicTree';
import { TrafficEmitter, type TrafficSubscribe } from '../traffic/trafficEmitter';

export interface SessionManagerDeps {
  scheduler: Scheduler;
  logger: Logger;
  credentials: CredentialsProvider;
  store: KeyValueStore;
  /** Folder that relative certificate paths are resolved against. */
  baseDir?: () => string | undefined;
  /** Most topics each topic tree keeps. */
  maxTopics?: () => number;
  /** Bounds of each session's offline queue. */
  offlineQueueLimits?: () => OfflineQueueLimits;
  /** The longest wait between reconnect attempts. */
  maxRetryDelayMs?: () => number;
  /** The largest packet and the properties accepted from a broker. */
  incomingLimits?: () => IncomingLimits;
  /** Where MQTT clients come from; MQTT.js unless a test scripts them. */
  clientFactory?: MqttClientFactory;
}

const CLIENT_ID_KEY = 'mqttScope.clientIds';

export class SessionManager {
  private readonly sessions = new Map<string, MqttSession>();
  private readonly listEmitter = new Emitter<void>();
  /** Sessions were added, removed or replaced. */
  readonly onDidChangeSessions: Event<void> = this.listEmitter.event;
  private readonly stateEmitter = new Emitter<{ session: MqttSession; state: SessionState }>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly subsEmitter = new Emitter<MqttSession>();
  readonly onDidChangeSubscriptions = this.subsEmitter.event;
  private readonly queueEmitter = new Emitter<MqttSession>();
  /** The number of publishes queued on a session changed. */
  readonly onDidChangeQueue = this.queueEmitter.event;

  private readonly topicsEmitter = new Emitter<{ session: MqttSession; change: TopicTreeChange }>();
  /** A session's topic tree announced a batch of changes (at most every 250 ms per session). */
  readonly onDidChangeTopics = this.topicsEmitter.event;
  private readonly traffic = new TrafficEmitter<MqttSession>();
  /**
   * What every session sends and receives, as one stream (see src/core/traffic/): each
   * session is listened to once, from when it is added.
   */
  readonly onTraffic: TrafficSubscribe<MqttSession> = this.traffic.event;
  private readonly forwardTraffic = this.traffic.fire.bind(this.traffic);
  private readonly wantsPackets = () => this.traffic.wantsPackets;

  private readonly autoConnectEmitter = new Emitter<{ session: MqttSession; error: Error }>();
  /** A connection made by itself (autoConnect) ended in the error state: nobody else saw it. */
  readonly onDidFailAutoConnect = this.autoConnectEmitter.event;

  constructor(private readonly deps: SessionManagerDeps) {}

  all(): MqttSession[] {
    return [...this.sessions.values()];
  }

  get(name: string): MqttSession | undefined {
    return this.sessions.get(name);
  }

  /** Brings the sessions in line with a new list of valid profiles. */
  apply(profiles: readonly ConnectionProfile[]): void {
    const wanted = new Map(profiles.map((p) => [p.name, p]));
    let changed = false;
    for (const [name, session] of this.sessions) {
      const next = wanted.get(name);
      if (next && sameProfile(session.profile, next)) continue;
      // Reconnect a changed profile if it was in use; a removed one just goes.
      const wasActive = session.state.kind !== 'disconnected' && session.state.kind !== 'error';
      const closed = this.remove(name);
      changed = true;
      // The replacement connects once the old client has gone, so the broker never sees the
      // same client id twice at once.
      if (next) this.add(next, wasActive || next.autoConnect, closed);
    }
    for (const profile of profiles) {
      if (!this.sessions.has(profile.name)) {
        this.add(profile, profile.autoConnect);
        changed = true;
      }
    }
    if (changed) this.listEmitter.fire();
  }

  dispose(): void {
    for (const name of [...this.sessions.keys()]) this.remove(name);
    this.listEmitter.dispose();
    this.stateEmitter.dispose();
    this.subsEmitter.dispose();
    this.queueEmitter.dispose();
    this.autoConnectEmitter.dispose();
    this.traffic.dispose();
    this.topicsEmitter.dispose();
  }

  /**
   * The client options `session` connects with (its TLS files read, its password through the same
   * credentials path: the saved one, or asked), for another client of the same user on the same
   * broker, such as a `.mqtt` file's CONNECT block.
   */
  connectionSetup(session: MqttSession): Promise<ClientSetup> {
    const deps: SessionDeps = {
      ...this.sharedDeps(() => session.target),
      clientId: session.clientId,
    };
    return Promise.resolve(
      prepareClient(session.profile, session.clientId, session.target, deps, () => true),
    );
  }

  /** What every client of a connection gets: time, logging, files, and its password asked for its target. */
  private sharedDeps(
    target: () => string,
  ): Pick<SessionDeps, 'scheduler' | 'logger' | 'getPassword' | 'baseDir'> {
    return {
      scheduler: this.deps.scheduler,
      logger: this.deps.logger,
      getPassword: (p, beforePrompt, trust) =>
        this.deps.credentials.getPassword(p.name, p.username ?? '', target(), beforePrompt, trust),
      baseDir: this.deps.baseDir?.(),
    };
  }

  private add(profile: ConnectionProfile, connect: boolean, after?: Promise<void>): void {
    const session: MqttSession = new MqttSession(profile, {
      ...this.sharedDeps(() => session.target),
      clientId: this.clientIdFor(profile.name),
      maxTopics: this.deps.maxTopics?.(),
      offlineQueueLimits: this.deps.offlineQueueLimits,
      maxRetryDelayMs: this.deps.maxRetryDelayMs,
      incomingLimits: this.deps.incomingLimits,
      clientFactory: this.deps.clientFactory,
    });
    session.onDidChangeState((state) => this.stateEmitter.fire({ session, state }));
    session.onDidChangeSubscriptions(() => this.subsEmitter.fire(session));
    session.onDidChangeQueue(() => this.queueEmitter.fire(session));
    session.onTraffic(this.forwardTraffic, { packets: this.wantsPackets });
    session.topics.onDidChange((change) => this.topicsEmitter.fire({ session, change }));
    this.sessions.set(profile.name, session);
    if (connect) {
      // The session records a failure in its state, and the log says why.
      void (after ?? Promise.resolve())
        .then(() => (this.sessions.get(profile.name) === session ? session.connect() : undefined))
        .catch((error: unknown) => {
          if (this.sessions.get(profile.name) !== session || session.state.kind !== 'error') return;
          const reason = error instanceof Error ? error : new Error(String(error));
          if (profile.autoConnect) this.autoConnectEmitter.fire({ session, error: reason });
        });
    }
  }

  /** Removes a session; resolves once its connection is closed. */
  private remove(name: string): Promise<void> {
    const session = this.sessions.get(name);
    if (!session) return Promise.resolve();
    this.sessions.delete(name);
    return session.dispose();
  }

  private clientIdFor(name: string): string {
    const ids = this.deps.store.get<Record<string, string>>(CLIENT_ID_KEY) ?? {};
    let id = ids[name];
    if (!id) {
      id = `mqtt-scope-${randomBytes(4).toString('hex')}`;
      void this.deps.store.update(CLIENT_ID_KEY, { ...ids, [name]: id });
    }
    return id;
  }
}

/** Turning the packet trace on or off is no reason to reconnect. */
function sameProfile(a: ConnectionProfile, b: ConnectionProfile): boolean {
  const shape = (p: ConnectionProfile) => JSON.stringify({ ...p, packetTrace: undefined });
  return shape(a) === shape(b);
}
