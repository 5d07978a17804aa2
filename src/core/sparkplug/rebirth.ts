/**
 * The Rebirth request a host application sends an edge node: an NCMD with the Boolean metric
 * "Node Control/Rebirth" = true (Sparkplug B 3.0, §6.4.2).
 */
import { DataType, encodeSparkplugPayload } from './sparkplugCodec';
import { sparkplugTopic } from './sparkplugTopic';

export const REBIRTH_METRIC = 'Node Control/Rebirth';

export function rebirthRequest(
  group: string,
  node: string,
  now: number,
): { topic: string; payload: Uint8Array } {
  return {
    topic: sparkplugTopic({ group, type: 'NCMD', node }),
    payload: encodeSparkplugPayload({
      timestamp: now,
      metrics: [{ name: REBIRTH_METRIC, datatype: DataType.Boolean, value: true }],
    }),
  };
}
