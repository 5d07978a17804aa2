/**
 * What ties one connection's packets together: the round trip of each acknowledged exchange
 * (CONNECT→CONNACK, PUBLISH→PUBACK or PUBREC, PUBREL→PUBCOMP, SUBSCRIBE→SUBACK,
 * UNSUBSCRIBE→UNSUBACK, PINGREQ→PINGRESP, in either direction), paired by packet id, and the
 * Message Log entry of each PUBLISH: a sent one is the next publish the session took on its
 * topic (a DUP re-send keeps the first one's entry), a received one is found when the session
 * hands the message on (for QoS 2 only at PUBREL).
 */
import type { Packet } from 'mqtt';
import type { OutcomeTraffic, OutgoingTraffic, ReceivedMessage } from '../traffic/trafficTypes';
import type { TraceDirection, TraceEntry } from './traceTypes';

/** Requests waiting for an answer, publishes waiting to go out: beyond this, the oldest go. */
const MAX_WAITING = 65_536;

/** The request each answer pairs with. */
const REQUEST_OF: Record<string, string | undefined> = {
  connack: 'connect',
  pubrec: 'publish',
  pubcomp: 'pubrel',
  suback: 'subscribe',
  unsuback: 'unsubscribe',
  pingresp: 'pingreq',
};

function keyOf(direction: TraceDirection, cmd: string, id: number | undefined): string {
  return `${direction}:${cmd}:${id ?? ''}`;
}

function opposite(direction: TraceDirection): TraceDirection {
  return direction === 'sent' ? 'received' : 'sent';
}

export class TraceLinks {
  /** Request key → when it went. */
  private readonly requests = new Map<string, number>();
  /** Publishes the session took, not yet seen going out, in order. */
  private readonly outgoing: OutgoingTraffic[] = [];
  /** Packet id of a sent QoS 1/2 PUBLISH → its log entry, for a DUP re-send. */
  private readonly sentSeq = new Map<number, number>();
  /** The last received PUBLISH: MQTT.js hands on a QoS 0 or 1 message right after it. */
  private lastPacket: object | undefined;
  private lastEntry: TraceEntry | undefined;
  /** Packet id of a received QoS 2 PUBLISH → its entry, until MQTT.js hands it on at PUBREL. */
  private readonly releasing = new Map<number, { entry: TraceEntry; index: number }>();

  /** Called for every entry as it is added: pairs it and links it to the log. */
  add(entry: TraceEntry, packet: Packet): void {
    const id = (packet as { messageId?: number }).messageId;
    const cmd = packet.cmd;
    if (cmd === 'connect') this.requests.clear();
    this.pair(entry, cmd, id, packet);
    if (cmd !== 'publish') return;
    if (entry.direction === 'sent')
      return this.linkSent(entry, packet as Packet & { topic: string; dup?: boolean; qos: number });
    this.lastPacket = packet;
    this.lastEntry = entry;
    if ((packet as { qos?: number }).qos === 2 && id !== undefined) {
      if (this.releasing.size >= MAX_WAITING) this.releasing.clear();
      this.releasing.set(id, { entry, index: entry.index });
    }
  }

  /** The session handed on a received message: its PUBLISH entry gets the log's seq. */
  linkReceived(message: ReceivedMessage): void {
    const packet = message.packet;
    if (!packet) return;
    let entry: TraceEntry | undefined;
    if (packet === this.lastPacket) {
      entry = this.lastEntry;
      this.lastPacket = this.lastEntry = undefined;
    }
    if (packet.qos === 2 && packet.messageId !== undefined) {
      const waiting = this.releasing.get(packet.messageId);
      // Unless a full ring has filled that entry with another packet since.
      if (waiting && waiting.entry.index === waiting.index) entry ??= waiting.entry;
      this.releasing.delete(packet.messageId);
    }
    if (!entry) return;
    const found = entry;
    const index = entry.index;
    if (message.seq !== undefined) found.seq = message.seq;
    // The log records the message in its own listener, which may come after this one; the
    // entry's object may meanwhile hold another packet (a full ring fills its oldest again).
    else queueMicrotask(() => found.index === index && (found.seq = message.seq));
  }

  /** The session took a publish: it will go out in this order (or fail first). */
  queued(event: OutgoingTraffic): void {
    if (this.outgoing.length >= MAX_WAITING) this.outgoing.shift();
    this.outgoing.push(event);
  }

  /** A publish that failed before going out never will. */
  settled(event: OutcomeTraffic): void {
    if (event.result.sentAt !== undefined) return;
    const i = this.outgoing.findIndex((o) => o.id === event.id);
    if (i >= 0) this.outgoing.splice(i, 1);
  }

  private pair(entry: TraceEntry, cmd: string, id: number | undefined, packet: Packet): void {
    const request = cmd === 'puback' ? 'publish' : REQUEST_OF[cmd];
    if (request) {
      const pairId = cmd === 'connack' || cmd === 'pingresp' ? undefined : id;
      const key = keyOf(opposite(entry.direction), request, pairId);
      const sentAt = this.requests.get(key);
      if (sentAt !== undefined) {
        this.requests.delete(key);
        entry.rttMs = entry.time - sentAt;
      }
      if (
        (cmd === 'puback' || cmd === 'pubcomp') &&
        entry.direction === 'received' &&
        id !== undefined
      )
        this.sentSeq.delete(id);
      return;
    }
    const acknowledged =
      cmd === 'connect' ||
      cmd === 'pingreq' ||
      cmd === 'pubrel' ||
      cmd === 'subscribe' ||
      cmd === 'unsubscribe' ||
      (cmd === 'publish' && (packet as { qos?: number }).qos !== 0);
    if (!acknowledged) return;
    const pairId = cmd === 'connect' || cmd === 'pingreq' ? undefined : id;
    if (this.requests.size >= MAX_WAITING) this.requests.clear();
    this.requests.set(keyOf(entry.direction, cmd, pairId), entry.time);
  }

  private linkSent(
    entry: TraceEntry,
    packet: { topic: string; dup?: boolean; qos: number; messageId?: number },
  ): void {
    const id = packet.messageId;
    if (packet.dup && id !== undefined && this.sentSeq.has(id)) {
      entry.seq = this.sentSeq.get(id);
      return;
    }
    const topic = packet.topic;
    let i = this.outgoing.findIndex((o) => o.topic === topic);
    // A topic alias may send the topic empty: then it is the next publish in order.
    if (i < 0 && topic === '') i = 0;
    if (i < 0 || i >= this.outgoing.length) return;
    const [out] = this.outgoing.splice(i, 1);
    entry.seq = out.seq;
    if (id !== undefined && packet.qos > 0 && out.seq !== undefined) {
      if (this.sentSeq.size >= MAX_WAITING) this.sentSeq.clear();
      this.sentSeq.set(id, out.seq);
    }
  }
}
