/**
 * Checks, at run time, every message a Who Floods webview posts before the host acts on it
 * (type, field shapes, bounds), as `validateWebviewMessage.ts` does for the Message Log.
 */
import { describeValue as describe } from '../shared/describeValue';
import type { FloodView, FloodsWebviewToHost } from './floods';
import type { WebviewMessageCheckOf } from './viewProtocol';
import { MAX_CONNECTION_NAME_LENGTH } from './validateWebviewMessage';

/** MQTT's own limit on a topic's length in bytes; no longer string can be a topic. */
const MAX_TOPIC_LENGTH = 65_535;

class Malformed extends Error {}

export function validateFloodsMessage(data: unknown): WebviewMessageCheckOf<FloodsWebviewToHost> {
  try {
    return { ok: true, message: check(data) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, problem: error.message };
    throw error;
  }
}

function check(data: unknown): FloodsWebviewToHost {
  const m = record(data, 'the message');
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'setView':
      return { type: 'setView', view: view(m.view) };
    case 'openTopic':
      return {
        type: 'openTopic',
        connection: name(m.connection, 'openTopic.connection'),
        topic: topic(m.topic),
      };
    default:
      throw new Malformed(`unknown message type ${describe(m.type)}`);
  }
}

function view(value: unknown): FloodView {
  const v = record(value, 'setView.view');
  const unknown = Object.keys(v).filter((k) => !['connection', 'window', 'sort'].includes(k));
  if (unknown.length) throw new Malformed(`setView.view has unknown field "${unknown[0]}"`);
  if (v.window !== 10 && v.window !== 60)
    throw new Malformed(`setView.view.window must be 10 or 60, got ${describe(v.window)}`);
  if (v.sort !== 'msgs' && v.sort !== 'bytes')
    throw new Malformed(`setView.view.sort must be "msgs" or "bytes", got ${describe(v.sort)}`);
  const out: FloodView = { window: v.window, sort: v.sort };
  if (v.connection !== undefined) out.connection = name(v.connection, 'setView.view.connection');
  return out;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Malformed(`${what} must be an object, got ${describe(value)}`);
  return value as Record<string, unknown>;
}

function name(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CONNECTION_NAME_LENGTH)
    throw new Malformed(`${what} must be a connection name, got ${describe(value)}`);
  return value;
}

function topic(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOPIC_LENGTH)
    throw new Malformed(`openTopic.topic must be a topic, got ${describe(value)}`);
  return value;
}
