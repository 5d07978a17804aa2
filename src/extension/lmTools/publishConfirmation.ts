/**
 * The publish tool's input, checked, and the confirmation VS Code shows before it runs. Pure
 * (`import type` only, the sentences passed in translated), so test/unit/lmToolTexts.test.ts
 * runs it without VS Code. Values from the model are shown one line each, invisible characters
 * as markers: the caller puts them in the message as text, never as markup.
 */
import type { QoS } from '../../core/profile/profile';
import { validateTopicName } from '../../core/topics/topics';
import { visibleLine } from '../../shared/visibleText';

/** Largest payload the tool publishes (characters): a chat writes messages, not files. */
export const MAX_TOOL_PAYLOAD_CHARS = 256 * 1024;
/** Characters of the payload the confirmation shows. */
export const CONFIRMATION_PAYLOAD_CHARS = 500;

export interface PublishToolInput {
  connection: string;
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
}

/** The input checked, or what is wrong with it, naming the field. */
export function parsePublishInput(raw: unknown): PublishToolInput | { error: string } {
  if (typeof raw !== 'object' || raw === null) return { error: 'The input must be an object.' };
  const r = raw as Record<string, unknown>;
  if (typeof r.connection !== 'string' || !r.connection)
    return {
      error: '"connection" must be the name of a connection (see mqttScope_listConnections).',
    };
  if (typeof r.topic !== 'string') return { error: '"topic" must be a string.' };
  const topicError = validateTopicName(r.topic);
  if (topicError) return { error: `"topic": ${topicError}` };
  if (typeof r.payload !== 'string') return { error: '"payload" must be a string (UTF-8 text).' };
  if (r.payload.length > MAX_TOOL_PAYLOAD_CHARS)
    return { error: `"payload" is longer than ${MAX_TOOL_PAYLOAD_CHARS} characters.` };
  const qos = r.qos ?? 0;
  if (qos !== 0 && qos !== 1 && qos !== 2) return { error: '"qos" must be 0, 1 or 2.' };
  const retain = r.retain ?? false;
  if (typeof retain !== 'boolean') return { error: '"retain" must be true or false.' };
  return { connection: r.connection, topic: r.topic, payload: r.payload, qos, retain };
}

/** The confirmation's sentences, translated by the caller (vscode.l10n in the extension). */
export interface ConfirmationWords {
  title: string;
  retained(topic: string, connection: string, qos: number): string;
  notRetained(topic: string, connection: string, qos: number): string;
  payloadSize(characters: number): string;
  empty: string;
}

export interface PublishConfirmation {
  title: string;
  /** What is published where, one paragraph of plain text. */
  text: string;
  /** The payload, one line, cut: shown in a code block. */
  payload: string;
}

export function publishConfirmation(
  input: PublishToolInput,
  words: ConfirmationWords,
): PublishConfirmation {
  const topic = visibleLine(input.topic, 200);
  const connection = visibleLine(input.connection, 80);
  const what = input.retain
    ? words.retained(topic, connection, input.qos)
    : words.notRetained(topic, connection, input.qos);
  return {
    title: words.title,
    text: `${what}\n\n${words.payloadSize(input.payload.length)}`,
    payload:
      input.payload.length === 0
        ? words.empty
        : visibleLine(input.payload, CONFIRMATION_PAYLOAD_CHARS),
  };
}
