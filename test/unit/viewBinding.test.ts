// The generic host side of a webview, on an in-memory channel: the ready gate, replies by id,
// validation, contained failures and dispose. A toy protocol stands for any view's.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ViewBinding, type ViewHandlers } from '../../src/host/viewBinding';
import type { WebviewMessageCheckOf } from '../../src/protocol/viewProtocol';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';

type ToHost =
  | { type: 'ready' }
  | { type: 'echo'; requestId: number; text: string }
  | { type: 'later'; requestId: number; ms: number }
  | { type: 'poke' };
type ToWebview =
  | { type: 'init'; greeting: string }
  | { type: 'notice'; n: number }
  | { type: 'echo'; requestId: number; text: string }
  | { type: 'later'; requestId: number; ms: number };
interface Replies {
  echo: Extract<ToWebview, { type: 'echo' }>;
  later: Extract<ToWebview, { type: 'later' }>;
}

function validate(data: unknown): WebviewMessageCheckOf<ToHost> {
  const m = data as Record<string, unknown> | null;
  if (!m || typeof m !== 'object') return { ok: false, problem: 'not an object' };
  if (m.type === 'ready' || m.type === 'poke') return { ok: true, message: { type: m.type } };
  if (typeof m.requestId !== 'number') return { ok: false, problem: `${String(m.type)}.requestId` };
  if (m.type === 'echo' && typeof m.text === 'string')
    return { ok: true, message: { type: 'echo', requestId: m.requestId, text: m.text } };
  if (m.type === 'later' && typeof m.ms === 'number')
    return { ok: true, message: { type: 'later', requestId: m.requestId, ms: m.ms } };
  return { ok: false, problem: `unknown message type ${JSON.stringify(m.type)}` };
}

function setup(handlers: Partial<ViewHandlers<ToHost, Replies>> = {}) {
  const channel = new RecordingChannel<ToWebview>();
  const logger = new RecordingLogger();
  const handled: string[] = [];
  const binding = new ViewBinding<ToHost, ToWebview, Replies>(channel, {
    name: 'Toy View',
    validate,
    init: () => ({ type: 'init', greeting: 'hello' }),
    handlers: {
      echo: ({ text }) => ({ type: 'echo', text }),
      later: ({ ms }) =>
        new Promise((resolve) => setTimeout(() => resolve({ type: 'later', ms }), ms)),
      poke: () => void handled.push('poke'),
      ...handlers,
    },
    logger,
  });
  return { channel, logger, binding, handled };
}

