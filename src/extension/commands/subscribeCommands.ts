/**
 * Subscribe and Unsubscribe. A refused subscription stays visible on its node with the
 * broker's reason, and is announced once.
 */
import * as vscode from 'vscode';
import { showError, showInfo } from '../notify';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { validateTopicFilter } from '../../core/topics/topics';
import { Commands } from '../constants';
import { pickQos, pickSession, pickTopic, resolveSession } from '../pickers';
import type { CommandRegistry } from './registry';

export function defineSubscribeCommands(registry: CommandRegistry, sessions: SessionManager): void {
  registry.define(Commands.subscribe, async (args) => {
    const session =
      resolveSession(sessions, args.target) ??
      (await pickSession(sessions, {
        placeHolder: vscode.l10n.t('Connection to subscribe on'),
        emptyMessage: vscode.l10n.t('No connections are configured.'),
      }));
    if (!session) return undefined;
    const topic =
      args.topic ??
      (await pickTopic({
        title: vscode.l10n.t('MQTT: Subscribe on "{0}" (1/2): topic filter', session.name),
        placeholder: vscode.l10n.t('Topic filter, e.g. sensors/+/temperature or devices/#'),
        recent: ['#', ...session.topics.topLevel().map((n) => `${n.path}/#`)].slice(0, 20),
        validate: validateTopicFilter,
      }));
    if (topic === undefined) return undefined;
    const qos =
      args.qos ??
      (await pickQos(vscode.l10n.t('MQTT: Subscribe to "{0}" (2/2): maximum QoS', topic)));
    if (qos === undefined) return undefined;
    return subscribe(session, topic, qos);
  });
  registry.define(Commands.unsubscribe, async (args) => {
    // A subscription row names both the connection and the topic: no question is asked.
    const session =
      resolveSession(sessions, args.target) ??
      (await pickSession(sessions, {
        filter: (s) => s.subscriptions.length > 0,
        placeHolder: vscode.l10n.t('Connection to unsubscribe on'),
        emptyMessage: vscode.l10n.t('There are no subscriptions.'),
      }));
    if (!session) return;
    const topic =
      args.topic ??
      (
        await vscode.window.showQuickPick(
          session.subscriptions.map((s) => ({
            label: s.topic,
            description: vscode.l10n.t('QoS {0} · {1}', s.qos, s.status.kind),
          })),
          {
            placeHolder: vscode.l10n.t('Subscription on "{0}" to remove', session.name),
          },
        )
      )?.label;
    if (topic === undefined) return;
    try {
      await session.unsubscribe(topic);
    } catch (error) {
      void showError(vscode.l10n.t('MQTT: {0}', (error as Error).message));
    }
  });
}

async function subscribe(session: MqttSession, topic: string, qos: 0 | 1 | 2) {
  try {
    const status = await session.subscribe({ topic, qos });
    // A refusal is announced once by refusalNotifier.ts and stays on the subscription's node.
    if (status.kind === 'pending') {
      void showInfo(
        vscode.l10n.t(
          'MQTT: "{0}" is not connected; it subscribes to "{1}" when it connects.',
          session.name,
          topic,
        ),
      );
    }
    return status;
  } catch (error) {
    void showError(vscode.l10n.t('MQTT: {0}', (error as Error).message));
    return { kind: 'refused' as const, reason: (error as Error).message };
  }
}
