/**
 * What to do with publishes (and SUBSCRIBE/UNSUBSCRIBE) that MQTT.js holds unacknowledged when
 * the broker can no longer acknowledge them: a CONNACK without the session, or a disconnect.
 * While the broker keeps the session they stay: MQTT.js re-sends them (PUBLISH with DUP, or
 * the PUBREL) from its outgoing store when the link is back.
 */
import type { MqttLink } from './mqttClientFactory';
import type { Scheduler } from '../ports';

/** Fails every unacknowledged request with `reason` and forgets it, so nothing re-sends it. */
export function failInFlight(client: MqttLink, reason: string): number {
  let failed = 0;
  for (const key of Object.keys(client.outgoing))
    if (failOne(client, Number(key), new Error(reason))) failed++;
  return failed;
}

/**
 * Fails one unacknowledged request with `error` and forgets it, so nothing re-sends it; false
 * when the client no longer holds it.
 */
export function failOne(client: MqttLink, messageId: number, error: Error): boolean {
  const pending = client.outgoing[messageId];
  if (!pending) return false;
  delete client.outgoing[messageId];
  client.outgoingStore.del({ messageId }, () => undefined);
  client.messageIdProvider.deallocate(messageId);
  pending.cb(error);
  return true;
}

/**
 * The broker came back without the session. A PUBLISH it never acknowledged is sent again
 * (MQTT.js re-sends what its store holds): at QoS 1 that is the protocol's at-least-once, and
 * at QoS 2 the broker has no record of it any more. A QoS 2 message it had accepted (we hold
 * its PUBREL) was never released to subscribers, and cannot be now: that one fails with
 * `reason`, as do SUBSCRIBE/UNSUBSCRIBE requests that will never be answered.
 */
export function failUnreleased(client: MqttLink, reason: string): number {
  let failed = 0;
  for (const [key, pending] of Object.entries(client.outgoing)) {
    const id = Number(key);
    let stored: string | undefined;
    client.outgoingStore.get({ messageId: id }, (_error, packet) => (stored = packet?.cmd));
    if (stored === 'publish') continue;
    const published = pending.cmd === 'publish' || pending.cmd === 'pubrel';
    if (published) failed++;
    failOne(client, id, new Error(published ? reason : 'the broker did not keep the session'));
  }
  return failed;
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
