/**
 * What to do with publishes (and SUBSCRIBE/UNSUBSCRIBE) that MQTT.js holds unacknowledged when
 * the broker can no longer acknowledge them: a CONNACK without the session, or a disconnect.
 * While the broker keeps the session they stay: MQTT.js re-sends them (PUBLISH with DUP, or
 * the PUBREL) from its outgoing store when the link is back.
 */
import type { MqttLink } from './mqttClientFactory';
import type { Scheduler } from './ports';

/** Fails every unacknowledged request with `reason` and forgets it, so nothing re-sends it. */
export function failInFlight(client: MqttLink, reason: string): number {
  let failed = 0;
  for (const [key, pending] of Object.entries(client.outgoing)) {
    const id = Number(key);
    delete client.outgoing[id];
    client.outgoingStore.del({ messageId: id }, () => undefined);
    client.messageIdProvider.deallocate(id);
    pending.cb(new Error(reason));
    failed++;
  }
  return failed;
}

/** How many publishes wait for the broker's acknowledgement. */
export function inFlightCount(client: MqttLink): number {
  return Object.values(client.outgoing).filter((p) => p.cmd === 'publish' || p.cmd === 'pubrel')
    .length;
}

/** DISCONNECT, resolving once the socket closed; a stalled broker gets 2 s before a forced close. */
export function endGracefully(client: MqttLink, scheduler: Scheduler): Promise<void> {
  // A graceful end waits for every unacknowledged packet: fail those first.
  failInFlight(client, 'the connection was closed before the broker acknowledged it');
  return new Promise<void>((resolve) => {
    // Nothing to say goodbye to when the link is not up.
    if (!client.connected) return void client.end(true, {}, () => resolve());
    const force = scheduler.setTimeout(() => client.end(true, {}, () => resolve()), 2_000);
    client.end(false, {}, () => {
      force.dispose();
      resolve();
    });
  });
}
