/**
 * Pure helpers of src/extension, run with small fakes instead of VS Code: the recent topics kept
 * in workspace state (an in-memory Memento), the status bar's choice of the active connection
 * and what a click on it does, and the walkthrough steps ticked by what the user did.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from '../../src/core/event';
import type { LocalBrokerState } from '../../src/core/broker/localBroker';
import type { MqttSession } from '../../src/core/session/session';
import type { SessionManager } from '../../src/core/session/sessionManager';
import { chooseActive, clickAction } from '../../src/extension/activeConnection';
import { StateKeys, WalkthroughContext } from '../../src/extension/constants';
import { RecentTopics } from '../../src/extension/recentTopics';
import {
  trackWalkthroughSteps,
  WalkthroughMarks,
  type WalkthroughKey,
} from '../../src/extension/walkthroughMarks';
import { InMemoryMemento } from './fakes/memento';

type Kind = MqttSession['state']['kind'];
const session = (name: string, kind: Kind = 'disconnected') =>
  ({ name, state: { kind } }) as unknown as MqttSession;

describe('recent topics', () => {
  it('keeps the newest first, without repeats, in workspace state', async () => {
    const memento = new InMemoryMemento();
    const recent = new RecentTopics(memento);
    assert.deepEqual(recent.list(), []);
    await recent.remember('a');
    await recent.remember('b');
    await recent.remember('a');
    assert.deepEqual(recent.list(), ['a', 'b']);
    assert.deepEqual(memento.get(StateKeys.recentTopics), ['a', 'b']);
  });

  it('keeps at most 20', async () => {
    const recent = new RecentTopics(new InMemoryMemento());
    for (let i = 0; i < 25; i++) await recent.remember(`t/${i}`);
    assert.equal(recent.list().length, 20);
    assert.equal(recent.list()[0], 't/24');
    assert.equal(recent.list()[19], 't/5');
  });

  it('reads what an earlier window kept', () => {
    const memento = new InMemoryMemento({ [StateKeys.recentTopics]: ['x/y'] });
    assert.deepEqual(new RecentTopics(memento).list(), ['x/y']);
  });
});

describe('the status bar’s active connection', () => {
  const a = session('a');
  const b = session('b', 'connected');

  it('is the remembered one while it exists, else the first', () => {
    assert.equal(chooseActive([a, b], 'b'), b);
    assert.equal(chooseActive([a, b], 'gone'), a);
    assert.equal(chooseActive([a, b], undefined), a);
    assert.equal(chooseActive([], 'b'), undefined);
  });

  it('a click connects the only connection when it is down, else offers a choice', () => {
    assert.equal(clickAction(a, 1), 'connect');
    assert.equal(clickAction(session('e', 'error'), 1), 'connect');
    assert.equal(clickAction(session('c', 'connected'), 1), 'pick');
    assert.equal(clickAction(session('r', 'reconnecting'), 1), 'pick');
    assert.equal(clickAction(a, 2), 'pick');
    assert.equal(clickAction(undefined, 0), 'addConnection');
  });
});

describe('walkthrough steps', () => {
  function setup(profiles: unknown[] = [], state: LocalBrokerState = { kind: 'stopped' }) {
    const set: WalkthroughKey[] = [];
    const stateChanges = new Emitter<{ session: MqttSession; state: MqttSession['state'] }>();
    const subscriptionChanges = new Emitter<MqttSession>();
    const settingsChanged = new Emitter<void>();
    const brokerChanged = new Emitter<LocalBrokerState>();
    const settings = { profiles, onDidChange: settingsChanged.event };
    const broker = { state, onDidChangeState: brokerChanged.event };
    const tracking = trackWalkthroughSteps(new WalkthroughMarks((key) => set.push(key)), {
      sessions: {
        onDidChangeState: stateChanges.event,
        onDidChangeSubscriptions: subscriptionChanges.event,
      } as Pick<SessionManager, 'onDidChangeState' | 'onDidChangeSubscriptions'>,
      settings,
      broker,
    });
    return {
      set,
      stateChanges,
      subscriptionChanges,
      settingsChanged,
      brokerChanged,
      settings,
      broker,
      tracking,
    };
  }

  it('ticks each step once, when it happens', () => {
    const t = setup();
    assert.deepEqual(t.set, []);
    const s = session('plant');
    t.stateChanges.fire({ session: s, state: { kind: 'connecting' } as MqttSession['state'] });
    assert.deepEqual(t.set, []);
    t.stateChanges.fire({ session: s, state: { kind: 'connected' } as MqttSession['state'] });
    t.stateChanges.fire({ session: s, state: { kind: 'connected' } as MqttSession['state'] });
    assert.deepEqual(t.set, [WalkthroughContext.connected]);
    t.broker.state = { kind: 'running', port: 1883 } as LocalBrokerState;
    t.brokerChanged.fire(t.broker.state);
    t.settings.profiles = [{ name: 'own' }];
    t.settingsChanged.fire();
    assert.deepEqual(t.set, [
      WalkthroughContext.connected,
      WalkthroughContext.brokerRunning,
      WalkthroughContext.ownBroker,
    ]);
  });

  it('the subscribe step needs a subscription the broker granted', () => {
    const t = setup();
    const refused = { subscriptions: [{ status: { kind: 'refused' } }] } as unknown as MqttSession;
    t.subscriptionChanges.fire(refused);
    assert.deepEqual(t.set, []);
    const granted = { subscriptions: [{ status: { kind: 'granted' } }] } as unknown as MqttSession;
    t.subscriptionChanges.fire(granted);
    assert.deepEqual(t.set, [WalkthroughContext.subscribed]);
  });

  it('ticks what is already true when it starts, and stops watching when disposed', () => {
    const t = setup([{ name: 'own' }], { kind: 'running', port: 1883 } as LocalBrokerState);
    assert.deepEqual(t.set, [WalkthroughContext.ownBroker, WalkthroughContext.brokerRunning]);
    t.tracking.dispose();
    t.stateChanges.fire({
      session: session('x'),
      state: { kind: 'connected' } as MqttSession['state'],
    });
    assert.deepEqual(t.set, [WalkthroughContext.ownBroker, WalkthroughContext.brokerRunning]);
  });
});