describe('ViewBinding', () => {
  it('whenReady resolves after the init went out, or false for a view closed before ready', async () => {
    const { channel, binding } = setup();
    const ready = binding.whenReady().then((r) => [r, channel.posted.length] as const);
    channel.send({ type: 'ready' });
    assert.deepEqual(await ready, [true, 1], 'true, with the init already posted');
    assert.equal(await binding.whenReady(), true);
    const closed = setup();
    const never = closed.binding.whenReady();
    closed.binding.dispose();
    assert.equal(await never, false);
  });

  it('posts nothing before ready; then the init first and notices after it', () => {
    const { channel, binding } = setup();
    binding.post({ type: 'notice', n: 1 });
    channel.send({ type: 'echo', requestId: 1, text: 'early' });
    assert.deepEqual(channel.posted, [], 'nothing before ready, not even a reply');
    assert.equal(binding.isReady, false);

    channel.send({ type: 'ready' });
    binding.post({ type: 'notice', n: 2 });
    assert.deepEqual(channel.posted, [
      { type: 'init', greeting: 'hello' },
      { type: 'notice', n: 2 },
    ]);
  });

  it('answers each request with its own id, an async reply after a quicker one', async () => {
    const { channel } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'later', requestId: 7, ms: 30 });
    channel.send({ type: 'echo', requestId: 8, text: 'now' });
    assert.deepEqual(channel.posted.at(-1), { type: 'echo', text: 'now', requestId: 8 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(channel.posted.slice(1), [
      { type: 'echo', text: 'now', requestId: 8 },
      { type: 'later', ms: 30, requestId: 7 },
    ]);
  });

  it('logs a malformed message briefly and ignores it', () => {
    const { channel, logger, handled } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'echo', text: 'no id' });
    channel.send({ type: 'eval', requestId: 1, code: 'process.exit()' });
    channel.send(null);
    assert.deepEqual(logger.at('warn'), [
      'Toy View: ignored a malformed message from the webview: echo.requestId',
      'Toy View: ignored a malformed message from the webview: unknown message type "eval"',
      'Toy View: ignored a malformed message from the webview: not an object',
    ]);
    assert.equal(channel.posted.length, 1, 'only the init');
    assert.deepEqual(handled, []);
  });

  it('contains a handler that throws or rejects: logged, and the next message is served', async () => {
    const { channel, logger } = setup({
      poke: () => {
        throw new Error('poke broke');
      },
      later: () => Promise.reject(new Error('later broke')),
    });
    channel.send({ type: 'ready' });
    channel.send({ type: 'poke' });
    channel.send({ type: 'later', requestId: 3, ms: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    channel.send({ type: 'echo', requestId: 4, text: 'still here' });
    assert.deepEqual(logger.at('error'), [
      'Toy View: a "poke" request failed: poke broke',
      'Toy View: a "later" request failed: later broke',
    ]);
    assert.deepEqual(
      channel.posted.map((m) => m.type),
      ['init', 'echo'],
    );
  });

  it('contains a validator that throws', () => {
    const channel = new RecordingChannel<ToWebview>();
    const logger = new RecordingLogger();
    new ViewBinding<ToHost, ToWebview, Replies>(channel, {
      name: 'Toy View',
      validate: () => {
        throw new Error('validator bug');
      },
      init: () => ({ type: 'init', greeting: 'hello' }),
      handlers: {
        echo: ({ text }) => ({ type: 'echo', text }),
        later: () => never(),
        poke: () => {},
      },
      logger,
    });
    channel.send({ type: 'ready' });
    assert.deepEqual(logger.at('error'), [
      'Toy View: the check of a webview message failed: validator bug',
    ]);
    assert.deepEqual(channel.posted, []);
  });

  it('posts nothing after dispose, not even a reply that was on its way', async () => {
    const { channel, binding, handled } = setup();
    channel.send({ type: 'ready' });
    channel.send({ type: 'later', requestId: 1, ms: 10 });
    binding.dispose();
    binding.post({ type: 'notice', n: 1 });
    channel.send({ type: 'poke' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(
      channel.posted.map((m) => m.type),
      ['init'],
    );
    assert.deepEqual(handled, [], 'a message after dispose reaches no handler');
    assert.equal(channel.listening, 0, 'the channel listener is removed');
  });

  it('reports each well-formed message before its handler runs', () => {
    const { channel, binding } = setup();
    const seen: string[] = [];
    binding.onDidReceive((m) => seen.push(m.type));
    channel.send({ type: 'ready' });
    channel.send({ type: 'bogus' });
    channel.send({ type: 'poke' });
    assert.deepEqual(seen, ['ready', 'poke']);
  });

  it('does not compile without a handler for every message type', () => {
    // @ts-expect-error: 'poke' has no handler
    const missing: ViewHandlers<ToHost, Replies> = {
      echo: ({ text }) => ({ type: 'echo', text }),
      later: ({ ms }) => ({ type: 'later', ms }),
    };
    const wrongReply: ViewHandlers<ToHost, Replies> = {
      // @ts-expect-error: a request's handler returns its reply
      echo: () => undefined,
      later: ({ ms }) => ({ type: 'later', ms }),
      poke: () => {},
    };
    assert.ok(missing && wrongReply);
  });
});

function never(): never {
  throw new Error('not called');
}
