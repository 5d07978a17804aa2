/**
 * One MQTT 5 request/response exchange (§4.10) over a session: a fresh correlation data, a
 * response topic (given, or made for this request), a temporary subscription to it, the request
 * published with both properties, and the replies paired by correlation data. The temporary
 * subscription is removed when the exchange ends, whichever way it ends.
 */
import { randomBytes } from 'node:crypto';
import type { Event } from '../event';
import { MqttError } from '../mqttError';
import type { Scheduler } from '../ports';
import type { QoS } from '../profile/profile';
import type { TemporarySubscription } from '../session/temporarySubscriptions';
import type {
  PublishOutcome,
  PublishRequest,
  ReceivedMessage,
  SessionState,
} from '../session/sessionTypes';
import { validateTopicName } from '../topics/topics';
import { RequestPairing, type PairingResult } from './requestPairing';

/** Further replies are collected for this long after the first one, unless told otherwise. */
export const DEFAULT_REPLY_WINDOW_MS = 1000;
export const MAX_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** What a request needs of a session (an `MqttSession` is one). */
export interface RequestSession {
  readonly name: string;
  readonly clientId: string;
  readonly profile: { protocolVersion: 4 | 5 };
  readonly state: SessionState;
  readonly onMessage: Event<ReceivedMessage>;
  readonly onDidChangeState: Event<SessionState>;
  readonly temporary: { subscribe(topic: string, qos: QoS): Promise<TemporarySubscription> };
  publish(request: PublishRequest): Promise<PublishOutcome>;
}

export interface RequestOptions {
  topic: string;
  payload: string | Uint8Array;
  qos: QoS;
  /** Where replies are expected; a topic of its own is made for this request when absent. */
  responseTopic?: string;
  timeoutMs: number;
  /** How long after the first reply further ones are collected (default 1 s). */
  windowMs?: number;
}

export type RequestResult = PairingResult<ReceivedMessage> & {
  topic: string;
  responseTopic: string;
  /** The correlation data sent: 32 hexadecimal characters (16 random bytes). */
  correlationData: string;
  sentAt: number;
};

/** Publishes a request and resolves with its replies, a timeout, or why it was interrupted. */
export async function sendRequest(
  session: RequestSession,
  options: RequestOptions,
  scheduler: Scheduler,
): Promise<RequestResult> {
  checkRequest(session, options);
  const correlationData = randomBytes(16).toString('hex');
  const responseTopic = options.responseTopic ?? defaultResponseTopic(session.clientId);
  const subscription = await session.temporary.subscribe(responseTopic, options.qos);
  const pairing = new RequestPairing<ReceivedMessage>({
    correlationData: Buffer.from(correlationData),
    timeoutMs: options.timeoutMs,
    windowMs: options.windowMs ?? DEFAULT_REPLY_WINDOW_MS,
    scheduler,
  });
  const listeners = [
    session.onMessage((message) => {
      if (message.topic === responseTopic) pairing.offer(message);
    }),
    session.onDidChangeState((state) => {
      if (state.kind !== 'connected') pairing.interrupt(`"${session.name}" lost its connection.`);
    }),
  ];
  try {
    session
      .publish({
        topic: options.topic,
        payload: options.payload,
        qos: options.qos,
        retain: false,
        properties: { responseTopic, correlationData: Buffer.from(correlationData) },
      })
      .catch((error: unknown) => pairing.interrupt((error as Error).message));
    const result = await pairing.done;
    return {
      ...result,
      topic: options.topic,
      responseTopic,
      correlationData,
      sentAt: pairing.sentAt,
    };
  } finally {
    for (const listener of listeners) listener.dispose();
    await subscription.close();
  }
}

function checkRequest(session: RequestSession, options: RequestOptions): void {
  if (session.profile.protocolVersion !== 5)
    throw new MqttError(
      `"${session.name}" uses MQTT 3.1.1; a request needs MQTT 5 (its response topic and correlation data are MQTT 5 properties).`,
    );
  if (session.state.kind !== 'connected')
    throw new MqttError(`"${session.name}" is not connected.`);
  const topicError = validateTopicName(options.topic);
  if (topicError) throw new MqttError(`Request topic: ${topicError}`);
  if (options.responseTopic !== undefined) {
    const error = validateTopicName(options.responseTopic);
    if (error) throw new MqttError(`Response topic: ${error}`);
  }
  const { timeoutMs, windowMs } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_REQUEST_TIMEOUT_MS)
    throw new MqttError(
      `The request timeout must be more than 0 and at most ${MAX_REQUEST_TIMEOUT_MS} ms (got ${timeoutMs}).`,
    );
  if (windowMs !== undefined && (!Number.isFinite(windowMs) || windowMs < 0))
    throw new MqttError(`The reply window must be 0 ms or more (got ${windowMs}).`);
}

/** `<clientId>/responses/<random>`; a client id that is no valid topic level is left out. */
export function defaultResponseTopic(clientId: string): string {
  const unique = randomBytes(6).toString('hex');
  const usable =
    clientId !== '' &&
    !clientId.startsWith('$') &&
    !/[+#/]/.test(clientId) &&
    !validateTopicName(clientId);
  const base = usable ? clientId : 'mqtt-scope';
  return `${base}/responses/${unique}`;
}

/** How a request ended, in one English sentence (logs; the extension words its own). */
export function describeRequestResult(result: RequestResult): string {
  switch (result.kind) {
    case 'replied': {
      const more = result.others.length ? ` (+${result.others.length} more)` : '';
      return `reply after ${Math.round(result.first.latencyMs)} ms${more}`;
    }
    case 'timeout':
      return `no reply within ${formatSeconds(result.timeoutMs)}`;
    case 'interrupted':
      return `interrupted: ${result.reason}`;
  }
}

export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
