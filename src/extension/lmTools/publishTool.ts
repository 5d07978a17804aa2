/**
 * The language-model tool that publishes. VS Code asks the user first: `prepareInvocation`
 * returns the confirmation (what, where, the payload), and VS Code runs `invoke` only once the
 * user said Continue. The message goes out through the connection's session, so it is logged
 * and counted as any publish is, and the answer says what the broker acknowledged.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import {
  publishConfirmation,
  parsePublishInput,
  type ConfirmationWords,
  type PublishToolInput,
} from './publishConfirmation';
import { sessionNamed, textResult } from './readTools';

const confirmationWords: ConfirmationWords = {
  get title() {
    return vscode.l10n.t('Publish an MQTT message?');
  },
  retained: (topic, connection, qos) =>
    vscode.l10n.t(
      'Publish to "{0}" on "{1}" with QoS {2}, retained: the broker keeps it and sends it to every future subscriber until it is replaced or cleared.',
      topic,
      connection,
      qos,
    ),
  notRetained: (topic, connection, qos) =>
    vscode.l10n.t('Publish to "{0}" on "{1}" with QoS {2}, not retained.', topic, connection, qos),
  payloadSize: (n) => vscode.l10n.t('Payload ({0} characters):', n),
  get empty() {
    return vscode.l10n.t('(empty)');
  },
};

function checked(raw: unknown): PublishToolInput {
  const input = parsePublishInput(raw);
  if ('error' in input) throw new Error(input.error);
  return input;
}

export function publishTool(sessions: SessionManager): vscode.LanguageModelTool<object> & {
  /** Confirmations prepared so far (tests read it to see that VS Code asked for one). */
  readonly prepared: number;
} {
  let prepared = 0;
  return {
    get prepared() {
      return prepared;
    },
    prepareInvocation: (options) => {
      const parsed = parsePublishInput(options.input);
      if ('error' in parsed)
        return { invocationMessage: vscode.l10n.t('Checking an MQTT publish') };
      prepared++;
      const c = publishConfirmation(parsed, confirmationWords);
      // Plain text and a one-line code block: nothing the model wrote becomes a link or markup.
      const message = new vscode.MarkdownString(undefined, false);
      message.appendText(c.text);
      message.appendCodeblock(c.payload, 'text');
      return {
        invocationMessage: vscode.l10n.t('Publishing to "{0}"', parsed.topic),
        confirmationMessages: { title: c.title, message },
      };
    },
    invoke: async (options, token) => {
      const input = checked(options.input);
      const session = sessionNamed(sessions, input.connection);
      const state = session.state.kind;
      // Not while reconnecting either: the publish would wait in the offline queue, and the
      // chat with it, for as long as the broker is away.
      if (state !== 'connected')
        throw new Error(
          `"${session.name}" is ${state}: it must be connected (the user can run MQTT: Connect). Nothing was published.`,
        );
      const { topic, payload, qos, retain } = input;
      try {
        const outcome = await untilCancelled(
          session.publish({ topic, payload, qos, retain }),
          token,
        );
        if (outcome === undefined)
          return textResult(
            `Cancelled while waiting for the broker's acknowledgement: the message to ${JSON.stringify(topic)} was sent and may still be delivered (see the Message Log).`,
          );
        const ack = outcome.handshake.length
          ? `the broker acknowledged it: ${outcome.handshake.join(' → ')} in ${outcome.elapsedMs} ms`
          : 'sent with QoS 0, which has no acknowledgement';
        return textResult(
          `Published ${input.payload.length} character(s) to ${JSON.stringify(input.topic)} on "${session.name}" (QoS ${input.qos}${input.retain ? ', retained' : ''}): ${ack}. It is in the Message Log.`,
        );
      } catch (error) {
        throw new Error(
          `Not published to ${JSON.stringify(input.topic)} on "${session.name}": ${(error as Error).message}`,
        );
      }
    },
  };
}

/** The promise's value, or undefined once the token is cancelled (the promise keeps running). */
function untilCancelled<T>(promise: Promise<T>, token: vscode.CancellationToken) {
  return new Promise<T | undefined>((resolve, reject) => {
    const listener = token.onCancellationRequested(() => resolve(undefined));
    promise.then(resolve, reject).finally(() => listener.dispose());
  });
}
