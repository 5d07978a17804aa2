/**
 * What Send Request accepts and resolves with. Pure (`import type` only), so the parser runs in
 * unit tests without VS Code, like the rest of `commandArgs.ts`.
 */
import type { QoS } from '../../core/profile/profile';
import { MAX_REQUEST_TIMEOUT_MS } from '../../core/request/sendRequest';
import { Commands } from '../constants';
import { checks, type ConnectionRef } from './argChecks';

/** Missing fields are asked for (topic, payload, timeout); QoS defaults to 1. */
export interface RequestArgs {
  target?: ConnectionRef;
  topic?: string;
  payload?: string;
  qos?: QoS;
  responseTopic?: string;
  timeoutMs?: number;
}

export interface RequestReplyText {
  /** The payload as text (binary as hex), cut to a few hundred characters. */
  payload: string;
  latencyMs: number;
  seq?: number;
}

/** How Send Request went; undefined when cancelled. */
export type RequestCommandResult =
  | {
      kind: 'replied';
      reply: RequestReplyText;
      others: RequestReplyText[];
      responseTopic: string;
      correlationData: string;
      /** The request's row in the Message Log. */
      requestSeq?: number;
    }
  | {
      kind: 'timeout';
      timeoutMs: number;
      responseTopic: string;
      correlationData: string;
      requestSeq?: number;
    }
  | { kind: 'failed'; error: string }
  | undefined;

/** The fields of `{ connection, … }` besides the connection. */
export const REQUEST_FIELDS = ['topic', 'payload', 'qos', 'responseTopic', 'timeoutMs'];

/** Reads what `connectionFields` found: a tree row names only a connection. */
export function requestArgs(parsed: {
  target: ConnectionRef | undefined;
  fields: Record<string, unknown>;
  row?: string;
}): RequestArgs {
  const { target, fields, row } = parsed;
  if (row !== undefined) return { target };
  const c = checks(Commands.sendRequest);
  return {
    target,
    topic: c.string(fields.topic, 'topic'),
    payload: c.string(fields.payload, 'payload'),
    qos: c.qos(fields.qos, 'qos'),
    responseTopic: c.string(fields.responseTopic, 'responseTopic'),
    timeoutMs: c.integer(fields.timeoutMs, 'timeoutMs', 1, MAX_REQUEST_TIMEOUT_MS),
  };
}
