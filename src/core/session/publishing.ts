/**
 * PUBLISH over an MQTT.js client, resolving once the broker acknowledged it with the
 * acknowledgement packets exchanged, or rejecting with a `PublishError` that says why it
 * refused. Either way the outcome carries the exchange, timed from the send, for the log.
 */
import type { MqttLink } from './mqttClientFactory';
import type { Logger, Scheduler } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import { reasonName } from '../reasons';
import { MqttError } from '../mqttError';
import type { PublishOutcome, PublishRequest } from './sessionTypes';
import type { HandshakeStep } from './publishHandshake';
import type { ExchangeStep, PublishResult } from '../traffic/trafficTypes';

export interface PublishContext {
  /** Whose name the log lines start with. */
  profile: ConnectionProfile;
  logger: Logger;
  scheduler: Scheduler;
  /** Returns and forgets the acknowledgement packets seen for this packet identifier. */
  takeHandshake(messageId: number): HandshakeStep[];
  /** When the publish is sent, if already read from the clock (the scheduler's now otherwise). */
  startedAt?: number;
}

/** A publish that was refused or failed, with its outcome for the log. */
export class PublishError extends MqttError {
  constructor(
    message: string,
    readonly result: PublishResult,
  ) {
    super(message, result.reasonCode);
  }
}

/** Publishes and resolves once the broker acknowledged it (immediately for QoS 0). */
export function requestPublish(
  client: MqttLink,
  request: PublishRequest,
  ctx: PublishContext,
): Promise<PublishOutcome> {
  const started = ctx.startedAt ?? ctx.scheduler.now();
  const payload =
    typeof request.payload === 'string'
      ? request.payload
      : Buffer.from(request.payload.buffer, request.payload.byteOffset, request.payload.byteLength);
  return new Promise((resolve, reject) => {
    client.publish(
      request.topic,
      payload,
      { qos: request.qos, retain: request.retain, properties: request.properties },
      (err, packet) => {
        const taken =
          packet?.messageId !== undefined && request.qos > 0
            ? ctx.takeHandshake(packet.messageId)
            : [];
        const steps = taken.map((s) => exchangeStep(s, started));
        const settledAt = ctx.scheduler.now();
        const reasonString = (packet as { properties?: { reasonString?: string } } | undefined)
          ?.properties?.reasonString;
        if (err) {
          const code = (err as { code?: number }).code;
          const extra = reasonString ? ` — ${reasonString}` : '';
          const refused = typeof code === 'number';
          const message = refused
            ? `The broker refused the publish to "${request.topic}": ${reasonName(code)}${extra}`
            : `Publishing to "${request.topic}" failed: ${err.message}`;
          ctx.logger.warn(`[${ctx.profile.name}] ${message}`);
          const result: PublishResult = refused
            ? { state: 'refused', sentAt: started, settledAt, steps, reasonCode: code }
            : { state: 'failed', sentAt: started, settledAt, steps, error: err.message };
          if (reasonString) result.reasonString = reasonString;
          reject(new PublishError(message, result));
          return;
        }
        const result: PublishResult = { state: 'ok', sentAt: started, settledAt, steps };
        const last = steps[steps.length - 1];
        if (last?.reasonCode !== undefined) result.reasonCode = last.reasonCode;
        if (reasonString) result.reasonString = reasonString;
        resolve({
          qos: request.qos,
          handshake: steps.map((s) => s.packet),
          elapsedMs: settledAt - started,
          result,
        });
      },
    );
  });
}

function exchangeStep(step: HandshakeStep, started: number): ExchangeStep {
  const out: ExchangeStep = { packet: step.packet, atMs: Math.max(0, step.at - started) };
  if (step.reasonCode !== undefined) out.reasonCode = step.reasonCode;
  return out;
}
