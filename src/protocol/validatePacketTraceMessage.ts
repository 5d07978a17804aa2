/**
 * Checks, at run time, every message a Packet Trace webview posts before the host acts on it
 * (type, field shapes, bounds), as `validateWebviewMessage.ts` does for the Message Log.
 */
import { describeValue as describe } from '../shared/describeValue';
import type { WebviewMessageCheckOf } from './viewProtocol';
import type { TraceWebviewToHost } from './packetTrace';
import { MAX_CONNECTION_NAME_LENGTH, MAX_ROWS_PER_REQUEST } from './validateWebviewMessage';

class Malformed extends Error {}

export function validatePacketTraceMessage(
  data: unknown,
): WebviewMessageCheckOf<TraceWebviewToHost> {
  try {
    return { ok: true, message: check(data) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, problem: error.message };
    throw error;
  }
}

function check(data: unknown): TraceWebviewToHost {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new Malformed(`the message must be an object, got ${describe(data)}`);
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'showConnection':
      return {
        type: 'showConnection',
        requestId: requestId(m),
        connection: name(m.connection, 'showConnection.connection'),
      };
    case 'rows':
      return {
        type: 'rows',
        requestId: requestId(m),
        connection: name(m.connection, 'rows.connection'),
        start: integer(m.start, 'rows.start', 0, Number.MAX_SAFE_INTEGER),
        count: integer(m.count, 'rows.count', 0, MAX_ROWS_PER_REQUEST),
      };
    case 'detail':
      return {
        type: 'detail',
        requestId: requestId(m),
        connection: name(m.connection, 'detail.connection'),
        index: integer(m.index, 'detail.index', 0, Number.MAX_SAFE_INTEGER),
      };
    case 'showInLog':
      return {
        type: 'showInLog',
        seq: integer(m.seq, 'showInLog.seq', 0, Number.MAX_SAFE_INTEGER),
      };
    default:
      throw new Malformed(`unknown message type ${describe(m.type)}`);
  }
}

function requestId(m: Record<string, unknown>): number {
  return integer(m.requestId, `${String(m.type)}.requestId`, 0, Number.MAX_SAFE_INTEGER);
}

function integer(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw new Malformed(
      `${what} must be a whole number from ${min} to ${max}, got ${describe(value)}`,
    );
  return value;
}

function name(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_CONNECTION_NAME_LENGTH)
    throw new Malformed(`${what} must be a connection name, got ${describe(value)}`);
  return value;
}
