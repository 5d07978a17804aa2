/**
 * Sparkplug B topics: `spBv1.0/<group>/<type>/<edge node>[/<device>]`, and `spBv1.0/STATE/<host>`
 * (a host application's state, JSON or text, not a Sparkplug Payload).
 */

export const SPARKPLUG_NAMESPACE = 'spBv1.0';
const PREFIX = `${SPARKPLUG_NAMESPACE}/`;

export const MESSAGE_TYPES = [
  'NBIRTH',
  'NDEATH',
  'DBIRTH',
  'DDEATH',
  'NDATA',
  'DDATA',
  'NCMD',
  'DCMD',
] as const;
export type SparkplugMessageType = (typeof MESSAGE_TYPES)[number];

export interface SparkplugTopic {
  group: string;
  type: SparkplugMessageType;
  node: string;
  /** Present for DBIRTH, DDEATH, DDATA and DCMD. */
  device?: string;
}

/** Cheap test done on every message: does this topic belong to Sparkplug B at all? */
export function isSparkplugTopic(topic: string): boolean {
  return topic.startsWith(PREFIX);
}

/** The parts of a Sparkplug B topic that carries a Payload, or undefined (STATE, malformed). */
export function parseSparkplugTopic(topic: string): SparkplugTopic | undefined {
  if (!isSparkplugTopic(topic)) return undefined;
  const parts = topic.split('/');
  if (parts.length !== 4 && parts.length !== 5) return undefined;
  const [, group, type, node, device] = parts;
  if (!(MESSAGE_TYPES as readonly string[]).includes(type) || !group || !node) return undefined;
  const isDevice = type.startsWith('D');
  if (isDevice !== (device !== undefined) || device === '') return undefined;
  return device === undefined
    ? { group, type: type as SparkplugMessageType, node }
    : { group, type: type as SparkplugMessageType, node, device };
}

export function sparkplugTopic(parts: SparkplugTopic): string {
  const base = `${PREFIX}${parts.group}/${parts.type}/${parts.node}`;
  return parts.device === undefined ? base : `${base}/${parts.device}`;
}
