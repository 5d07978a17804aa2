/**
 * The session's transition table, one case per row: the next state and the effects, with a
 * fixed clock and a backoff that returns attempt × 100 ms.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRANSITIONS,
  transition,
  type MachineContext,
  type SessionEvent,
} from '../../src/core/session/sessionMachine';
import type { SessionState } from '../../src/core/session/sessionTypes';

const NOW = 5_000;
const ctx = (retryFirstConnect = false): MachineContext => ({
  now: NOW,
  retryDelayMs: (attempt) => attempt * 100,
  retryFirstConnect,
});

const disconnected: SessionState = { kind: 'disconnected' };
const connecting: SessionState = { kind: 'connecting' };
const connected: SessionState = { kind: 'connected', since: 1 };
const waiting: SessionState = {
  kind: 'reconnecting',
  attempt: 2,
  cause: 'the connection was lost',
  nextAttemptAt: NOW + 200,
};
const trying: SessionState = { ...waiting, nextAttemptAt: undefined };
const failed: SessionState = { kind: 'error', message: 'no' };

const refusal = (retryable: boolean): SessionEvent => ({
  type: 'connackRefused',
  message: 'refused',
  reasonCode: retryable ? 0x88 : 0x87,
  retryable,
});

describe('session transition table', () => {
  it('disconnected: connect opens a client', () => {
    assert.deepEqual(transition(disconnected, { type: 'connectRequested' }, ctx()), {
      state: connecting,
      effects: ['openClient'],
    });
  });

  it('disconnected and error ignore what only a live link sends', () => {
    for (const state of [disconnected, failed]) {
      for (const event of [
        { type: 'linkClosed', cause: 'x' },
        { type: 'retryTimer' },
        { type: 'connackAccepted', sessionPresent: false },
      ] as SessionEvent[]) {
        assert.deepEqual(transition(state, event, ctx()), { state, effects: [] });
      }
    }
  });

  it('connecting: CONNACK accepted without a session fails what was in flight', () => {
    assert.deepEqual(
      transition(connecting, { type: 'connackAccepted', sessionPresent: false }, ctx()),
      {
        state: { kind: 'connected', since: NOW, retriesBeforeSettled: undefined },
        effects: ['failInFlight', 'restoreSubscriptions', 'sendQueued'],
      },
    );
  });

  it('connecting: a credential refusal is an error even for a retried profile', () => {
    for (const retry of [false, true]) {
      assert.deepEqual(transition(connecting, refusal(false), ctx(retry)), {
        state: { kind: 'error', message: 'refused', reasonCode: 0x87 },
        effects: ['closeClient', 'failQueued'],
      });
    }
  });

  it('connecting: "server unavailable" is retried for an autoConnect profile', () => {
    assert.deepEqual(transition(connecting, refusal(true), ctx(true)), {
      state: { kind: 'connecting', lastError: 'refused' },
      effects: [],
    });
  });

  it('connecting: a transport error is an error, or remembered when retrying', () => {
    const e: SessionEvent = { type: 'transportError', message: 'ECONNREFUSED' };
    assert.deepEqual(transition(connecting, e, ctx()), {
      state: { kind: 'error', message: 'ECONNREFUSED' },
      effects: ['closeClient'],
    });
    assert.deepEqual(transition(connecting, e, ctx(true)), {
      state: { kind: 'connecting', lastError: 'ECONNREFUSED' },
      effects: [],
    });
  });

  it('connecting: the close after a failure schedules retry 1 for an autoConnect profile', () => {
    const s: SessionState = { kind: 'connecting', lastError: 'ECONNREFUSED' };
    assert.deepEqual(transition(s, { type: 'linkClosed', cause: 'closed' }, ctx(true)), {
      state: {
        kind: 'reconnecting',
        attempt: 1,
        cause: 'ECONNREFUSED',
        lastError: undefined,
        nextAttemptAt: NOW + 100,
      },
      effects: ['scheduleRetry'],
    });
    assert.deepEqual(transition(connecting, { type: 'linkClosed', cause: 'closed' }, ctx()), {
      state: { kind: 'error', message: 'closed' },
      effects: ['closeClient'],
    });
  });

  it('connecting: a cancelled password prompt or a bad TLS file ends the attempt', () => {
    assert.deepEqual(transition(connecting, { type: 'credentialsCancelled' }, ctx()), {
      state: disconnected,
      effects: ['closeClient'],
    });
    assert.deepEqual(transition(connecting, { type: 'setupFailed', message: 'no ca' }, ctx()), {
      state: { kind: 'error', message: 'no ca' },
      effects: [],
    });
  });

  it('connected: a lost link waits for retry 1 and remembers why', () => {
    assert.deepEqual(transition(connected, { type: 'linkClosed', cause: 'keepalive' }, ctx()), {
      state: {
        kind: 'reconnecting',
        attempt: 1,
        cause: 'keepalive',
        lastError: undefined,
        nextAttemptAt: NOW + 100,
      },
      effects: ['markSubscriptionsPending', 'scheduleRetry'],
    });
  });

  it('connected: a drop before the subscriptions were answered continues the backoff', () => {
    const resumed = transition(trying, { type: 'connackAccepted', sessionPresent: true }, ctx());
    assert.deepEqual(resumed, {
      state: { kind: 'connected', since: NOW, retriesBeforeSettled: 2 },
      effects: ['restoreSubscriptions', 'sendQueued'],
    });
    const dropped = transition(resumed.state, { type: 'linkClosed', cause: 'x' }, ctx());
    assert.equal(dropped.state.kind === 'reconnecting' && dropped.state.attempt, 3);
    const settled = transition(resumed.state, { type: 'subscriptionsSettled' }, ctx());
    assert.deepEqual(settled.state, { kind: 'connected', since: NOW });
    const later = transition(settled.state, { type: 'linkClosed', cause: 'x' }, ctx());
    assert.equal(later.state.kind === 'reconnecting' && later.state.attempt, 1);
  });

  it('connected: a session taken over is an error that retrying cannot fix', () => {
    assert.deepEqual(transition(connected, { type: 'sessionEnded', message: 'taken' }, ctx()), {
      state: { kind: 'error', message: 'taken' },
      effects: ['closeClient', 'failQueued', 'markSubscriptionsPending'],
    });
  });

  it('reconnecting: the retry timer reopens the same client', () => {
    assert.deepEqual(transition(waiting, { type: 'retryTimer' }, ctx()), {
      state: trying,
      effects: ['reopenClient'],
    });
  });

  it('reconnecting: connect means retry now while waiting, and nothing while trying', () => {
    assert.deepEqual(transition(waiting, { type: 'connectRequested' }, ctx()), {
      state: trying,
      effects: ['cancelRetry', 'reopenClient'],
    });
    assert.deepEqual(transition(trying, { type: 'connectRequested' }, ctx()), {
      state: trying,
      effects: [],
    });
  });

  it('reconnecting: a failed attempt waits longer and keeps why the link dropped', () => {
    const withError = transition(trying, { type: 'transportError', message: 'refused' }, ctx());
    assert.deepEqual(withError.state, { ...trying, lastError: 'refused' });
    assert.deepEqual(transition(withError.state, { type: 'linkClosed', cause: 'refused' }, ctx()), {
      state: {
        kind: 'reconnecting',
        attempt: 3,
        cause: 'the connection was lost',
        lastError: 'refused',
        nextAttemptAt: NOW + 300,
      },
      effects: ['scheduleRetry'],
    });
    // A close while already waiting changes nothing.
    assert.deepEqual(transition(waiting, { type: 'linkClosed', cause: 'x' }, ctx()), {
      state: waiting,
      effects: [],
    });
  });

  it('reconnecting: credentials refused stop; "server busy" waits for the next attempt', () => {
    assert.equal(transition(trying, refusal(false), ctx()).state.kind, 'error');
    assert.deepEqual(transition(trying, refusal(true), ctx()), {
      state: { ...trying, lastError: 'refused' },
      effects: [],
    });
  });

  it('reconnecting: CONNACK with the session present keeps what was in flight', () => {
    const { effects } = transition(
      trying,
      { type: 'connackAccepted', sessionPresent: true },
      ctx(),
    );
    assert.deepEqual(effects, ['restoreSubscriptions', 'sendQueued']);
  });

  it('disconnect from any live state ends the client and fails the queue', () => {
    for (const state of [connecting, connected, waiting, trying]) {
      assert.deepEqual(transition(state, { type: 'disconnectRequested' }, ctx()), {
        state: disconnected,
        effects: ['cancelRetry', 'endClient', 'failQueued', 'markSubscriptionsPending'],
      });
    }
    assert.deepEqual(transition(failed, { type: 'disconnectRequested' }, ctx()), {
      state: disconnected,
      effects: ['cancelRetry', 'closeClient'],
    });
    assert.deepEqual(transition(failed, { type: 'connectRequested' }, ctx()).state, connecting);
  });

  it('the table names every state', () => {
    assert.deepEqual(Object.keys(TRANSITIONS).sort(), [
      'connected',
      'connecting',
      'disconnected',
      'error',
      'reconnecting',
    ]);
  });
});
