/**
 * The synthetic traffic every bench section uses: 1,000 topics (10 lines × 100 machines) and
 * 50-byte JSON payloads, generated deterministically so runs are comparable.
 */
export const TOPIC_COUNT = 1_000;
export const PAYLOAD_BYTES = 50;

export function topicOf(i: number): string {
  const k = i % TOPIC_COUNT;
  return `plant/line-${k % 10}/machine-${Math.floor(k / 10)}/telemetry`;
}

/** A JSON object padded to exactly PAYLOAD_BYTES bytes. */
export function payloadOf(i: number): Buffer {
  const head = `{"m":${i % TOPIC_COUNT},"seq":${i % 1_000_000},"t":${(20 + (i % 97) / 10).toFixed(1)},"p":"`;
  return Buffer.from(head + 'x'.repeat(PAYLOAD_BYTES - head.length - 2) + '"}');
}

/** A small deterministic PRNG, so page positions are the same in every run. */
export { random } from '../test/support/random';

export interface SyntheticMessage {
  topic: string;
  payload: Buffer;
  qos: 0;
  retain: boolean;
  dup: boolean;
  properties: Record<string, unknown> | undefined;
  receivedAt: number;
}

/**
 * Messages shaped like what MQTT.js hands out: the topic a fresh string decoded from a chunk,
 * the payload a view into a 64 KiB "socket chunk" (so a store that keeps the view keeps the
 * chunk), a new object per message.
 */
export function* syntheticMessages(count: number): Generator<SyntheticMessage> {
  const CHUNK = 64 * 1024;
  let chunk = Buffer.alloc(0);
  let pos = 0;
  for (let i = 0; i < count; i++) {
    const topic = topicOf(i);
    const payload = payloadOf(i);
    const need = Buffer.byteLength(topic) + payload.length;
    if (pos + need > chunk.length) {
      chunk = Buffer.allocUnsafe(CHUNK);
      pos = 0;
    }
    const topicStart = pos;
    pos += chunk.write(topic, pos);
    const payloadStart = pos;
    pos += payload.copy(chunk, pos);
    yield {
      topic: chunk.toString('utf8', topicStart, payloadStart),
      payload: chunk.subarray(payloadStart, pos),
      qos: 0,
      retain: false,
      dup: false,
      properties: undefined,
      receivedAt: Date.now(),
    };
  }
}
