/**
 * Links MQTT 5 requests and replies in the log by what they carry (§4.10): a request is an
 * outgoing message with a response topic and correlation data; its replies are messages the
 * same connection received on that topic with the same correlation data, byte for byte.
 * Computed when a detail is asked for, from the stored properties — nothing is kept per message
 * and nothing is done on the received path, and any request in the log is linked (from Send
 * Request, Publish with properties, or one seen from another client), not only ours. The
 * search is bounded: the rows after a request (or before a reply) up to `MAX_SCAN`.
 */
import type { LogRequestLink } from '../../protocol/messageLog';
import { correlationDataOf, sameBytes } from '../request/requestPairing';
import type { MessageStore } from '../store/messageStore';
import type { MessageEntry } from '../store/messageStoreTypes';

/** Rows examined looking for the other end of a link. */
export const MAX_SCAN = 200_000;
/** Candidates read (on the response topic, or outgoing) looking for it. */
const MAX_CANDIDATES = 1000;

type Store = Pick<MessageStore, 'page'>;

export function requestLinkOf(store: Store, entry: MessageEntry): LogRequestLink | undefined {
  const correlationData = correlationDataOf(entry);
  if (!correlationData) return undefined;
  const responseTopic = responseTopicOf(entry);
  if (entry.direction === 'out') {
    if (responseTopic === undefined) return undefined;
    const replies = store
      .page({
        fromSeq: entry.seq + 1,
        limit: MAX_CANDIDATES,
        maxScan: MAX_SCAN,
        filter: { topicFilter: responseTopic, connection: entry.connection, direction: 'in' },
      })
      .entries.filter(
        (e) => e.topic === responseTopic && sameBytes(correlationDataOf(e), correlationData),
      );
    const first = replies[0];
    if (!first) return { role: 'request', otherReplies: 0 };
    const sentAt =
      entry.outcome !== undefined && entry.outcome !== 'pending'
        ? (entry.outcome.sentAt ?? entry.time)
        : entry.time;
    return {
      role: 'request',
      replySeq: first.seq,
      latencyMs: Math.max(0, first.time - sentAt),
      otherReplies: replies.length - 1,
    };
  }
  const requests = store.page({
    beforeSeq: entry.seq,
    limit: MAX_CANDIDATES,
    maxScan: MAX_SCAN,
    filter: { connection: entry.connection, direction: 'out' },
  }).entries;
  for (let i = requests.length - 1; i >= 0; i--) {
    const r = requests[i];
    if (responseTopicOf(r) === entry.topic && sameBytes(correlationDataOf(r), correlationData))
      return { role: 'reply', requestSeq: r.seq };
  }
  return undefined;
}

/** The newest stored request of `connection` on `topic` that carried this correlation data. */
export function findRequestSeq(
  store: Store,
  connection: string,
  topic: string,
  correlationData: Uint8Array,
): number | undefined {
  const { entries } = store.page({
    limit: 100,
    maxScan: MAX_SCAN,
    filter: { topicFilter: topic, connection, direction: 'out' },
  });
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e.topic === topic && sameBytes(correlationDataOf(e), correlationData)) return e.seq;
  }
  return undefined;
}

/** A usable response topic: a string without wildcards (it is used as an exact filter). */
function responseTopicOf(entry: MessageEntry): string | undefined {
  const topic = entry.properties?.responseTopic;
  return typeof topic === 'string' && topic !== '' && !/[+#]/.test(topic) ? topic : undefined;
}
