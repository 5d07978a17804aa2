// "Save as .mqtt Block" without VS Code: the Message Log's binding passes the action on for the
// message shown, and the block built from the stored entry (the whole payload, not the row's
// preview; the properties a publish can carry again) parses back to the same message.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageStore } from '../../src/core/store/messageStore';
import { logEntryBlock } from '../../src/core/mqttFile/logEntryBlock';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import type { PayloadSpec, PublishBlock } from '../../src/core/mqttFile/mqttFileAst';
import { MessageLogBinding } from '../../src/host/messageLog/messageLogBinding';
import type { HostToWebview } from '../../src/protocol/messageLog';
import { validateWebviewMessage } from '../../src/protocol/validateWebviewMessage';
import { parseCommandArgs } from '../../src/extension/commands/commandArgs';
import { RecordingChannel } from '../support/recordingChannel';
import { FakeScheduler } from './fakeScheduler';

const tick = () => new Promise((resolve) => setImmediate(resolve));

function parsedPublish(text: string): PublishBlock {
  const file = parseMqttFile(text);
  assert.deepEqual(
    file.problems.filter((p) => p.severity === 'error'),
    [],
    text.slice(0, 400),
  );
  assert.equal(file.blocks.length, 1);
  assert.equal(file.blocks[0].kind, 'publish');
  return file.blocks[0] as PublishBlock;
}

function bytesOf(payload: PayloadSpec): Buffer {
  if (payload.kind === 'empty') return Buffer.alloc(0);
  if (payload.kind !== 'text') throw new Error(`unexpected ${payload.kind} body`);
  const raw = payload.text.raw;
  if (payload.encoding === 'hex') return Buffer.from(raw.replace(/\s+/g, ''), 'hex');
  if (payload.encoding === 'base64') return Buffer.from(raw.replace(/\s+/g, ''), 'base64');
  return Buffer.from(raw, 'utf8');
}

describe('Save as .mqtt Block', () => {
  it('the binding hands the action for the message on; the block carries the whole stored payload', async () => {
    const scheduler = new FakeScheduler();
    const store = new MessageStore({ scheduler, maxMessages: 100, maxBytes: 4 << 20 });
    const channel = new RecordingChannel<HostToWebview>();
    const blocks: string[] = [];
    const binding = new MessageLogBinding(channel, store, {
      actions: {
        connections: () => ['local'],
        run: (action, seq) => {
          assert.equal(action, 'saveAsMqttBlock');
          blocks.push(logEntryBlock(store.get(seq)!));
        },
      },
      l10n: { t: (m) => m },
      showError: (message) => assert.fail(message),
    });
    // Over 100 KB of JSON: far more than a row or a detail shows at first.
    const big = JSON.stringify({ values: Array.from({ length: 60_000 }, (_, i) => i % 97) });
    assert.ok(big.length > 100_000);
    const seq = store.append('local', 'in', {
      topic: 'demo/big',
      payload: Buffer.from(big),
      qos: 1,
      retain: false,
    });
    channel.send({ type: 'ready' });
    const message = { type: 'action', action: 'saveAsMqttBlock', seq };
    assert.equal(validateWebviewMessage(message).ok, true);
    channel.send(message);
    await tick();
    binding.dispose();

    assert.equal(blocks.length, 1);
    const block = parsedPublish(blocks[0]);
    assert.equal(block.message.topic.raw, 'demo/big');
    assert.equal(block.message.qos, 1);
    assert.equal(block.message.retain, false);
    assert.equal(bytesOf(block.message.payload).toString(), big);
  });

  it('keeps the properties a publish carries again, drops the alias and subscription identifiers, and titles it in one line', () => {
    const store = new MessageStore({
      scheduler: new FakeScheduler(),
      maxMessages: 10,
      maxBytes: 1 << 20,
    });
    const seq = store.append('line\nbreak ### name', 'in', {
      topic: 'demo/home/thermostat-1/setpoint',
      payload: Buffer.from([0x00, 0xff, 0x10]),
      qos: 2,
      retain: true,
      properties: {
        contentType: 'application/octet-stream',
        correlationData: Buffer.from([1, 2, 3]),
        userProperties: { a: ['1', '2'], b: 'x=y' },
        topicAlias: 4,
        subscriptionIdentifier: [9],
      },
    });
    const text = logEntryBlock(store.get(seq)!);
    const [titleLine] = text.split('\n');
    assert.match(titleLine, /^###.*received on line⟨LF⟩break ### name at /);
    assert.doesNotMatch(text, /alias|subscription/i);
    const block = parsedPublish(text);
    const m = block.message;
    assert.equal(m.qos, 2);
    assert.equal(m.retain, true);
    assert.deepEqual([...bytesOf(m.payload)], [0x00, 0xff, 0x10]);
    assert.equal(m.properties.contentType?.raw, 'application/octet-stream');
    assert.equal(m.properties.correlationData?.raw.toLowerCase(), 'hex:010203');
    assert.deepEqual(
      m.properties.userProperties.map((u) => [u.key.raw, u.value.raw]),
      [
        ['a', '1'],
        ['a', '2'],
        ['b', 'x=y'],
      ],
    );
  });

  it('the command takes { seq } and refuses anything else, naming the argument', () => {
    const id = 'mqttScope.saveAsMqttBlock';
    assert.deepEqual(parseCommandArgs(id, [{ seq: 42 }]), { seq: 42 });
    assert.throws(() => parseCommandArgs(id, []), /"seq" is required/);
    assert.throws(() => parseCommandArgs(id, [{ seq: -1 }]), /"seq" must be a whole number/);
    assert.throws(
      () => parseCommandArgs(id, [{ seq: 1, topic: 'a' }]),
      /"argument.topic" is not known/,
    );
    assert.throws(() => parseCommandArgs(id, ['plant']), /"argument" must be an object/);
  });
});
