// Toasts show one line and cut off the end: the reason comes first, names are shortened in the
// middle, and the sentence stays short whatever a broker or a profile names things.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TOAST_LIMITS,
  connectFailedToast,
  elideEnd,
  elideMiddle,
  publishedToast,
  refusalToast,
} from '../../src/core/toastText';

describe('toast sentences', () => {
  it('put the refusal reason first', () => {
    assert.equal(
      refusalToast('0x87 Not authorized', 'plant/#', 'plant'),
      '0x87 Not authorized: "plant/#" refused on plant.',
    );
  });

  it('shorten a long topic and connection name in the middle, keeping both ends', () => {
    const topic = `factory/${'line-'.repeat(30)}/status/#`;
    const text = refusalToast('0x80 Failure', topic, 'a very long connection name indeed');
    assert.ok(text.startsWith('0x80 Failure: "factory/'), text);
    assert.ok(text.includes('status/#"'), text);
    const max = TOAST_LIMITS.reason + TOAST_LIMITS.topic + TOAST_LIMITS.connection + 20;
    assert.ok(Array.from(text).length <= max, `${text.length} characters: ${text}`);
  });

  it('cut a broker reason string at its end', () => {
    const reason = `0x87 Not authorized — ${'because '.repeat(20)}`;
    const text = refusalToast(reason, 'a', 'b');
    assert.ok(text.startsWith('0x87 Not authorized — because'), text);
    assert.ok(text.includes('…: "a" refused on b.'), text);
  });

  it('never split a character made of two UTF-16 units', () => {
    const topic = '🌡️'.repeat(40);
    const short = elideMiddle(topic, 10);
    assert.equal(Array.from(short).length, 10);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(short), 'a lone high surrogate');
    assert.equal(elideEnd('abc', 5), 'abc');
    assert.equal(elideEnd('abcdef', 4), 'abc…');
  });

  it('say why a connection failed before naming it', () => {
    assert.equal(
      connectFailedToast('secured', 'The broker refused the connection: 0x87 Not authorized.'),
      '0x87 Not authorized: secured did not connect.',
    );
    assert.equal(
      connectFailedToast(
        'local',
        'Connection refused by mqtt://127.0.0.1:1: no MQTT broker is listening there.',
      ),
      'Connection refused by mqtt://127.0.0.1:1: no MQTT broker is listening there: local did not connect.',
    );
  });

  it('say the acknowledgement first when a publish went through', () => {
    const base = { topic: 'e2e/greeting', retain: false, elapsedMs: 4 };
    assert.equal(
      publishedToast({ ...base, handshake: ['PUBACK'] }),
      'Broker acknowledged: PUBACK in 4 ms ("e2e/greeting").',
    );
    assert.equal(
      publishedToast({ ...base, retain: true, handshake: ['PUBREC', 'PUBREL', 'PUBCOMP'] }),
      'Broker acknowledged: PUBREC → PUBREL → PUBCOMP in 4 ms ("e2e/greeting", retained).',
    );
    assert.equal(
      publishedToast({ ...base, handshake: [] }),
      'Sent with QoS 0, no acknowledgement ("e2e/greeting").',
    );
  });
});
