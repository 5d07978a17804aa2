import type { PayloadDecoder } from './decoder';
import { decodedText } from './decodedTree';
import { decodeSparkplugPayload } from '../sparkplug/sparkplugCodec';
import { payloadNode } from '../sparkplug/sparkplugNodes';
import { parseSparkplugTopic } from '../sparkplug/sparkplugTopic';

/**
 * Sparkplug B (Eclipse Tahu `sparkplug_b.proto`): chosen by its topic,
 * `spBv1.0/<group>/<type>/<edge node>[/<device>]`; `spBv1.0/STATE/…` is JSON or text and left to
 * those decoders. Metrics sent by alias only are named from their birth (`context.metricAlias`).
 */
export const sparkplugDecoder: PayloadDecoder = {
  id: 'sparkplug',
  label: 'Sparkplug B',
  sniff: (_bytes, topic) => parseSparkplugTopic(topic) !== undefined,
  sniffReason: 'topic spBv1.0/…',
  decode(bytes, context) {
    const payload = decodeSparkplugPayload(bytes);
    const value = payloadNode(payload, context.metricAlias?.bind(context));
    const type = parseSparkplugTopic(context.topic)?.type;
    return { value, text: decodedText(value), label: type ? `Sparkplug B ${type}` : 'Sparkplug B' };
  },
};
