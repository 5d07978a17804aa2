/**
 * Helpers for driving real MqttSession objects in broker tests: profiles built through the real
 * validation, sessions that are always torn down, and bounded waits on their events.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { validateProfiles, type ConnectionProfile } from '../../src/core/profile/profile';
import { realScheduler, silentLogger, type Logger } from '../../src/core/ports';
import {
  MqttSession,
  type ReceivedMessage,
  type SessionDeps,
  type SessionState,
} from '../../src/core/session/session';

/** A profile as a user would write it in settings, validated by the real code. */
export function profileFrom(raw: Record<string, unknown>): ConnectionProfile {
  const { profiles, problems } = validateProfiles([{ name: 'test', ...raw }]);
  assert.deepEqual(problems, [], 'the test profile itself must be valid');
  return profiles[0];
}

export function uniqueId(prefix = 'mqtt-scope-test'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Collects log lines so a failing test can show what the session said. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    debug: () => undefined,
  };
}

export interface SessionOptions {
  password?: string;
  logger?: Logger;
  deps?: Partial<SessionDeps>;
}

/** Rejects when `promise` has not settled after `ms`: a hang must fail, not stall the run. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** A session that the test context disconnects and disposes when the test ends, pass or fail. */
export function newSession(
  t: TestContext,
  raw: Record<string, unknown>,
  options: SessionOptions = {},
): MqttSession {
  const session = new MqttSession(profileFrom(raw), {
    scheduler: realScheduler,
    logger: options.logger ?? silentLogger,
    getPassword: async () => options.password,
    clientId: uniqueId(),
    ...options.deps,
  });
  t.after(async () => {
    // Bounded: a disconnect that hangs must fail the test, not keep the process alive.
    try {
      await within(session.disconnect(), 3_000, 'session.disconnect()');
    } finally {
      session.dispose();
    }
  });
  return session;
}

/** Every state the session goes through from now on, in order. */
export function recordStates(session: MqttSession): SessionState[] {
  const states: SessionState[] = [];
  session.onDidChangeState((s) => states.push(s));
  return states;
}

/** Resolves with the first state (current or future) that matches, or rejects after timeoutMs. */
export function waitForState(
  session: MqttSession,
  match: (s: SessionState) => boolean,
  timeoutMs: number,
  what = 'the expected state',
): Promise<SessionState> {
  if (match(session.state)) return Promise.resolve(session.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `timed out after ${timeoutMs} ms waiting for ${what}; state is ${JSON.stringify(session.state)}`,
        ),
      );
    }, timeoutMs);
    const listener = session.onDidChangeState((s) => {
      if (!match(s)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(s);
    });
  });
}

/** Resolves once no subscription of the session is pending any more (granted or refused). */
export function subscriptionsSettled(session: MqttSession, timeoutMs: number): Promise<void> {
  const settled = () => session.subscriptions.every((s) => s.status.kind !== 'pending');
  if (settled()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(
        new Error(
          `subscriptions still pending after ${timeoutMs} ms: ${JSON.stringify(session.subscriptions)}`,
        ),
      );
    }, timeoutMs);
    const listener = session.onDidChangeSubscriptions(() => {
      if (!settled()) return;
      clearTimeout(timer);
      listener.dispose();
      resolve();
    });
  });
}

export interface Inbox {
  /** Every message received so far, in arrival order. */
  readonly messages: ReceivedMessage[];
  /** Resolves once `count` messages arrived, then waits `lingerMs` more to catch extras. */
  waitFor(count: number, timeoutMs: number, lingerMs?: number): Promise<ReceivedMessage[]>;
}

/** Records the session's messages, optionally only those whose topic starts with `prefix`. */
export function inbox(session: MqttSession, prefix = ''): Inbox {
  const messages: ReceivedMessage[] = [];
  let wake: () => void = () => undefined;
  session.onMessage((m) => {
    if (!m.topic.startsWith(prefix)) return;
    messages.push(m);
    wake();
  });
  return {
    messages,
    async waitFor(count, timeoutMs, lingerMs = 0) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`received ${messages.length} of ${count} messages in ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      if (lingerMs > 0) await new Promise((r) => setTimeout(r, lingerMs));
      return [...messages];
    },
  };
}

export const text = (m: { payload: Uint8Array }): string => Buffer.from(m.payload).toString('utf8');
