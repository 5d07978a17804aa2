/**
 * What the core needs from its host, named as small interfaces. The VS Code host adapts
 * them in src/extension/adapters; tests pass fakes or plain Node implementations.
 */
import type { BrokerTrust } from './trust/brokerTrust';
import type { Disposable } from './event';

/** Timers, injected so tests can drive time. */
export interface Scheduler {
  setTimeout(callback: () => void, ms: number): Disposable;
  now(): number;
}

export const realScheduler: Scheduler = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(handle) };
  },
  now: () => Date.now(),
};

/** Where connection events and errors are written. Never given a secret. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
};

/** Supplies the password of a profile that names a username; undefined means cancelled. */
export interface CredentialsProvider {
  /**
   * `target` (protocol://host:port) and `trust` (what verifies the broker) are part of the key:
   * a password never follows a profile to another broker, nor to one checked less strictly; with
   * verification off (`trust.kind` "unverified") no saved password is used without asking.
   * `beforePrompt` runs only when the user is about to be asked; when it rejects, nobody is
   * asked and its rejection is the answer.
   */
  getPassword(
    profileName: string,
    username: string,
    target: string,
    beforePrompt?: () => Promise<void>,
    trust?: BrokerTrust,
  ): Promise<string | undefined>;
}

/** A small persistent key/value store (the host backs it with workspace state). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
