/**
 * A Message Log row a `.mqtt` run produced names its block in the detail ("From lab.mqtt:12 ·
 * QoS 1 arrives"), and the webview may ask the host to open that block (`openBlock`, checked by
 * the validator like every action).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageStore } from '../../src/core/store/messageStore';
import { MessageLogBinding } from '../../src/host/messageLog/messageLogBinding';
import { untranslated } from '../../src/host/webviewChannel';
import type { HostToWebview, LogAction } from '../../src/protocol/messageLog';
import { validateWebviewMessage } from '../../src/protocol/validateWebviewMessage';
import { RecordingChannel } from '../support/recordingChannel';
import { FakeScheduler } from './fakeScheduler';

describe('MessageLogBinding and .mqtt blocks', () => {
  it('puts the origin of a row a block produced in its detail, and only there', () => {
    const store = new MessageStore({
      scheduler: new FakeScheduler(),
      maxMessages: 100,
      maxBytes: 1 << 20,
    });
    const channel = new RecordingChannel<HostToWebview>();
    const ran: [LogAction, number][] = [];
    new MessageLogBinding(channel, store, {
      actions: {
        connections: () => ['local'],
        run: (action, seq) => void ran.push([action, seq]),
        origin: (seq) => (seq === 2 ? { label: 'lab.mqtt:12 · QoS 1 arrives' } : undefined),
      },
      l10n: untranslated,
      showError: () => undefined,
    });
    for (const topic of ['a', 'b'])
      store.append('local', 'out', { topic, payload: Buffer.from('x'), qos: 1, retain: false });
    channel.send({ type: 'ready' });
    channel.send({ type: 'detail', requestId: 1, seq: 1 });
    channel.send({ type: 'detail', requestId: 2, seq: 2 });
    const details = channel.posted.filter((m) => m.type === 'detail');
    assert.deepEqual(
      details.map((d) => d.detail?.origin),
      [undefined, { label: 'lab.mqtt:12 · QoS 1 arrives' }],
    );
  });

  it('accepts openBlock as an action and nothing like it', () => {
    assert.ok(
      validateWebviewMessage({ type: 'action', requestId: 1, action: 'openBlock', seq: 2 }).ok,
    );
    assert.equal(
      validateWebviewMessage({ type: 'action', requestId: 1, action: 'openFile', seq: 2 }).ok,
      false,
    );
  });
});
