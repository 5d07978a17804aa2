/**
 * A topic's last payload on one line, as the topic explorer and the hovers on topic strings show
 * it: decoded when it is whole and in a binary format (a rule or the bytes say so), else as text
 * or hex.
 */
import { decodedPreview } from '../decoders/decodedPreview';
import type { RuleChoice } from '../decoders/registry';
import { payloadPreview } from '../payloadText';
import { visibleLine } from '../../shared/visibleText';
import type { TopicNode } from './topicTree';

export function lastPayloadPreview(
  node: Pick<TopicNode, 'path' | 'lastPayload' | 'lastPayloadSize'>,
  maxChars: number,
  rule?: RuleChoice,
): string {
  const payload = node.lastPayload ?? new Uint8Array(0);
  const decoded =
    node.lastPayloadSize === payload.byteLength
      ? decodedPreview(payload, { topic: node.path }, rule, maxChars)
      : undefined;
  return decoded !== undefined
    ? visibleLine(decoded)
    : payloadPreview(payload, maxChars, node.lastPayloadSize);
}
