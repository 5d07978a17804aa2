/**
 * What the broker said it does not allow, refused before anything is sent. A broker that gets
 * it anyway may close the connection (MQTT 5.0 §3.2.2.3: a PUBLISH above Maximum QoS, a retained
 * one when Retain Available is 0, a packet above Maximum Packet Size, a wildcard, shared or
 * identified SUBSCRIBE it did not announce are Protocol Errors). A QoS above the maximum is
 * refused, not lowered: the publisher asked for a guarantee the broker cannot give.
 * Each reason names the limit, the broker's value and what to change.
 */
import type { QoS } from '../profile/profileTypes';
import { PROTOCOL_MAX_PACKET_SIZE, type BrokerCapabilities } from './brokerCapabilities';
import { publishPacketSize } from './publishPacketSize';

export interface PublishToCheck {
  topic: string;
  payload: string | Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: Record<string, unknown>;
}

export interface SubscriptionToCheck {
  topic: string;
  subscriptionIdentifier?: number;
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** Why the broker of connection `name` does not allow this publish; undefined if it does. */
export function publishRefusal(
  request: PublishToCheck,
  caps: BrokerCapabilities | undefined,
  name: string,
): string | undefined {
  if (!caps) return undefined;
  // What is refused and the broker's value first: a notification shows one line.
  const on = `on "${name}"`;
  const max = caps.maximumQoS;
  if (request.qos > max)
    return `QoS ${request.qos} not allowed: the broker allows at most QoS ${max} ${on} (CONNACK Maximum QoS ${max}). Nothing was sent; publish with QoS ${max} or lower.`;
  if (request.retain && !caps.retainAvailable)
    return `Retain not allowed: the broker keeps no retained messages ${on} (CONNACK Retain Available 0). Nothing was sent; publish without retain.`;
  const alias = request.properties?.topicAlias;
  const aliasMax = caps.topicAliasMaximum;
  if (typeof alias === 'number' && (alias < 1 || alias > aliasMax))
    return aliasMax === 0
      ? `Topic alias ${alias} not allowed: the broker accepts no topic aliases ${on} (${caps.protocolVersion === 5 ? 'CONNACK Topic Alias Maximum 0' : 'MQTT 3.1.1 has none'}). Nothing was sent.`
      : `Topic alias ${alias} not allowed: the broker accepts aliases 1 to ${aliasMax} ${on} (CONNACK Topic Alias Maximum ${aliasMax}). Nothing was sent.`;
  const size = publishPacketSize(request, caps.protocolVersion);
  const limit = caps.maximumPacketSize ?? PROTOCOL_MAX_PACKET_SIZE;
  if (size > limit)
    return caps.maximumPacketSize !== undefined
      ? `PUBLISH too large: ${bytes(size)}, the broker accepts at most ${bytes(limit)} ${on} (CONNACK Maximum Packet Size ${limit}). Nothing was sent to "${request.topic}".`
      : `PUBLISH too large: ${bytes(size)}, more than the ${bytes(limit)} an MQTT packet can hold. Nothing was sent to "${request.topic}".`;
  return undefined;
}

/**
 * Why the broker does not allow this subscription; undefined if it does. Kept as the
 * subscription's refusal, like a SUBACK's reason: the gist in its first 40 characters (a toast
 * shows those), then the CONNACK property and what to change.
 */
export function subscribeRefusal(
  sub: SubscriptionToCheck,
  caps: BrokerCapabilities | undefined,
): string | undefined {
  if (!caps) return undefined;
  const shared = /^\$share\/[^/]*\//.exec(sub.topic);
  const filter = shared ? sub.topic.slice(shared[0].length) : sub.topic;
  if (shared && !caps.sharedSubscriptionAvailable)
    return 'Shared subscriptions not supported by this broker (CONNACK Shared Subscription Available 0); not sent';
  if (/[+#]/.test(filter) && !caps.wildcardSubscriptionAvailable)
    return 'Wildcard subscriptions not supported by this broker (CONNACK Wildcard Subscription Available 0); not sent, subscribe to exact topics';
  if (sub.subscriptionIdentifier !== undefined && !caps.subscriptionIdentifiersAvailable)
    return caps.protocolVersion === 5
      ? 'Subscription identifiers not supported by this broker (CONNACK Subscription Identifier Available 0); not sent, remove the identifier'
      : 'Subscription identifiers are MQTT 5 only; this connection uses MQTT 3.1.1, not sent: remove the identifier or set "protocolVersion": 5';
  return undefined;
}
