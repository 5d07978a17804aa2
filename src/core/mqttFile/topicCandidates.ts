/**
 * Topics seen on connections that continue what is typed, for completion after `PUBLISH `,
 * `EXPECT ` and `REQUEST `. Walks the typed levels with one map lookup each and reads only the
 * children of the last complete level, stopping at `limit`: a keystroke never walks a whole tree.
 */
import type { TopicNode } from '../topics/topicTree';

export const MAX_TOPIC_CANDIDATES = 200;

/** What the walk needs of a session's `TopicTree`. */
export interface TopicSource {
  /** Topics in the tree: the top level is read again only when it changed. */
  readonly size: number;
  topLevel(): TopicNode[];
  find(topic: string): TopicNode | undefined;
}

export interface TopicCandidate {
  /** The full topic of the node. */
  path: string;
  /** Levels exist below it. */
  hasChildren: boolean;
  /** Messages arrived on exactly this topic. */
  isTopic: boolean;
  retained: boolean;
}

export interface TopicCandidates {
  candidates: TopicCandidate[];
  /** False when `limit` cut the list: typing more narrows it. */
  complete: boolean;
}

/**
 * The nodes one level below the typed prefix's complete levels whose name starts with its last,
 * partial level, across `sources`, without duplicates, at most `limit`, sorted by path.
 */
export function topicCandidates(
  sources: Iterable<TopicSource>,
  prefix: string,
  limit = MAX_TOPIC_CANDIDATES,
): TopicCandidates {
  const slash = prefix.lastIndexOf('/');
  const parentPath = slash < 0 ? undefined : prefix.slice(0, slash);
  const partial = prefix.slice(slash + 1);
  // A wildcard or an expansion in a complete level matches no single node.
  if (parentPath !== undefined && /[+#]|\{\{/.test(parentPath)) {
    return { candidates: [], complete: true };
  }
  const seen = new Map<string, TopicCandidate>();
  let complete = true;
  outer: for (const source of sources) {
    const children = childrenOf(source, parentPath);
    if (!children) continue;
    for (const node of children) {
      if (!node.name.startsWith(partial)) continue;
      const known = seen.get(node.path);
      if (known) {
        known.hasChildren ||= node.children.size > 0;
        known.isTopic ||= node.messageCount > 0;
        known.retained ||= node.retained;
        continue;
      }
      if (seen.size >= limit) {
        complete = false;
        break outer;
      }
      seen.set(node.path, {
        path: node.path,
        hasChildren: node.children.size > 0,
        isTopic: node.messageCount > 0,
        retained: node.retained,
      });
    }
  }
  const candidates = [...seen.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  return { candidates, complete };
}

/** Each tree's top level as last read (the tree sorts it: not again on every keystroke). */
const topLevels = new WeakMap<TopicSource, { size: number; nodes: TopicNode[] }>();

function childrenOf(
  source: TopicSource,
  parentPath: string | undefined,
): Iterable<TopicNode> | undefined {
  if (parentPath === undefined) {
    let cached = topLevels.get(source);
    if (cached?.size !== source.size) {
      cached = { size: source.size, nodes: source.topLevel() };
      topLevels.set(source, cached);
    }
    return cached.nodes;
  }
  return source.find(parentPath)?.children.values();
}
