/**
 * Notification toasts show one line; what does not fit is cut off at the end. So a toast says
 * the reason first, in one short sentence, with names shortened in the middle; the full text
 * goes to the output channel.
 */

/** Longest topic, connection name and reason quoted in a toast. */
export const TOAST_LIMITS = {
  topic: 28,
  publishedTopic: 24,
  connection: 16,
  reason: 40,
  message: 90,
} as const;

/** `text` cut to at most `max` characters, keeping its start and end: `plant/…/status`. */
export function elideMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - (keep - head)).join('')}`;
}

/** `text` cut to at most `max` characters at its end: `0x87 Not authorized — a lo…`. */
export function elideEnd(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** `0x87 Not authorized: "plant/#" refused on plant.` */
export function refusalToast(reason: string, topic: string, connection: string): string {
  return `${elideEnd(reason, TOAST_LIMITS.reason)}: "${elideMiddle(topic, TOAST_LIMITS.topic)}" refused on ${elideMiddle(connection, TOAST_LIMITS.connection)}.`;
}

/** `0x87 Not authorized: plant did not connect.` from "The broker refused the connection: 0x87 Not authorized." */
export function connectFailedToast(connection: string, message: string): string {
  const refused = /^The broker refused the connection: (.+?)\.?$/.exec(message);
  const reason = refused ? refused[1] : message.replace(/\.$/, '');
  return `${elideEnd(reason, TOAST_LIMITS.message)}: ${elideMiddle(connection, TOAST_LIMITS.connection)} did not connect.`;
}

/**
 * `Broker acknowledged: PUBACK in 4 ms ("plant/pump").` — the outcome first; QoS 0 has no
 * acknowledgement to report. The connection is the one the user just picked, so it is left out
 * to keep the line whole.
 */
export function publishedToast(o: {
  topic: string;
  retain: boolean;
  handshake: readonly string[];
  elapsedMs: number;
}): string {
  const what = `"${elideMiddle(o.topic, TOAST_LIMITS.publishedTopic)}"${o.retain ? ', retained' : ''}`;
  return o.handshake.length
    ? `Broker acknowledged: ${o.handshake.join(' → ')} in ${o.elapsedMs} ms (${what}).`
    : `Sent with QoS 0, no acknowledgement (${what}).`;
}

/**
 * `0x87 Not authorized: password for alice forgotten.` — the broker refused the credentials, so
 * the saved password was dropped (Retry asks for it again).
 */
export function credentialsRefusedToast(reason: string, user: string): string {
  return `${elideEnd(reason, TOAST_LIMITS.reason)}: password for ${elideMiddle(user, TOAST_LIMITS.connection)} forgotten.`;
}
