/**
 * The connection lifecycle of an MqttSession as one transition table: for each state, the
 * events it reacts to, the next state and the effects the session must carry out. Pure: time
 * and the backoff come in through `MachineContext`, so every transition is testable without a
 * broker or a clock. An event a state does not list leaves it unchanged and does nothing.
 */
import { MqttError } from '../mqttError';
import type { SessionState } from './sessionTypes';

export type SessionEvent =
  /** The user (or an `autoConnect` profile) asks to connect, or to retry now. */
  | { type: 'connectRequested' }
  /** The password prompt was cancelled. */
  | { type: 'credentialsCancelled' }
  /** The client could not even be built (e.g. a TLS file cannot be read). */
  | { type: 'setupFailed'; message: string }
  | { type: 'connackAccepted'; sessionPresent: boolean }
  /** CONNACK refused; `retryable` for "server unavailable / busy", not for credentials. */
  | { type: 'connackRefused'; message: string; reasonCode: number; retryable: boolean }
  /** A transport error (refused TCP, TLS, timeout); a close follows. */
  | { type: 'transportError'; message: string }
  /** The socket closed; `cause` says why, as far as is known. */
  | { type: 'linkClosed'; cause: string }
  /** The broker ended the session in a way retrying cannot fix (e.g. 0x8E Session taken over). */
  | { type: 'sessionEnded'; message: string }
  | { type: 'retryTimer' }
  /** Every subscription was answered after a CONNACK: the connection counts as recovered. */
  | { type: 'subscriptionsSettled' }
  | { type: 'disconnectRequested' };

export type SessionEffect =
  /** Ask for the password if needed, build the options and open a new client. */
  | 'openClient'
  /** Reopen the same client, keeping its stores (in-flight messages in both directions). */
  | 'reopenClient'
  /** Close the client at once, without DISCONNECT. */
  | 'closeClient'
  /** End the client with DISCONNECT, failing what is still in flight. */
  | 'endClient'
  | 'scheduleRetry'
  | 'cancelRetry'
  /** Subscriptions the broker did not keep are sent again; `subscriptionsSettled` follows. */
  | 'restoreSubscriptions'
  /** The broker lost the session: publishes in flight can no longer be acknowledged. */
  | 'failInFlight'
  | 'sendQueued'
  | 'failQueued'
  | 'markSubscriptionsPending';

export interface MachineContext {
  now: number;
  /** The delay before retry number `attempt`. */
  retryDelayMs(attempt: number): number;
  /** Whether a first connection that fails is retried (an `autoConnect` profile). */
  retryFirstConnect: boolean;
}

export interface Transition {
  state: SessionState;
  effects: SessionEffect[];
}

type Handler<E extends SessionEvent['type']> = (
  state: SessionState,
  event: Extract<SessionEvent, { type: E }>,
  ctx: MachineContext,
) => Transition;
type Row = { [E in SessionEvent['type']]?: Handler<E> };

function waitToRetry(
  attempt: number,
  cause: string,
  lastError: string | undefined,
  ctx: MachineContext,
): Transition {
  const nextAttemptAt = ctx.now + ctx.retryDelayMs(attempt);
  return {
    state: { kind: 'reconnecting', attempt, cause, lastError, nextAttemptAt },
    effects: ['scheduleRetry'],
  };
}

const connect: Handler<'connectRequested'> = () => ({
  state: { kind: 'connecting' },
  effects: ['openClient'],
});
const disconnect: Handler<'disconnectRequested'> = () => ({
  state: { kind: 'disconnected' },
  effects: ['cancelRetry', 'endClient', 'failQueued', 'markSubscriptionsPending'],
});
const refused: Handler<'connackRefused'> = (state, e, ctx) =>
  e.retryable && state.kind === 'reconnecting'
    ? { state: { ...state, lastError: e.message }, effects: [] }
    : e.retryable && ctx.retryFirstConnect
      ? { state: { kind: 'connecting', lastError: e.message }, effects: [] }
      : {
          state: { kind: 'error', message: e.message, reasonCode: e.reasonCode },
          effects: ['closeClient', 'failQueued'],
        };
/** Until the subscriptions are answered, a drop continues the backoff where it was. */
const accepted: Handler<'connackAccepted'> = (s, e, ctx) => ({
  state: {
    kind: 'connected',
    since: ctx.now,
    retriesBeforeSettled: s.kind === 'reconnecting' ? s.attempt : undefined,
  },
  effects: e.sessionPresent
    ? ['restoreSubscriptions', 'sendQueued']
    : ['failInFlight', 'restoreSubscriptions', 'sendQueued'],
});
const ended: Handler<'sessionEnded'> = (_s, e) => ({
  state: { kind: 'error', message: e.message },
  effects: ['closeClient', 'failQueued', 'markSubscriptionsPending'],
});

