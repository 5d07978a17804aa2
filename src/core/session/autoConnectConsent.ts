/**
 * Consent before a profile from a folder's settings connects by itself. A cloned folder can
 * name any host in `mqttScope.connections` with `"autoConnect": true`; opening the folder must
 * not be enough to connect there. The first time such a host would be auto-connected, the user
 * is asked (once per workspace and host); the answer is kept in the workspace's store. Until the
 * user says Connect, the profile is applied with `autoConnect` off: it shows in the sidebar and
 * connects when asked. Profiles from the user's own settings and the built-in local broker are
 * never asked about.
 */
import type { KeyValueStore, Logger } from '../ports';
import type { ConnectionProfile } from '../profile/profile';

/** Where a profile was defined: the user's settings, or a workspace / folder's settings. */
export type ProfileOrigin = 'user' | 'workspace';
export type ConsentAnswer = 'connect' | 'notNow';

const STORE_KEY = 'mqttScope.autoConnectConsent';

/** The host a consent is about: transport, host name (case-insensitive) and port. */
export function consentKey(p: Pick<ConnectionProfile, 'protocol' | 'host' | 'port'>): string {
  return `${p.protocol}://${p.host.toLowerCase()}:${p.port}`;
}

export interface AutoConnectConsentDeps {
  store: KeyValueStore;
  logger: Logger;
  /** Asks the user; undefined when the question was dismissed without an answer. */
  ask(profile: ConnectionProfile): PromiseLike<ConsentAnswer | undefined>;
  /** Called after an answer was stored, so the caller applies the profiles again. */
  onAnswered(): void;
}

export class AutoConnectConsent {
  /** Hosts being asked about right now, so one host is never asked twice at once. */
  private readonly asking = new Set<string>();

  constructor(private readonly deps: AutoConnectConsentDeps) {}

  answerFor(profile: ConnectionProfile): ConsentAnswer | undefined {
    return this.answers()[consentKey(profile)];
  }

  /**
   * The profiles as they may be applied now: a workspace profile's `autoConnect` holds only
   * once the user said Connect for its host; the question is asked (in the background) the
   * first time.
   */
  filter(
    profiles: readonly ConnectionProfile[],
    origin: (profile: ConnectionProfile) => ProfileOrigin,
  ): ConnectionProfile[] {
    const answers = this.answers();
    return profiles.map((profile) => {
      if (!profile.autoConnect || origin(profile) === 'user') return profile;
      const key = consentKey(profile);
      const answer = answers[key];
      if (answer === 'connect') return profile;
      if (answer === undefined) this.askOnce(key, profile);
      return { ...profile, autoConnect: false };
    });
  }

  private askOnce(key: string, profile: ConnectionProfile): void {
    if (this.asking.has(key)) return;
    this.asking.add(key);
    Promise.resolve(this.deps.ask(profile))
      .then(async (answer) => {
        if (answer === undefined) return;
        await this.deps.store.update(STORE_KEY, { ...this.answers(), [key]: answer });
        this.deps.logger.info(
          `Auto-connect to ${key} from this folder's settings: ${answer === 'connect' ? 'allowed' : 'not now'}.`,
        );
        this.deps.onAnswered();
      })
      .catch((err: unknown) =>
        this.deps.logger.error(`Asking whether to auto-connect to ${key} failed: ${String(err)}`),
      )
      .finally(() => this.asking.delete(key));
  }

  private answers(): Record<string, ConsentAnswer> {
    return this.deps.store.get<Record<string, ConsentAnswer>>(STORE_KEY) ?? {};
  }
}
