/**
 * A message (received or logged) written as a PUBLISH block that reads back to the same
 * message: the topic as-is (quoted when it would not read back), the payload as text when it
 * can be, otherwise base64; every `{{` escaped as `\{{`.
 */
import { jsonErrorOffset } from './jsonSyntax';
import { base64Lines } from './payloadEncoding';
import { escapeLiteral } from './templateText';

export interface BlockMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT.js properties: contentType, responseTopic, messageExpiryInterval, payloadFormatIndicator, correlationData, userProperties. */
  properties?: Record<string, unknown>;
}

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const TAIL_WORD = /(^|\s)(REPEAT|EVERY)(\s|$)/;

export function publishBlockText(msg: BlockMessage, title?: string): string {
  const lines = [`###${title ? ` ${oneLine(title)}` : ''}`, `PUBLISH ${topicText(msg.topic)}`];
  if (msg.qos !== 0) lines.push(`qos: ${msg.qos}`);
  if (msg.retain) lines.push('retain: true');
  const props = msg.properties ?? {};
  const contentType = typeof props.contentType === 'string' ? props.contentType : undefined;
  if (contentType !== undefined) lines.push(`content-type: ${headerText(contentType)}`);
  if (typeof props.responseTopic === 'string')
    lines.push(`response-topic: ${headerText(props.responseTopic)}`);
  if (typeof props.messageExpiryInterval === 'number')
    lines.push(`message-expiry: ${props.messageExpiryInterval}`);
  if (props.payloadFormatIndicator !== undefined) {
    lines.push(`payload-format: ${props.payloadFormatIndicator ? 'utf8' : 'bytes'}`);
  }
  if (props.correlationData instanceof Uint8Array)
    lines.push(`correlation-data: ${correlationText(props.correlationData)}`);
  const userProperties = props.userProperties;
  if (userProperties && typeof userProperties === 'object') {
    for (const [key, value] of Object.entries(userProperties as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        lines.push(`user-property: ${headerText(key)}=${headerText(String(v))}`);
      }
    }
  }
  if (msg.payload.length === 0) return lines.join('\n') + '\n';
  const text = payloadAsText(msg.payload, contentType);
  if (text === undefined) lines.push('encoding: base64', '', base64Lines(msg.payload));
  else lines.push('', escapeLiteral(text));
  return lines.join('\n') + '\n';
}

function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function topicText(topic: string): string {
  const plain =
    topic !== '' &&
    topic === topic.trim() &&
    !topic.startsWith('"') &&
    !UNSAFE.test(topic) &&
    !/[\r\n\t]/.test(topic) &&
    !TAIL_WORD.test(topic);
  return plain ? escapeLiteral(topic) : JSON.stringify(escapeLiteral(topic));
}

/** A header value is the rest of its line, trimmed. */
function headerText(text: string): string {
  return escapeLiteral(text.replace(/[\r\n]+/g, ' ').trim());
}

function correlationText(bytes: Uint8Array): string {
  const text = strictUtf8(bytes);
  const plain =
    text !== undefined &&
    text !== '' &&
    text === text.trim() &&
    !text.startsWith('hex:') &&
    !UNSAFE.test(text) &&
    !/[\r\n\t]/.test(text);
  return plain ? escapeLiteral(text) : `hex:${Buffer.from(bytes).toString('hex')}`;
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The payload as body text when the parser reads that text back to the same bytes. */
function payloadAsText(payload: Uint8Array, contentType: string | undefined): string | undefined {
  const text = strictUtf8(payload);
  if (text === undefined || UNSAFE.test(text) || text.includes('\r')) return undefined;
  if (text.startsWith('< ')) return undefined;
  const lines = text.split('\n');
  if (lines.some((l) => l.startsWith('###'))) return undefined;
  if (lines[lines.length - 1].trim() === '') return undefined;
  const start = text.trimStart();
  const mustBeJson =
    start.startsWith('{') || start.startsWith('[') || /json/i.test(contentType ?? '');
  if (mustBeJson && jsonErrorOffset(text) !== undefined) return undefined;
  return text;
}
