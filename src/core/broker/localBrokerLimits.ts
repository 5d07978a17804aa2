/**
 * What the embedded broker keeps in memory, bounded. aedes' in-memory persistence keeps every
 * retained message and every QoS 1/2 message queued for an offline persistent session without
 * limit (150,000 QoS 1 messages to one offline client grew the extension host by 328 MiB), so
 * `boundPersistence` wraps the persistence instance the broker created: a retained message or a
 * queued message past its cap is not kept, and the log says so. Like Mosquitto's
 * `max_queued_messages`, a full queue keeps the oldest messages and drops the new ones.
 */
import type { Logger } from '../ports';

export interface LocalBrokerLimits {
  /** Largest MQTT packet a client may send, in bytes (announced in an MQTT 5 CONNACK). */
  maxPacketBytes: number;
  /** Topics holding a retained message. */
  retainedMessages: number;
  /** Payload and topic bytes of all retained messages. */
  retainedBytes: number;
  /** QoS 1/2 messages queued for one persistent session. */
  queuedMessagesPerClient: number;
  /** Payload and topic bytes queued for all persistent sessions together. */
  queuedBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LOCAL_BROKER_LIMITS: LocalBrokerLimits = {
  maxPacketBytes: 16 * MiB,
  retainedMessages: 10_000,
  retainedBytes: 64 * MiB,
  queuedMessagesPerClient: 10_000,
  queuedBytes: 64 * MiB,
};

interface PacketLike {
  topic: string;
  payload: Buffer | string;
}
interface SubLike {
  clientId: string;
}

/** The part of aedes' persistence (aedes-persistence 10 and 11) the caps wrap. */
export interface PersistenceLike {
  storeRetained(packet: PacketLike): Promise<void>;
  outgoingEnqueue(sub: SubLike, packet: PacketLike): Promise<void>;
  outgoingEnqueueCombi(subs: SubLike[], packet: PacketLike): Promise<void>;
  outgoingClearMessageId(client: { id: string }, packet: object): Promise<PacketLike | undefined>;
  outgoingUpdate(client: { id: string }, packet: object): Promise<void>;
}

interface Queue {
  count: number;
  bytes: number;
  dropped: number;
}

/** Replaces the persistence's writing methods with capped ones; reads stay aedes' own. */
export function boundPersistence(
  persistence: PersistenceLike,
  limits: LocalBrokerLimits,
  logger: Logger,
): void {
  const retained = new Map<string, number>();
  let retainedBytes = 0;
  const queues = new Map<string, Queue>();
  let queuedBytes = 0;
  /** Clients that had a message refused: aedes may still try to update its missing copy. */
  const refusedClients = new Set<string>();
  const inner = {
    storeRetained: persistence.storeRetained.bind(persistence),
    outgoingEnqueueCombi: persistence.outgoingEnqueueCombi.bind(persistence),
    outgoingClearMessageId: persistence.outgoingClearMessageId.bind(persistence),
    outgoingUpdate: persistence.outgoingUpdate.bind(persistence),
  };
  const warnRetained = throttled(logger);

  persistence.storeRetained = async (packet) => {
    const size = sizeOf(packet);
    const previous = retained.get(packet.topic);
    const isDelete = packet.payload.length === 0;
    const fits =
      isDelete ||
      ((previous !== undefined || retained.size < limits.retainedMessages) &&
        retainedBytes - (previous ?? 0) + size <= limits.retainedBytes);
    if (previous !== undefined) {
      retained.delete(packet.topic);
      retainedBytes -= previous;
    }
    if (!fits) {
      warnRetained(
        `Local broker: the retained message on ${JSON.stringify(packet.topic)} was not kept: ` +
          `the broker holds at most ${limits.retainedMessages} retained messages and ` +
          `${limits.retainedBytes} bytes of them`,
      );
      // A topic whose new message cannot be kept must not go on delivering the old one.
      if (previous !== undefined)
        await inner.storeRetained({ ...packet, payload: Buffer.alloc(0) });
      return;
    }
    if (!isDelete) {
      retained.set(packet.topic, size);
      retainedBytes += size;
    }
    await inner.storeRetained(packet);
  };

  const admit = (sub: SubLike, size: number): boolean => {
    let queue = queues.get(sub.clientId);
    if (!queue) queues.set(sub.clientId, (queue = { count: 0, bytes: 0, dropped: 0 }));
    if (queue.count < limits.queuedMessagesPerClient && queuedBytes + size <= limits.queuedBytes) {
      queue.count++;
      queue.bytes += size;
      queuedBytes += size;
      return true;
    }
    refusedClients.add(sub.clientId);
    if (queue.dropped++ === 0) {
      logger.warn(
        `Local broker: the queue of client ${JSON.stringify(sub.clientId)} is full ` +
          `(${queue.count} messages; at most ${limits.queuedMessagesPerClient} per client and ` +
          `${limits.queuedBytes} bytes for all): new messages for it are dropped until it takes some`,
      );
    }
    return false;
  };

  persistence.outgoingEnqueueCombi = async (subs, packet) => {
    const size = sizeOf(packet);
    const admitted = subs.filter((sub) => admit(sub, size));
    if (admitted.length > 0) await inner.outgoingEnqueueCombi(admitted, packet);
  };
  persistence.outgoingEnqueue = (sub, packet) => persistence.outgoingEnqueueCombi([sub], packet);

  // A connected persistent client is sent each message after aedes updates its queued copy; a
  // message its full queue did not take has no copy, and aedes would end the connection on the
  // failed update. It is sent live instead, without a stored copy.
  persistence.outgoingUpdate = async (client, packet) => {
    try {
      await inner.outgoingUpdate(client, packet);
    } catch (error) {
      if (!refusedClients.has(client.id)) throw error;
    }
  };

  persistence.outgoingClearMessageId = async (client, packet) => {
    const cleared = await inner.outgoingClearMessageId(client, packet);
    const queue = queues.get(client.id);
    if (cleared && queue && queue.count > 0) {
      const size = sizeOf(cleared);
      queue.count--;
      queue.bytes -= size;
      queuedBytes -= size;
      if (queue.dropped > 0) {
        logger.warn(
          `Local broker: ${queue.dropped} messages for client ${JSON.stringify(client.id)} ` +
            'were dropped while its queue was full',
        );
        queue.dropped = 0;
      }
      if (queue.count === 0) queues.delete(client.id);
    }
    return cleared;
  };
}

function sizeOf(packet: PacketLike): number {
  return Buffer.byteLength(packet.topic) + Buffer.byteLength(packet.payload);
}

/** Logs the first warning at once, then at most one every 10 s with the number held back. */
function throttled(logger: Logger, intervalMs = 10_000): (message: string) => void {
  let last = -Infinity;
  let heldBack = 0;
  return (message) => {
    const now = Date.now();
    if (now - last < intervalMs) {
      heldBack++;
      return;
    }
    const more = heldBack > 0 ? ` (and ${heldBack} more since the last such line)` : '';
    logger.warn(message + more);
    last = now;
    heldBack = 0;
  };
}
