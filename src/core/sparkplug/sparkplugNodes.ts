/**
 * A decoded Sparkplug B Payload as a `DecodedNode` tree: timestamp, seq, and each metric as
 * name → { value, datatype, alias, timestamp, … }, the value read by its datatype. Bounded like
 * every decoded tree (`MAX_DEPTH` levels of templates and data sets, `MAX_NODES` values).
 */
import type { DecodedNode } from '../../protocol/decoded';
import { bytesNode, MAX_DEPTH, MAX_NODES } from '../decoders/decodedTree';
import { dataTypeName, type RawMetric, type RawPayload } from './sparkplugCodec';
import { arrayNode } from './sparkplugArrays';

/** The metric name an alias stands for, or why it is unknown. */
export type AliasLookup = (alias: string) => { name: string } | { unknown: string };

type Budget = { left: number };
type Entries = [string, DecodedNode][];

const OUT_OF_BUDGET: DecodedNode = { t: 'cut', why: `more than ${MAX_NODES} values` };

/** Takes `count` values from the budget; false when it is used up. */
function spend(budget: Budget, count: number): boolean {
  return (budget.left -= count) > 0;
}

export function payloadNode(payload: RawPayload, names?: AliasLookup): DecodedNode {
  const budget = { left: MAX_NODES };
  const entries: Entries = [];
  if (payload.timestamp !== undefined) entries.push(['timestamp', longNode(payload.timestamp)]);
  if (payload.seq !== undefined) entries.push(['seq', longNode(payload.seq)]);
  if (payload.uuid !== undefined) entries.push(['uuid', { t: 'str', v: payload.uuid }]);
  entries.push(['metrics', metricsNode(payload.metrics ?? [], 0, budget, names)]);
  if (payload.body !== undefined) entries.push(['body', bytesNode(payload.body)]);
  return { t: 'map', entries };
}

function metricsNode(
  metrics: RawMetric[],
  depth: number,
  budget: Budget,
  names?: AliasLookup,
): DecodedNode {
  if (depth >= MAX_DEPTH) return { t: 'cut', why: `nested deeper than ${MAX_DEPTH} levels` };
  const entries: Entries = [];
  for (const metric of metrics) {
    if (!spend(budget, 6)) {
      entries.push(['…', OUT_OF_BUDGET]);
      break;
    }
    entries.push([metricKey(metric, names), metricNode(metric, depth, budget)]);
  }
  return { t: 'map', entries };
}

/** The metric's name; for a metric sent by alias only, the name its birth gave that alias. */
function metricKey(metric: RawMetric, names?: AliasLookup): string {
  if (metric.name !== undefined) return metric.name;
  if (metric.alias === undefined) return '(no name, no alias)';
  const found = names?.(metric.alias);
  if (found && 'name' in found) return found.name;
  return `alias ${metric.alias}${found ? ` (${found.unknown})` : ''}`;
}

function metricNode(metric: RawMetric, depth: number, budget: Budget): DecodedNode {
  const entries: Entries = [['value', metricValue(metric, depth, budget)]];
  entries.push(['datatype', { t: 'str', v: dataTypeName(metric.datatype) }]);
  if (metric.alias !== undefined) entries.push(['alias', longNode(metric.alias)]);
  if (metric.timestamp !== undefined) entries.push(['timestamp', longNode(metric.timestamp)]);
  if (metric.isHistorical) entries.push(['historical', { t: 'bool', v: true }]);
  if (metric.isTransient) entries.push(['transient', { t: 'bool', v: true }]);
  if (metric.properties?.keys?.length)
    entries.push(['properties', propertySetNode(metric.properties, depth + 1, budget)]);
  return { t: 'map', entries };
}

/** The value by the metric's datatype (the value field sent, when the datatype is unknown). */
function metricValue(metric: RawMetric, depth: number, budget: Budget): DecodedNode {
  if (metric.isNull) return { t: 'null' };
  return fieldValue(metric, metric.datatype, depth, budget);
}

function fieldValue(
  holder: RawMetric,
  datatype: number | undefined,
  depth: number,
  budget: Budget,
): DecodedNode {
  switch (holder.value) {
    case 'intValue':
      return { t: 'num', v: intByType(holder.intValue ?? 0, datatype) };
    case 'longValue':
      return longNode(holder.longValue ?? '0', datatype === 4 || datatype === 25);
    case 'floatValue':
      return { t: 'num', v: holder.floatValue ?? 0 };
    case 'doubleValue':
      return { t: 'num', v: holder.doubleValue ?? 0 };
    case 'booleanValue':
      return { t: 'bool', v: holder.booleanValue === true };
    case 'stringValue':
      return { t: 'str', v: holder.stringValue ?? '' };
    case 'bytesValue': {
      const bytes = holder.bytesValue ?? new Uint8Array();
      return (datatype ?? 0) >= 22 ? arrayNode(bytes, datatype ?? 0, budget) : bytesNode(bytes);
    }
    case 'datasetValue':
      return dataSetNode(holder.datasetValue ?? {}, depth + 1, budget);
    case 'templateValue':
      return templateNode(holder.templateValue ?? {}, depth + 1, budget);
    case 'extensionValue':
      return { t: 'str', v: '(extension value)' };
    default:
      return { t: 'null' };
  }
}

