/**
 * Which topic levels the topic explorer opens by itself: the first `depth` levels, but only
 * while the connection has few topics — a tree of thousands opened at once would bury the
 * connection under rows the user did not ask for.
 */
import type { TopicNode } from './topicTree';

/** Above this many topics on a connection, new rows arrive collapsed. */
export const AUTO_EXPAND_MAX_TOPICS = 200;
export const DEFAULT_AUTO_EXPAND_DEPTH = 2;

/** 1 for a top-level topic (`demo`), 2 for `demo/greenhouse`, … */
export function topicDepth(node: TopicNode): number {
  let depth = 0;
  for (let n: TopicNode | undefined = node; n; n = n.parent) depth++;
  return depth;
}

/** True when `node` should be shown expanded the first time it has children. */
export function autoExpands(node: TopicNode, topicCount: number, depth: number): boolean {
  return (
    node.children.size > 0 && topicCount <= AUTO_EXPAND_MAX_TOPICS && topicDepth(node) <= depth
  );
}
