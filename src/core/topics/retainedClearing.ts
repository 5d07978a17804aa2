/**
 * Clear Retained: a retained message is deleted by publishing an empty retained message on its
 * topic (MQTT 5.0 §3.3.1.3). The topic tree knows which topics hold one, as far as the messages
 * this connection received tell, so a subtree is cleared topic by topic.
 */
import type { TopicNode } from './topicTree';
import type { PublishRequest } from '../session/sessionTypes';

/** How many empty retained messages are awaiting their PUBACK at once. */
const IN_FLIGHT = 100;

export interface RetainedClearOutcome {
  cleared: string[];
  failed: { topic: string; error: string }[];
}

/** The topics at `node` and below that hold a retained message, in tree order. */
export function retainedTopicsUnder(node: TopicNode): string[] {
  const topics: string[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop() as TopicNode;
    if (current.retained) topics.push(current.path);
    // Reversed, so the walk visits children in their map's order.
    const children = [...current.children.values()];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return topics;
}

/** Publishes an empty retained message at QoS 1 on each topic; one failure does not stop the rest. */
export async function clearRetained(
  publisher: { publish(request: PublishRequest): Promise<unknown> },
  topics: readonly string[],
): Promise<RetainedClearOutcome> {
  const outcome: RetainedClearOutcome = { cleared: [], failed: [] };
  for (let i = 0; i < topics.length; i += IN_FLIGHT) {
    await Promise.all(
      topics.slice(i, i + IN_FLIGHT).map(async (topic) => {
        try {
          await publisher.publish({ topic, payload: new Uint8Array(0), qos: 1, retain: true });
          outcome.cleared.push(topic);
        } catch (error) {
          outcome.failed.push({ topic, error: (error as Error).message });
        }
      }),
    );
  }
  return outcome;
}
