/**
 * Records the acknowledgement packets of QoS 1 and 2 publishes, per packet identifier, from the
 * packets MQTT.js reports sending and receiving, with when each went by and its reason code. It
 * is what lets the UI say that a QoS 2 publish really went PUBREC → PUBREL → PUBCOMP rather
 * than assume it.
 */
import type { Packet } from 'mqtt';

const ACKS = new Set(['puback', 'pubrec', 'pubrel', 'pubcomp']);
/** Identifiers are reused; a bounded map keeps a broker that never completes from growing it. */
const MAX_TRACKED = 10_000;

export interface HandshakeStep {
  packet: 'PUBACK' | 'PUBREC' | 'PUBREL' | 'PUBCOMP';
  /** The clock's time when the packet went by. */
  at: number;
  reasonCode?: number;
}

export class PublishHandshake {
  private readonly seen = new Map<number, HandshakeStep[]>();

  constructor(private readonly now: () => number = Date.now) {}

  observe(direction: 'sent' | 'received', packet: Packet): void {
    if (!ACKS.has(packet.cmd)) return;
    // Only our own publishes: we send PUBREL and receive PUBACK/PUBREC/PUBCOMP for them.
    const ours = direction === 'sent' ? packet.cmd === 'pubrel' : packet.cmd !== 'pubrel';
    const { messageId: id, reasonCode } = packet as { messageId?: number; reasonCode?: number };
    if (!ours || id === undefined) return;
    const steps = this.seen.get(id) ?? [];
    if (steps.length === 0) {
      if (this.seen.size >= MAX_TRACKED) this.seen.delete(this.seen.keys().next().value as number);
      this.seen.set(id, steps);
    }
    const step: HandshakeStep = {
      packet: packet.cmd.toUpperCase() as HandshakeStep['packet'],
      at: this.now(),
    };
    if (typeof reasonCode === 'number') step.reasonCode = reasonCode;
    steps.push(step);
  }

  /** Returns and forgets the packet names seen for this identifier. */
  take(messageId: number): string[] {
    return this.takeSteps(messageId).map((s) => s.packet);
  }

  /** Returns and forgets the steps seen for this identifier. */
  takeSteps(messageId: number): HandshakeStep[] {
    const steps = this.seen.get(messageId) ?? [];
    this.seen.delete(messageId);
    return steps;
  }
}
