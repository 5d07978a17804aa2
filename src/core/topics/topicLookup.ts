/**
 * What the connections have seen of a topic or a filter, read from their topic trees without
 * walking them whole: a topic is one lookup per level; a filter walks only the branches its
 * levels allow, and stops after a bounded number of nodes (then its count is "at least").
 */
import { effectiveFilter, validateTopicFilter } from './topics';
import type { TopicNode, TopicTree } from './topicTree';

/** Nodes a filter's walk visits at most, per connection. */
export const MAX_FILTER_VISITS = 10_000;

/** A connection's topics, as the lookup reads them. */
export interface TopicSource {
  name: string;
  topics: Pick<TopicTree, 'size' | 'find' | 'topLevelNodes'>;
}

export interface FilterMatches {
  /** Topics with messages that match (counted up to the visit limit). */
  count: number;
  /** The walk stopped at the visit limit: there may be more. */
  atLeast: boolean;
  /** The busiest matches, busiest first. */
  busiest: TopicNode[];
}

export type LiveTopic =
  | { kind: 'topic'; connection: string; node: TopicNode }
  | { kind: 'filter'; connection: string; filter: string; matches: FilterMatches };

export interface LookupOptions {
  /** Messages per second on a topic now, when known (orders a filter's busiest matches). */
  rateOf?: (connection: string, topic: string) => number | undefined;
  maxVisits?: number;
  /** How many of a filter's busiest matches to keep (3). */
  busiest?: number;
}

/** Whether any connection has a topic: a counter per connection, nothing walked. */
export function anyTopics(sources: readonly TopicSource[]): boolean {
  return sources.some((s) => s.topics.size > 0);
}

/**
 * What each connection saw of `text`: a topic that received messages, or a filter (with + or
 * #) that matches some. Connections that saw nothing of it are left out.
 */
export function lookupLiveTopic(
  sources: readonly TopicSource[],
  text: string,
  options: LookupOptions = {},
): LiveTopic[] {
  const out: LiveTopic[] = [];
  if (text.length === 0) return out;
  const isFilter = /[+#]/.test(text);
  if (isFilter && validateTopicFilter(text) !== undefined) return out;
  for (const source of sources) {
    if (source.topics.size === 0) continue;
    if (!isFilter) {
      const node = source.topics.find(text);
      if (node && node.messageCount > 0) out.push({ kind: 'topic', connection: source.name, node });
      continue;
    }
    const matches = filterMatches(source, text, options);
    if (matches.count > 0)
      out.push({ kind: 'filter', connection: source.name, filter: text, matches });
  }
  return out;
}

/** Counts a filter's matches on one connection and keeps the busiest few. */
function filterMatches(source: TopicSource, filter: string, options: LookupOptions): FilterMatches {
  const keep = options.busiest ?? 3;
  const busiest: { node: TopicNode; rate: number }[] = [];
  let count = 0;
  const complete = walkFilter(
    source.topics,
    filter,
    (node) => {
      count++;
      const rate = options.rateOf?.(source.name, node.path) ?? 0;
      const better = (b: { node: TopicNode; rate: number }) =>
        rate > b.rate || (rate === b.rate && node.messageCount > b.node.messageCount);
      if (busiest.length === keep && (keep === 0 || !better(busiest[keep - 1]))) return;
      const at = busiest.findIndex(better);
      if (at >= 0) busiest.splice(at, 0, { node, rate });
      else busiest.push({ node, rate });
      if (busiest.length > keep) busiest.pop();
    },
    options.maxVisits ?? MAX_FILTER_VISITS,
  );
  return { count, atLeast: !complete, busiest: busiest.map((b) => b.node) };
}

/**
 * Calls `visit` for each topic with messages that `filter` (valid, `$share/…` allowed)
 * matches, visiting at most `maxVisits` nodes; true when the walk was complete.
 */
export function walkFilter(
  topics: TopicSource['topics'],
  filter: string,
  visit: (node: TopicNode) => void,
  maxVisits: number,
): boolean {
  const levels = effectiveFilter(filter).split('/');
  // The literal levels before the first wildcard are one lookup.
  let k = 0;
  while (k < levels.length && levels[k] !== '+' && levels[k] !== '#') k++;
  const stack: { node: TopicNode; level: number }[] = [];
  // Every node put on the stack counts, so a wide level cannot grow it past the limit; past
  // it, the nodes already on the stack are still read.
  let visits = 0;
  let cut = false;
  const push = (node: TopicNode, level: number) => {
    if (++visits > maxVisits) cut = true;
    else stack.push({ node, level });
    return !cut;
  };
  const pushChildren = (node: TopicNode, level: number) => {
    for (const child of node.children.values()) if (!push(child, level)) return false;
    return true;
  };
  if (k === 0) {
    // A filter starting with a wildcard does not match topics starting with $ (MQTT §4.7.2).
    for (const root of topics.topLevelNodes())
      if (!root.name.startsWith('$') && !push(root, 0)) break;
  } else {
    const start = topics.find(levels.slice(0, k).join('/'));
    if (!start) return true;
    push(start, k - 1);
  }
  // `level` is the filter level the node matched (a root matches level 0, a wildcard).
  while (stack.length > 0) {
    const { node, level } = stack.pop()!;
    const next = levels[level + 1];
    if (levels[level] === '#') {
      if (node.messageCount > 0) visit(node);
      if (!cut) pushChildren(node, level);
      continue;
    }
    if (next === undefined) {
      if (node.messageCount > 0) visit(node);
      continue;
    }
    // "a/#" also matches "a" itself.
    if (next === '#' && node.messageCount > 0) visit(node);
    if (next === '#' || next === '+') {
      if (!cut) pushChildren(node, level + 1);
    } else {
      const child = node.children.get(next);
      if (child && !cut) push(child, level + 1);
    }
  }
  return !cut;
}
