/**
 * PUBLISH over an MQTT.js client, resolving once the broker acknowledged it with the
 * acknowledgement packets exchanged, or rejecting with an MqttError that says why it refused.
 */
import type { MqttLink } from './mqttClientFactory';
import type { Logger, Scheduler } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import { reasonName } from '../reasons';
import { MqttError } from '../mqttError';
import type { PublishOutcome, PublishRequest } from './sessionTypes';

export interface PublishContext {
  /** Whose name the log lines start with. */
  profile: ConnectionProfile;
  logger: Logger;
  scheduler: Scheduler;
  /** Returns and forgets the acknowledgement packets seen for this packet identifier. */
  takeHandshake(messageId: number): string[];
}

/** Publishes and resolves once the broker acknowledged it (immediately for QoS 0). */
export function requestPublish(
  client: MqttLink,
  request: PublishRequest,
  ctx: PublishContext,
): Promise<PublishOutcome> {
  const started = ctx.scheduler.now();
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
        const handshake =
          packet?.messageId !== undefined && request.qos > 0
            ? ctx.takeHandshake(packet.messageId)
            : [];
        if (err) {
          const code = (err as { code?: number }).code;
          const reasonString = (packet as { properties?: { reasonString?: string } } | undefined)
            ?.properties?.reasonString;
          const extra = reasonString ? ` — ${reasonString}` : '';
          const message =
            typeof code === 'number'
              ? `The broker refused the publish to "${request.topic}": ${reasonName(code)}${extra}`
              : `Publishing to "${request.topic}" failed: ${err.message}`;
          ctx.logger.warn(`[${ctx.profile.name}] ${message}`);
          reject(new MqttError(message, typeof code === 'number' ? code : undefined));
          return;
        }
        resolve({ qos: request.qos, handshake, elapsedMs: ctx.scheduler.now() - started });
      },
    );
  });
}
