/**
 * SUBSCRIBE and UNSUBSCRIBE over an MQTT.js client, reading what the broker answered: the
 * SUBACK reason code becomes the subscription's status, an UNSUBACK refusal an MqttError.
 */
import type { Packet } from 'mqtt';
import type { MqttLink } from './mqttClientFactory';
import type { Logger } from '../ports';
import type { ConnectionProfile, QoS } from '../profile/profile';
import { reasonName } from '../reasons';
import { MqttError } from '../mqttError';
import type { Subscription, SubscriptionStatus } from './sessionTypes';
import type { BrokerCapabilities } from './brokerCapabilities';
import { subscribeRefusal } from './capabilityChecks';

export interface SubscribeContext {
  /** Whose name the log lines start with and whose protocol version the reasons are read in. */
  profile: ConnectionProfile;
  logger: Logger;
  /** False once the session has moved on to another client (or none). */
  isCurrent(client: MqttLink): boolean;
  /** Called after the broker's answer was recorded on the subscription. */
  onAnswered(sub: Subscription): void;
  /** What the broker allows (its CONNACK): a subscription it does not is refused unsent. */
  capabilities?: BrokerCapabilities;
}

/** Subscribes and records the broker's answer on `sub.status`; never rejects. */
export function requestSubscribe(
  client: MqttLink,
  sub: Subscription,
  ctx: SubscribeContext,
): Promise<SubscriptionStatus> {
  const refused = subscribeRefusal(sub, ctx.capabilities);
  if (refused) {
    // Recorded as the broker's refusal would be; a broker sent it could close the link.
    sub.status = { kind: 'refused', reason: refused };
    ctx.logger.warn(`[${ctx.profile.name}] ${sub.topic}: ${refused}`);
    ctx.onAnswered(sub);
    return Promise.resolve(sub.status);
  }
  const v5 = ctx.profile.protocolVersion === 5;
  const opts = {
    qos: sub.qos,
    ...(v5
      ? {
          nl: sub.noLocal ?? false,
          rap: sub.retainAsPublished ?? false,
          rh: sub.retainHandling ?? 0,
        }
      : {}),
  };
  // The identifier is a property of the whole SUBSCRIBE; one topic is sent per SUBSCRIBE here.
  const id = v5 ? sub.subscriptionIdentifier : undefined;
  const packetOpts = id === undefined ? {} : { properties: { subscriptionIdentifier: id } };
  return new Promise((resolve) => {
    client.subscribe({ [sub.topic]: opts }, packetOpts, (err, _granted, packet) => {
      const suback = (packet ?? (err as { packet?: Packet } | null)?.packet) as
        { granted?: number[]; properties?: { reasonString?: string } } | undefined;
      const code = suback?.granted?.[0];
      if (code === undefined && !ctx.isCurrent(client)) {
        resolve(sub.status); // the connection went away first; it is resubscribed on reconnect
        return;
      }
      if (code !== undefined && code < 0x80) {
        sub.status = { kind: 'granted', qos: code as QoS };
        ctx.logger.info(`[${ctx.profile.name}] subscribed to ${sub.topic} (granted QoS ${code})`);
      } else {
        const why =
          code !== undefined
            ? reasonName(code, ctx.profile.protocolVersion)
            : (err?.message ?? 'no SUBACK');
        const extra = suback?.properties?.reasonString
          ? ` — ${suback.properties.reasonString}`
          : '';
        sub.status = { kind: 'refused', reason: `${why}${extra}` };
        ctx.logger.warn(
          `[${ctx.profile.name}] the broker refused the subscription to ${sub.topic}: ${why}${extra}`,
        );
      }
      ctx.onAnswered(sub);
      resolve(sub.status);
    });
  });
}

/** Unsubscribes; rejects with an MqttError when it failed or the broker refused. */
export function requestUnsubscribe(client: MqttLink, topic: string): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    client.unsubscribe(topic, (err, packet) => {
      const code = (packet as { reasonCode?: number; granted?: number[] } | undefined)
        ?.granted?.[0];
      if (err) reject(new MqttError(`Unsubscribe from "${topic}" failed: ${err.message}`));
      else if (code !== undefined && code >= 0x80)
        reject(new MqttError(`Unsubscribe from "${topic}" refused: ${reasonName(code)}`, code));
      else resolve();
    }),
  );
}
