/**
 * A PUBLISH that the broker answers by closing the connection. MQTT.js keeps every QoS 1/2
 * PUBLISH it sent until it is acknowledged and sends it again after each reconnect, so a packet
 * the broker will never take (QoS above its maximum, retain it does not support, over its
 * maximum packet size) would close every new connection, and its publish would never settle.
 * An MQTT 5 broker says which of these it was in its DISCONNECT: the PUBLISH sent last and not
 * yet answered is the one it refused, and the session fails that publish with the broker's
 * reason instead of sending it again.
 */
import type { Packet } from 'mqtt';

/** DISCONNECT reason codes that name something wrong with a PUBLISH packet itself. */
const PUBLISH_REFUSALS: ReadonlySet<number> = new Set([
  0x90, // Topic Name invalid
  0x94, // Topic Alias invalid
  0x95, // Packet too large
  0x99, // Payload format invalid
  0x9a, // Retain not supported
  0x9b, // QoS not supported
]);

export interface RefusedPublish {
  messageId: number;
  reasonCode: number;
  reasonString?: string;
}

export class RefusedPublishWatch {
  /** The QoS 1/2 PUBLISH written last on this link and not answered yet. */
  private lastUnanswered: number | undefined;
  private refusal: RefusedPublish | undefined;

  observe(direction: 'sent' | 'received', packet: Packet): void {
    if (direction === 'sent') {
      if (packet.cmd === 'publish' && packet.qos > 0) this.lastUnanswered = packet.messageId;
      return;
    }
    switch (packet.cmd) {
      case 'puback':
      case 'pubrec':
        if (packet.messageId === this.lastUnanswered) this.lastUnanswered = undefined;
        return;
      case 'disconnect': {
        const code = packet.reasonCode ?? 0;
        if (this.lastUnanswered === undefined || !PUBLISH_REFUSALS.has(code)) return;
        this.refusal = { messageId: this.lastUnanswered, reasonCode: code };
        const reasonString = packet.properties?.reasonString;
        if (reasonString) this.refusal.reasonString = reasonString;
        return;
      }
    }
  }

  /** Before the link is opened again: the publish the broker closed the last one over, once. */
  take(): RefusedPublish | undefined {
    const refusal = this.refusal;
    this.refusal = undefined;
    this.lastUnanswered = undefined;
    return refusal;
  }
}