/** Int8/Int16/Int32 travel in a uint32: read back with their sign. */
function intByType(value: number, datatype: number | undefined): number {
  if (datatype === 1) return (value << 24) >> 24;
  if (datatype === 2) return (value << 16) >> 16;
  if (datatype === 3) return value | 0;
  return value >>> 0;
}

/** A 64-bit value: a number when a double holds it exactly, else its decimal digits. */
export function longNode(text: string, signed = false): DecodedNode {
  const value = signed ? BigInt.asIntN(64, BigInt(text)) : BigInt(text);
  return Number.isSafeInteger(Number(value))
    ? { t: 'num', v: Number(value) }
    : { t: 'int', v: value.toString() };
}

function dataSetNode(set: Record<string, unknown>, depth: number, budget: Budget): DecodedNode {
  if (depth >= MAX_DEPTH) return { t: 'cut', why: `nested deeper than ${MAX_DEPTH} levels` };
  const columns = (set.columns as string[] | undefined) ?? [];
  const types = (set.types as number[] | undefined) ?? [];
  const rows = (set.rows as { elements?: RawMetric[] }[] | undefined) ?? [];
  const items: DecodedNode[] = [];
  for (const row of rows) {
    const elements = row.elements ?? [];
    if (!spend(budget, Math.max(columns.length, elements.length) + 1)) {
      items.push(OUT_OF_BUDGET);
      break;
    }
    const cells: Entries = elements.map((cell, i) => [
      columns[i] ?? `column ${i + 1}`,
      fieldValue(cell, types[i], depth, budget),
    ]);
    items.push({ t: 'map', entries: cells });
  }
  return {
    t: 'map',
    entries: [
      ['columns', { t: 'list', items: columns.map((c, i) => columnNode(c, types[i])) }],
      ['rows', { t: 'list', items }],
    ],
  };
}

function columnNode(name: string, type: number | undefined): DecodedNode {
  return { t: 'str', v: `${name}: ${dataTypeName(type)}` };
}

function templateNode(
  template: Record<string, unknown>,
  depth: number,
  budget: Budget,
): DecodedNode {
  if (depth >= MAX_DEPTH) return { t: 'cut', why: `nested deeper than ${MAX_DEPTH} levels` };
  const entries: Entries = [];
  if (template.templateRef !== undefined)
    entries.push(['templateRef', { t: 'str', v: String(template.templateRef) }]);
  if (template.version !== undefined)
    entries.push(['version', { t: 'str', v: String(template.version) }]);
  if (template.isDefinition) entries.push(['isDefinition', { t: 'bool', v: true }]);
  const parameters = (template.parameters as (RawMetric & { type?: number })[] | undefined) ?? [];
  if (parameters.length) {
    const named: Entries = [];
    for (const p of parameters) {
      if (!spend(budget, 1)) {
        named.push(['…', OUT_OF_BUDGET]);
        break;
      }
      named.push([p.name ?? '(no name)', fieldValue(p, p.type, depth, budget)]);
    }
    entries.push(['parameters', { t: 'map', entries: named }]);
  }
  const metrics = (template.metrics as RawMetric[] | undefined) ?? [];
  entries.push(['metrics', metricsNode(metrics, depth + 1, budget)]);
  return { t: 'map', entries };
}

function propertySetNode(
  set: { keys?: string[]; values?: Record<string, unknown>[] },
  depth: number,
  budget: Budget,
): DecodedNode {
  if (depth >= MAX_DEPTH) return { t: 'cut', why: `nested deeper than ${MAX_DEPTH} levels` };
  const values = set.values ?? [];
  const entries: Entries = [];
  for (const [i, key] of (set.keys ?? []).entries()) {
    if (!spend(budget, 1)) {
      entries.push(['…', OUT_OF_BUDGET]);
      break;
    }
    entries.push([key, propertyValue(values[i] ?? {}, depth, budget)]);
  }
  return { t: 'map', entries };
}

function propertyValue(raw: Record<string, unknown>, depth: number, budget: Budget): DecodedNode {
  const value = raw as RawMetric & {
    type?: number;
    propertysetValue?: never;
    propertysetsValue?: { propertyset?: never[] };
  };
  if (value.isNull) return { t: 'null' };
  if (value.value === 'propertysetValue')
    return propertySetNode(value.propertysetValue as never, depth + 1, budget);
  if (value.value === 'propertysetsValue') {
    const items: DecodedNode[] = [];
    for (const set of value.propertysetsValue?.propertyset ?? []) {
      if (!spend(budget, 1)) {
        items.push(OUT_OF_BUDGET);
        break;
      }
      items.push(propertySetNode(set, depth + 1, budget));
    }
    return { t: 'list', items };
  }
  return fieldValue(value, value.type, depth, budget);
}
