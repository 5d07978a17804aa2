/**
 * What an independent Paho subscriber gets first on a filter: a retained message the broker
 * still holds (sent right after the SUBACK), or else the live marker published once it
 * subscribed. Used to check that Clear Retained left nothing retained behind.
 */
import { pahoPublish, pahoSubscribe, type PahoMessage } from './paho';

export async function firstMessageForPaho(
  port: number,
  filter: string,
  markerTopic: string,
): Promise<PahoMessage> {
  const sub = pahoSubscribe({
    port,
    topic: filter,
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  await sub.ready;
  await pahoPublish({
    port,
    topic: markerTopic,
    payload: 'marker',
    qos: 1,
    count: 1,
    protocol: 5,
    timeoutMs: 15_000,
  });
  const [first] = await sub.messages;
  return first;
}

/** Publishes one retained message per topic through Paho. */
export async function retainWithPaho(port: number, topics: readonly string[]): Promise<void> {
  for (const topic of topics) {
    await pahoPublish({
      port,
      topic,
      payload: `kept on ${topic}`,
      qos: 1,
      count: 1,
      protocol: 5,
      retain: true,
      timeoutMs: 15_000,
    });
  }
}
