/**
 * Send Request (palette, connection menu): an MQTT 5 request with a response topic and fresh
 * correlation data, answered on a temporary subscription (`core/request/sendRequest.ts`). The
 * reply, its latency and any other replies in the window are shown in a notification whose
 * "Show in Log" selects the request in the Message Log, where it links to its reply.
 */
import * as vscode from 'vscode';
import { findRequestSeq } from '../../core/log/requestLinks';
import { payloadSnippet } from '../../core/payloadText';
import { realScheduler } from '../../core/ports';
import type { PairedReply } from '../../core/request/requestPairing';
import {
  MAX_REQUEST_TIMEOUT_MS,
  sendRequest,
  type RequestResult,
} from '../../core/request/sendRequest';
import type { MqttSession, ReceivedMessage } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import type { MessageStore } from '../../core/store/messageStore';
import { validateTopicName } from '../../core/topics/topics';
import { Commands } from '../constants';
import { showError, showInfo, showWarning } from '../notify';
import { pickSession, pickTopic, resolveSession } from '../pickers';
import type { RecentTopics } from '../recentTopics';
import type { RequestArgs, RequestCommandResult, RequestReplyText } from './requestArgs';
import type { CommandRegistry } from './registry';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

export interface RequestLog {
  store: MessageStore;
  /** Selects message `seq` in the Message Log (opening it). */
  reveal(seq: number): void;
}

export function defineRequestCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  recent: RecentTopics,
  log: RequestLog,
): void {
  registry.define(Commands.sendRequest, async (args) => {
    const given = resolveSession(sessions, args.target);
    if (args.target && !given) {
      const name = 'connection' in args.target ? args.target.connection : '';
      return failed(vscode.l10n.t('There is no connection named "{0}".', name));
    }
    const session =
      given ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind === 'connected',
        placeHolder: vscode.l10n.t('Connection to send the request on'),
        emptyMessage: vscode.l10n.t(
          'No connection is connected. Connect one first (MQTT: Connect).',
        ),
      }));
    if (!session) return undefined;
    if (session.profile.protocolVersion !== 5)
      return failed(
        vscode.l10n.t(
          '"{0}" uses MQTT 3.1.1. A request needs MQTT 5: set "protocolVersion": 5 in its profile.',
          session.name,
        ),
      );
    if (session.state.kind !== 'connected')
      return failed(vscode.l10n.t('"{0}" is not connected.', session.name));
    const asked = await ask(session, args, recent);
    if (!asked) return undefined;
    await recent.remember(asked.topic);
    try {
      const result = await sendRequest(session, asked, realScheduler);
      return report(session, result, log);
    } catch (error) {
      return failed((error as Error).message);
    }
  });
}

function failed(error: string): RequestCommandResult {
  void showError(vscode.l10n.t('MQTT: {0}', error));
  return { kind: 'failed', error };
}

async function ask(session: MqttSession, args: RequestArgs, recent: RecentTopics) {
  const topic =
    args.topic ??
    (await pickTopic({
      title: vscode.l10n.t('MQTT: Send Request on "{0}" (1/3): request topic', session.name),
      placeholder: vscode.l10n.t('Topic the responder listens on, e.g. devices/lamp-1/get'),
      recent: recent.list(),
      validate: validateTopicName,
    }));
  if (topic === undefined) return undefined;
  const payload =
    args.payload ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('MQTT: Send Request to "{0}" (2/3): payload', topic),
      prompt: vscode.l10n.t('Payload, sent as UTF-8 text exactly as typed (empty is allowed)'),
      ignoreFocusOut: true,
    }));
  if (payload === undefined) return undefined;
  const timeoutMs = args.timeoutMs ?? (await askTimeout(topic));
  if (timeoutMs === undefined) return undefined;
  return { topic, payload, qos: args.qos ?? 1, responseTopic: args.responseTopic, timeoutMs };
}

async function askTimeout(topic: string): Promise<number | undefined> {
  const max = MAX_REQUEST_TIMEOUT_MS / 1000;
  const seconds = (text: string) => Number(text.trim().replace(',', '.'));
  const answer = await vscode.window.showInputBox({
    title: vscode.l10n.t('MQTT: Send Request to "{0}" (3/3): timeout in seconds', topic),
    prompt: vscode.l10n.t('How long to wait for a reply, in seconds'),
    value: String(DEFAULT_REQUEST_TIMEOUT_MS / 1000),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const s = seconds(text);
      return text.trim() !== '' && Number.isFinite(s) && s > 0 && s <= max
        ? undefined
        : vscode.l10n.t('Enter a number of seconds, more than 0 and at most {0}.', max);
    },
  });
  return answer === undefined ? undefined : Math.round(seconds(answer) * 1000);
}

function report(
  session: MqttSession,
  result: RequestResult,
  log: RequestLog,
): RequestCommandResult {
  const seqOf = (data: string) =>
    findRequestSeq(log.store, session.name, result.topic, Buffer.from(data));
  const requestSeq = seqOf(result.correlationData);
  const showInLog = vscode.l10n.t('Show in Log');
  const offerLog = (choice: string | undefined) => {
    if (choice === showInLog && requestSeq !== undefined) log.reveal(requestSeq);
  };
  const { responseTopic, correlationData } = result;
  switch (result.kind) {
    case 'replied': {
      const reply = replyText(result.first);
      const others = result.others.map(replyText);
      const ms = (n: number) => vscode.l10n.t('{0} ms', Math.round(n));
      const head = vscode.l10n.t(
        'MQTT: reply to "{0}" after {1}: {2}',
        result.topic,
        ms(reply.latencyMs),
        reply.payload,
      );
      const more = others.length
        ? ` ${vscode.l10n.t('(+{0} more, after {1})', others.length, others.map((o) => ms(o.latencyMs)).join(', '))}`
        : '';
      void showInfo(head + more, showInLog).then(offerLog);
      return { kind: 'replied', reply, others, responseTopic, correlationData, requestSeq };
    }
    case 'timeout':
      void showWarning(
        vscode.l10n.t(
          'MQTT: no reply to "{0}" within {1} s (response topic {2}).',
          result.topic,
          result.timeoutMs / 1000,
          responseTopic,
        ),
        showInLog,
      ).then(offerLog);
      return {
        kind: 'timeout',
        timeoutMs: result.timeoutMs,
        responseTopic,
        correlationData,
        requestSeq,
      };
    case 'interrupted':
      return failed(
        vscode.l10n.t('The request to "{0}" was interrupted: {1}', result.topic, result.reason),
      );
  }
}

function replyText(reply: PairedReply<ReceivedMessage>): RequestReplyText {
  const { payload } = reply.message;
  return { payload: payloadSnippet(payload, 300), latencyMs: reply.latencyMs };
}
