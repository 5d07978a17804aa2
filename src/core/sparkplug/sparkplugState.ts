/**
 * What is known of one Sparkplug B edge node and its devices: online or offline, the last seq and
 * bdSeq, the alias → metric name maps of its last births, and what looked wrong (seq gaps, a
 * death with another bdSeq, data before any birth). Pure data and rules; the tracker feeds it.
 */

export type Liveness = 'online' | 'offline' | 'unknown';

export interface SparkplugWarning {
  kind: 'seqGap' | 'bdSeqMismatch' | 'dataBeforeBirth' | 'undecodable' | 'limit';
  text: string;
  time: number;
}

/** The alias → name map of one birth, in force from that birth's Message Log seq on. */
export interface AliasGeneration {
  fromSeq: number;
  names: Map<string, string>;
  /** What its map takes, roughly (`aliasEntryBytes` of each entry). */
  bytes: number;
}

export interface DeviceState {
  name: string;
  state: Liveness;
  lastMessageAt: number;
  births: AliasGeneration[];
  /** Births let go (beyond `birthsKept` or the byte budget). */
  birthsDropped?: number;
  /** Unknown because our connection to its broker dropped (until its next message). */
  connectionLost?: boolean;
}

export interface EdgeNodeState extends DeviceState {
  connection: string;
  group: string;
  /** The seq of the last NBIRTH/NDATA/DBIRTH/DDATA/DDEATH (0–255). */
  lastSeq?: number;
  /** The bdSeq metric of the last NBIRTH. */
  bdSeq?: number;
  devices: Map<string, DeviceState>;
  /** Devices not tracked because of `maxDevicesPerNode`, counted by name (up to 1,000). */
  droppedDevices: number;
  seqGaps: number;
  bdSeqMismatches: number;
  /** The latest warnings, newest last. */
  warnings: SparkplugWarning[];
  /** Warnings since the last NBIRTH (all of them before the first). */
  warningsSinceBirth: number;
}

export interface SparkplugLimits {
  /** Edge nodes tracked across all connections. */
  maxNodes: number;
  maxDevicesPerNode: number;
  /** Aliases kept per birth. */
  maxMetricsPerBirth: number;
  /** Births (alias maps) kept per node and per device, for messages decoded later. */
  birthsKept: number;
  /** Bytes of all alias maps kept, across nodes and devices; the oldest births go beyond. */
  aliasBytesKept: number;
  /** Characters of a metric name kept (a longer one is kept cut with "…"). */
  maxNameLength: number;
  warningsKept: number;
}

export const DEFAULT_LIMITS: SparkplugLimits = {
  maxNodes: 1_000,
  maxDevicesPerNode: 500,
  maxMetricsPerBirth: 10_000,
  birthsKept: 4,
  aliasBytesKept: 32 * 1024 * 1024,
  maxNameLength: 256,
  warningsKept: 20,
};

export function newNode(connection: string, group: string, name: string, time: number) {
  const node: EdgeNodeState = {
    connection,
    group,
    name,
    state: 'unknown',
    lastMessageAt: time,
    births: [],
    devices: new Map(),
    droppedDevices: 0,
    seqGaps: 0,
    bdSeqMismatches: 0,
    warnings: [],
    warningsSinceBirth: 0,
  };
  return node;
}

export function warn(
  node: EdgeNodeState,
  kind: SparkplugWarning['kind'],
  text: string,
  time: number,
  limits: SparkplugLimits,
): void {
  node.warnings.push({ kind, text, time });
  node.warningsSinceBirth++;
  if (node.warnings.length > limits.warningsKept) node.warnings.shift();
}

/** Whether something looked wrong since the node's last NBIRTH (a Rebirth clears it). */
export function warnedSinceBirth(node: EdgeNodeState): boolean {
  return node.warningsSinceBirth > 0;
}

/** Checks a seq against the one before (wrapping 255 → 0) and records it. */
export function checkSeq(
  node: EdgeNodeState,
  seq: number | undefined,
  what: string,
  time: number,
  limits: SparkplugLimits,
): void {
  if (seq === undefined) return;
  const last = node.lastSeq;
  node.lastSeq = seq;
  if (last === undefined) return;
  const expected = (last + 1) % 256;
  if (seq === expected) return;
  node.seqGaps++;
  const missing = (seq - expected + 256) % 256;
  warn(
    node,
    'seqGap',
    `seq gap: ${what} has seq ${seq} after ${last} (expected ${expected}, ${missing} missing)`,
    time,
    limits,
  );
}

/** Keeps a birth's alias map; returns the oldest, dropped beyond the limit. */
export function addBirth(
  holder: DeviceState,
  generation: AliasGeneration,
  limits: SparkplugLimits,
): AliasGeneration | undefined {
  holder.births.push(generation);
  if (holder.births.length <= limits.birthsKept) return undefined;
  holder.birthsDropped = (holder.birthsDropped ?? 0) + 1;
  return holder.births.shift();
}

/** The metric name an alias stood for at log seq `seq` (the latest birth before it). */
export function nameAt(
  holder: DeviceState,
  alias: string,
  seq: number | undefined,
): { name: string } | { unknown: string } | undefined {
  const births = holder.births;
  if (births.length === 0 && !holder.birthsDropped) return undefined;
  for (let i = births.length - 1; i >= 0; i--) {
    const birth = births[i];
    if (seq !== undefined && birth.fromSeq > seq) continue;
    const name = birth.names.get(alias);
    return name === undefined ? { unknown: 'not in its birth' } : { name };
  }
  // Every kept birth came after it: an older one was let go, or there was none.
  return {
    unknown: holder.birthsDropped ? 'its birth is no longer kept' : 'no birth seen before it',
  };
}
