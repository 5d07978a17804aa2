/**
 * Clear Retained (one topic) and Clear Retained Under Topic (a subtree): empty retained
 * publishes, after a modal confirmation that names the topic and, for a subtree, how many
 * retained messages the topic explorer has seen there.
 */
import * as vscode from 'vscode';
import { inertText } from '../../core/payloadText';
import { clearRetained, retainedTopicsUnder } from '../../core/topics/retainedClearing';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { validateTopicName } from '../../core/topics/topics';
import { formatCount } from '../../shared/counts';
import { Commands } from '../constants';
import { showError, showInfo } from '../notify';
import { pickSession, pickTopic, resolveSession } from '../pickers';
import type { TopicArgs } from './commandArgs';
import type { ClearRetainedResult } from './commandResults';
import type { CommandRegistry } from './registry';

/** Asks before something that cannot be undone. Replaceable, so callers can answer for the user. */
export interface Confirmation {
  ask(message: string, detail: string, action: string): Thenable<boolean>;
}

export const modalConfirmation = (): Confirmation => ({
  ask: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(
      inertText(message),
      { modal: true, detail: inertText(detail) },
      action,
    )) === action,
});

export type { ClearRetainedResult } from './commandResults';

interface Target {
  session: MqttSession;
  topic: string;
}

export function defineRetainedCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  confirmation: Confirmation,
): void {
  const count = (n: number) => formatCount(n, vscode.env.language);

  const clearOne = async (args: TopicArgs): Promise<ClearRetainedResult | undefined> => {
    const target = await targetFrom(sessions, args, false);
    if (!target) return undefined;
    const { session, topic } = target;
    const seen = session.topics.find(topic)?.retained === true;
    const ok = await confirmation.ask(
      vscode.l10n.t('Clear the retained message on "{0}"?', topic),
      (seen
        ? ''
        : vscode.l10n.t('"{0}" has not received a retained message on this topic.', session.name) +
          ' ') +
        vscode.l10n.t(
          'An empty retained message is published on "{0}" from "{1}": the broker deletes its retained message, and new subscribers no longer get one.',
          topic,
          session.name,
        ),
      vscode.l10n.t('Clear Retained'),
    );
    if (!ok) return undefined;
    return report(session, topic, await clearRetained(session, [topic]));
  };

  const clearUnder = async (args: TopicArgs): Promise<ClearRetainedResult | undefined> => {
    const target = await targetFrom(sessions, args, true);
    if (!target) return undefined;
    const { session, topic } = target;
    const node = session.topics.find(topic);
    const topics = node ? retainedTopicsUnder(node) : [];
    if (topics.length === 0) {
      void showInfo(
        vscode.l10n.t(
          'MQTT: "{0}" has seen no retained message on "{1}" or below it.',
          session.name,
          topic,
        ),
      );
      return undefined;
    }
    const ok = await confirmation.ask(
      vscode.l10n.t(
        'Clear {0} retained messages on "{1}" and below it?',
        count(topics.length),
        topic,
      ),
      vscode.l10n.t(
        'An empty retained message is published from "{0}" on each topic that holds one, as far as the messages it received tell ({1}). Retained messages on topics it has not received stay.',
        session.name,
        topics.slice(0, 5).join(', ') + (topics.length > 5 ? ', …' : ''),
      ),
      vscode.l10n.t('Clear {0} Retained', count(topics.length)),
    );
    if (!ok) return undefined;
    return report(session, topic, await clearRetained(session, topics));
  };

  const report = (session: MqttSession, topic: string, outcome: ClearRetainedResult) => {
    if (outcome.failed.length === 0) {
      void showInfo(
        vscode.l10n.t(
          'MQTT: cleared {0} retained message(s) on "{1}" and below it, on "{2}".',
          count(outcome.cleared.length),
          topic,
          session.name,
        ),
      );
    } else {
      const first = outcome.failed[0];
      void showError(
        vscode.l10n.t(
          'MQTT: {0} retained message(s) not cleared on "{1}" ({2} cleared). "{3}": {4}',
          count(outcome.failed.length),
          session.name,
          count(outcome.cleared.length),
          first.topic,
          first.error,
        ),
      );
    }
    return outcome;
  };

  registry.define(Commands.clearRetained, clearOne);
  registry.define(Commands.clearRetainedUnder, clearUnder);
}

/** The connection and topic from a topic row, `{ connection, topic }`, or asked for. */
async function targetFrom(
  sessions: SessionManager,
  args: TopicArgs,
  subtree: boolean,
): Promise<Target | undefined> {
  const given = resolveSession(sessions, args.target);
  if (args.fromTree && given && args.topic !== undefined)
    return connected(given) ? { session: given, topic: args.topic } : undefined;
  if (args.target && 'connection' in args.target && !given) {
    const name = args.target.connection;
    void showError(vscode.l10n.t('MQTT: there is no connection named "{0}".', name));
    return undefined;
  }
  const session =
    given ??
    (await pickSession(sessions, {
      filter: (s) => s.state.kind === 'connected',
      placeHolder: vscode.l10n.t('Connection whose retained messages to clear'),
      emptyMessage: vscode.l10n.t('No connection is connected. Connect one first (MQTT: Connect).'),
    }));
  if (!session || !connected(session)) return undefined;
  const topic =
    args.topic ??
    (await pickTopic({
      title: subtree
        ? vscode.l10n.t('MQTT: Clear retained messages on "{0}": topic and below', session.name)
        : vscode.l10n.t('MQTT: Clear the retained message on "{0}": topic', session.name),
      placeholder: vscode.l10n.t('Topic, e.g. devices/lamp-1/status (no + or #)'),
      recent: session.topics.topLevel().flatMap(retainedTopicsUnder).slice(0, 200),
      validate: validateTopicName,
    }));
  if (topic === undefined) return undefined;
  const error = validateTopicName(topic);
  if (error) {
    void showError(vscode.l10n.t('MQTT: nothing cleared. {0}', error));
    return undefined;
  }
  return { session, topic };
}

function connected(session: MqttSession): boolean {
  if (session.state.kind === 'connected') return true;
  void showError(
    vscode.l10n.t(
      'MQTT: "{0}" is not connected; connect it to clear retained messages.',
      session.name,
    ),
  );
  return false;
}
