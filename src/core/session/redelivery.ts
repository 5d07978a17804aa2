/**
 * The DUP flag on PUBLISH packets sent again after a reconnect (MQTT 3.1.1 and 5.0, §3.3.1.1:
 * the flag MUST be 1 on a re-delivery). MQTT.js re-sends its stored copy of each packet as it
 * was first sent, with DUP 0; this remembers which QoS 1/2 PUBLISH packets really went out on
 * the link and, before the reconnect, marks their stored copies.
 */
import type { Packet } from 'mqtt';
import type { MqttLink } from './mqttClientFactory';

export class RedeliveryMarks {
  /** Message ids of PUBLISH packets written and not yet answered by PUBACK or PUBREC. */
  private readonly unanswered = new Set<number>();

  observe(direction: 'sent' | 'received', packet: Packet): void {
    if (direction === 'sent' && packet.cmd === 'publish') {
      if (packet.qos > 0 && packet.messageId !== undefined) this.unanswered.add(packet.messageId);
    } else if (direction === 'received' && (packet.cmd === 'puback' || packet.cmd === 'pubrec')) {
      // After a PUBREC the store holds the PUBREL, which has no DUP flag.
      if (packet.messageId !== undefined) this.unanswered.delete(packet.messageId);
    }
  }

  /** Flags DUP on the stored copy of every PUBLISH that went out unanswered. */
  markStored(store: MqttLink['outgoingStore']): void {
    for (const messageId of this.unanswered) {
      store.get({ cmd: 'publish', messageId } as Packet, (error, stored) => {
        if (error || stored?.cmd !== 'publish') return;
        store.put({ ...stored, dup: true }, () => undefined);
      });
    }
    // The re-sent packets are observed again as they go out.
    this.unanswered.clear();
  }
}
