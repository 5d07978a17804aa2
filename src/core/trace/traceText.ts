/**
 * A trace entry in words: its one-line summary and its fields, built from the snapshot only
 * when a page of the trace is read. Reason codes get their names (src/core/reasons.ts).
 */
import { connackReason, reasonName } from '../reasons';
import type { TraceEntry, TraceField } from './traceTypes';

const TYPE_NAMES: Record<string, string | undefined> = {
  connect: 'CONNECT',
  connack: 'CONNACK',
  publish: 'PUBLISH',
  puback: 'PUBACK',
  pubrec: 'PUBREC',
  pubrel: 'PUBREL',
  pubcomp: 'PUBCOMP',
  subscribe: 'SUBSCRIBE',
  suback: 'SUBACK',
  unsubscribe: 'UNSUBSCRIBE',
  unsuback: 'UNSUBACK',
  pingreq: 'PINGREQ',
  pingresp: 'PINGRESP',
  disconnect: 'DISCONNECT',
  auth: 'AUTH',
};

/** The packet type as the specification names it. */
export function packetTypeName(cmd: string): string {
  return TYPE_NAMES[cmd] ?? cmd.toUpperCase();
}

/** Every field of the packet as name/value lines, nested names joined by dots. */
export function traceFields(entry: TraceEntry): TraceField[] {
  const fields: TraceField[] = [];
  const s = entry.snapshot;
  for (const key of Object.keys(s)) {
    if (key === 'cmd' || s[key] === undefined) continue;
    flatten(key, s[key], fields);
  }
  for (const reason of reasonFields(entry)) fields.push(reason);
  return fields;
}

function flatten(name: string, value: unknown, out: TraceField[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push({ name, value: '[]' });
    value.forEach((item, i) => flatten(`${name}[${i}]`, item, out));
  } else if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push({ name, value: '{}' });
    for (const [k, v] of entries) flatten(`${name}.${k}`, v, out);
  } else {
    out.push({ name, value: String(value) });
  }
}

/** The names of the reason codes the packet carries. */
function reasonFields(entry: TraceEntry): TraceField[] {
  const s = entry.snapshot;
  const v = entry.protocolVersion;
  const out: TraceField[] = [];
  if (s.cmd === 'connack') {
    const code = (s.reasonCode ?? s.returnCode) as number | undefined;
    if (typeof code === 'number') out.push({ name: 'reason', value: connackReason(code, v) });
  } else if (typeof s.reasonCode === 'number') {
    out.push({ name: 'reason', value: reasonName(s.reasonCode, v) });
  }
  const codes = (s.granted ?? (s.cmd === 'unsuback' ? s.reasonCode : undefined)) as unknown;
  if (Array.isArray(codes))
    codes.forEach((c, i) => {
      if (typeof c === 'number') out.push({ name: `reasons[${i}]`, value: reasonName(c, v) });
    });
  return out;
}

/** One line that says what the packet did. */
export function traceSummary(entry: TraceEntry): string {
  const s = entry.snapshot;
  const v = entry.protocolVersion;
  switch (s.cmd) {
    case 'connect': {
      const user = typeof s.username === 'string' ? ` user "${s.username}"` : '';
      const password = s.password ? ' password ••••••' : '';
      const will = s.will ? ' with will' : '';
      return `client "${String(s.clientId)}" v${String(s.protocolVersion)} clean=${String(s.clean)} keepalive=${String(s.keepalive)}s${user}${password}${will}`;
    }
    case 'connack': {
      const code = (s.reasonCode ?? s.returnCode ?? 0) as number;
      return `${connackReason(code, v)}${s.sessionPresent ? ', session present' : ''}`;
    }
    case 'publish': {
      const id = s.messageId !== undefined ? ` id ${String(s.messageId)}` : '';
      const flags = `${s.retain ? ' retain' : ''}${s.dup ? ' dup' : ''}`;
      return `${String(s.topic)} QoS ${String(s.qos)}${id}${flags}, ${String(s.payloadSize ?? 0)} B`;
    }
    case 'subscribe': {
      const subs = (s.subscriptions as { topic?: string; qos?: number }[] | undefined) ?? [];
      return subs.map((x) => `${String(x.topic)} (QoS ${String(x.qos)})`).join(', ');
    }
    case 'suback':
    case 'unsuback': {
      const codes = (s.granted ?? s.reasonCode) as unknown;
      return Array.isArray(codes)
        ? codes.map((c) => reasonName(Number(c), v)).join(', ')
        : `id ${String(s.messageId)}`;
    }
    case 'unsubscribe':
      return ((s.unsubscriptions as string[] | undefined) ?? []).join(', ');
    case 'disconnect':
    case 'auth':
    case 'puback':
    case 'pubrec':
    case 'pubrel':
    case 'pubcomp': {
      const id = s.messageId !== undefined ? `id ${String(s.messageId)}` : '';
      const code = typeof s.reasonCode === 'number' ? reasonName(s.reasonCode, v) : '';
      const reasonString = (s.properties as { reasonString?: string } | undefined)?.reasonString;
      return [id, code, reasonString ? `"${reasonString}"` : ''].filter(Boolean).join(' ');
    }
    default:
      return '';
  }
}
