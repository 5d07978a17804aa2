/**
 * What a message's MQTT 5 properties mean, for the Message Log's detail: which subscription each
 * subscription identifier stands for, the topic a topic alias stood for (MQTT.js resolves an
 * incoming alias to the topic and leaves `topicAlias` on the packet's properties), the expiry left
 * now, and correlation data as text
 * or hex. (User properties are rows of the property table, repeated keys kept: logRows.ts.)
 */
import type { LogMqtt5Detail } from '../../protocol/messageLog';
import type { MessageEntry } from '../store/messageStoreTypes';
import { decodeUtf8 } from '../../shared/utf8';
import { toHex } from '../../shared/hex';
import type { RuleChoice } from '../decoders/registry';
import type { DecodeContext } from '../decoders/decoder';

/** Correlation data is at most 65,535 bytes; the detail shows the hex of its start. */
const MAX_HEX_BYTES = 1024;

export interface DetailContext {
  /** Now, on the clock the entry's time was read from. */
  now: number;
  /** The topic filter of `connection`'s subscription with this identifier, if it has one. */
  subscriptionFor?(connection: string, identifier: number): string | undefined;
  /** The `mqttScope.decoders` rule for a topic, if one matches. */
  decoderRule?(topic: string): RuleChoice | undefined;
  /** Sparkplug B: the metric names of a message's aliases (`SparkplugTracker.aliasesFor`). */
  sparkplugAliases?(connection: string, topic: string, seq: number): DecodeContext['metricAlias'];
}

export function mqtt5Detail(entry: MessageEntry, ctx: DetailContext): LogMqtt5Detail | undefined {
  const p = entry.properties;
  if (!p) return undefined;
  const detail: LogMqtt5Detail = {};
  const ids = p.subscriptionIdentifier;
  const list = (Array.isArray(ids) ? ids : [ids]).filter(
    (id): id is number => typeof id === 'number',
  );
  if (list.length > 0)
    detail.subscriptions = list.map((identifier) => {
      const topicFilter = ctx.subscriptionFor?.(entry.connection, identifier);
      return topicFilter === undefined ? { identifier } : { identifier, topicFilter };
    });
  if (typeof p.topicAlias === 'number')
    detail.topicAlias = { alias: p.topicAlias, topic: entry.topic };
  if (typeof p.messageExpiryInterval === 'number') {
    const elapsedS = Math.max(0, Math.floor((ctx.now - entry.time) / 1000));
    detail.expiry = {
      intervalS: p.messageExpiryInterval,
      remainingS: Math.max(0, p.messageExpiryInterval - elapsedS),
    };
  }
  if (p.correlationData instanceof Uint8Array) {
    const text = decodeUtf8(p.correlationData);
    detail.correlationData = {
      hex:
        toHex(p.correlationData, MAX_HEX_BYTES) +
        (p.correlationData.byteLength > MAX_HEX_BYTES ? ' …' : ''),
      ...(text !== undefined ? { text } : {}),
    };
  }
  return Object.keys(detail).length > 0 ? detail : undefined;
}