/** state → event → what happens. */
export const TRANSITIONS: Record<SessionState['kind'], Row> = {
  disconnected: {
    connectRequested: connect,
  },
  connecting: {
    credentialsCancelled: () => ({ state: { kind: 'disconnected' }, effects: ['closeClient'] }),
    setupFailed: (_s, e) => ({ state: { kind: 'error', message: e.message }, effects: [] }),
    connackAccepted: accepted,
    connackRefused: refused,
    transportError: (_s, e, ctx) =>
      ctx.retryFirstConnect
        ? { state: { kind: 'connecting', lastError: e.message }, effects: [] }
        : { state: { kind: 'error', message: e.message }, effects: ['closeClient'] },
    linkClosed: (s, e, ctx) => {
      const why = (s.kind === 'connecting' && s.lastError) || e.cause;
      return ctx.retryFirstConnect
        ? waitToRetry(1, why, undefined, ctx)
        : { state: { kind: 'error', message: why }, effects: ['closeClient'] };
    },
    disconnectRequested: disconnect,
  },
  connected: {
    subscriptionsSettled: (s) => ({
      state:
        s.kind === 'connected' && s.retriesBeforeSettled !== undefined
          ? { kind: 'connected', since: s.since }
          : s,
      effects: [],
    }),
    linkClosed: (s, e, ctx) => {
      const attempt = (s.kind === 'connected' ? (s.retriesBeforeSettled ?? 0) : 0) + 1;
      return {
        ...waitToRetry(attempt, e.cause, undefined, ctx),
        effects: ['markSubscriptionsPending', 'scheduleRetry'],
      };
    },
    sessionEnded: ended,
    disconnectRequested: disconnect,
  },
  reconnecting: {
    /** Retry now; an attempt already running is left to finish. */
    connectRequested: (s) =>
      s.kind === 'reconnecting' && s.nextAttemptAt !== undefined
        ? { state: { ...s, nextAttemptAt: undefined }, effects: ['cancelRetry', 'reopenClient'] }
        : { state: s, effects: [] },
    retryTimer: (s) => ({
      state: s.kind === 'reconnecting' ? { ...s, nextAttemptAt: undefined } : s,
      effects: ['reopenClient'],
    }),
    connackAccepted: accepted,
    connackRefused: refused,
    transportError: (s, e) => ({
      state: s.kind === 'reconnecting' ? { ...s, lastError: e.message } : s,
      effects: [],
    }),
    linkClosed: (s, e, ctx) => {
      if (s.kind !== 'reconnecting' || s.nextAttemptAt !== undefined)
        return { state: s, effects: [] };
      return waitToRetry(s.attempt + 1, s.cause ?? e.cause, e.cause, ctx);
    },
    sessionEnded: ended,
    disconnectRequested: disconnect,
  },
  error: {
    connectRequested: connect,
    disconnectRequested: () => ({
      state: { kind: 'disconnected' },
      effects: ['cancelRetry', 'closeClient'],
    }),
  },
};

/** The next state and the effects of `event` in `state`; unlisted events change nothing. */
export function transition(
  state: SessionState,
  event: SessionEvent,
  ctx: MachineContext,
): Transition {
  const handler = TRANSITIONS[state.kind][event.type] as Handler<typeof event.type> | undefined;
  return handler ? handler(state, event as never, ctx) : { state, effects: [] };
}

/** How a state answers a pending connect(): still trying, connected, or why not. */
export function connectOutcome(
  state: SessionState,
  cancelled: string,
): 'pending' | 'connected' | MqttError {
  switch (state.kind) {
    case 'connected':
      return 'connected';
    case 'error':
      return new MqttError(state.message, state.reasonCode);
    case 'disconnected':
      return new MqttError(cancelled);
    case 'reconnecting':
      return state.nextAttemptAt === undefined
        ? 'pending'
        : new MqttError(state.lastError ?? state.cause ?? 'The connection failed.');
    case 'connecting':
      return 'pending';
  }
}

/**
 * Settles at the first state that answers a connect() (see connectOutcome); `settling` runs
 * just before, in the same tick.
 */
export function whenConnected(
  onDidChangeState: (listener: (state: SessionState) => void) => { dispose(): void },
  cancelled: () => string,
  settling: () => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const listener = onDidChangeState((state) => {
      const outcome = connectOutcome(state, cancelled());
      if (outcome === 'pending') return;
      listener.dispose();
      settling();
      if (outcome === 'connected') resolve();
      else reject(outcome);
    });
  });
}
