/**
 * Records the acknowledgement packets of QoS 1 and 2 publishes, per packet identifier, from the
 * packets MQTT.js reports sending and receiving. It is what lets the UI say that a QoS 2
 * publish really went PUBREC → PUBREL → PUBCOMP rather than assume it.
 */
import type { Packet } from 'mqtt';

const ACKS = new Set(['puback', 'pubrec', 'pubrel', 'pubcomp']);
/** Identifiers are reused; a bounded map keeps a broker that never completes from growing it. */
const MAX_TRACKED = 10_000;

export class PublishHandshake {
  private readonly seen = new Map<number, string[]>();

  observe(direction: 'sent' | 'received', packet: Packet): void {
    if (!ACKS.has(packet.cmd)) return;
    // Only our own publishes: we send PUBREL and receive PUBACK/PUBREC/PUBCOMP for them.
    const ours = direction === 'sent' ? packet.cmd === 'pubrel' : packet.cmd !== 'pubrel';
    const id = (packet as { messageId?: number }).messageId;
    if (!ours || id === undefined) return;
    const steps = this.seen.get(id) ?? [];
    if (steps.length === 0) {
      if (this.seen.size >= MAX_TRACKED) this.seen.delete(this.seen.keys().next().value as number);
      this.seen.set(id, steps);
    }
    steps.push(packet.cmd.toUpperCase());
  }

  /** Returns and forgets what was seen for this identifier. */
  take(messageId: number): string[] {
    const steps = this.seen.get(messageId) ?? [];
    this.seen.delete(messageId);
    return steps;
  }
}
