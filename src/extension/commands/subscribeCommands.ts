/**
 * Subscribe and Unsubscribe. A refused subscription stays visible on its node with the
 * broker's reason, and is announced once.
 */
import * as vscode from 'vscode';
import { showError, showInfo } from '../notify';
import type { MqttSession } from '../../core/session';
import type { SessionManager } from '../../core/sessionManager';
import { validateTopicFilter } from '../../core/topics';
import { Commands } from '../constants';
import { isQos, pickQos, pickSession, pickTopic, sessionFromArg } from '../pickers';
import type { SubscriptionElement } from '../views/elements';

export function registerSubscribeCommands(sessions: SessionManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.subscribe, async (arg?: unknown) => {
      const preset = (arg && typeof arg === 'object' ? arg : {}) as {
        topic?: unknown;
        qos?: unknown;
      };
      const session =
        sessionFromArg(sessions, arg) ??
        (await pickSession(sessions, {
          placeHolder: 'Connection to subscribe on',
          emptyMessage: 'No connections are configured.',
        }));
      if (!session) return undefined;
      const topic =
        typeof preset.topic === 'string'
          ? preset.topic
          : await pickTopic({
              title: `MQTT: Subscribe on "${session.name}" (1/2): topic filter`,
              placeholder: 'Topic filter, e.g. sensors/+/temperature or devices/#',
              recent: ['#', ...session.topics.topLevel().map((n) => `${n.path}/#`)].slice(0, 20),
              validate: validateTopicFilter,
            });
      if (topic === undefined) return undefined;
      const qos = isQos(preset.qos)
        ? preset.qos
        : await pickQos(`MQTT: Subscribe to "${topic}" (2/2): maximum QoS`);
      if (qos === undefined) return undefined;
      return subscribe(session, topic, qos);
    }),
    vscode.commands.registerCommand(Commands.unsubscribe, async (arg?: unknown) => {
      const element = arg as
        SubscriptionElement | { connection?: string; topic?: string } | undefined;
      if (element && 'subscription' in element) {
        return element.session
          .unsubscribe(element.subscription.topic)
          .catch((error: Error) => showError(`MQTT: ${error.message}`));
      }
      const session =
        sessionFromArg(sessions, arg) ??
        (await pickSession(sessions, {
          filter: (s) => s.subscriptions.length > 0,
          placeHolder: 'Connection to unsubscribe on',
          emptyMessage: 'There are no subscriptions.',
        }));
      if (!session) return undefined;
      const topic =
        element && 'topic' in element && typeof element.topic === 'string'
          ? element.topic
          : (
              await vscode.window.showQuickPick(
                session.subscriptions.map((s) => ({
                  label: s.topic,
                  description: `QoS ${s.qos} · ${s.status.kind}`,
                })),
                { placeHolder: `Subscription on "${session.name}" to remove` },
              )
            )?.label;
      if (topic === undefined) return undefined;
      try {
        await session.unsubscribe(topic);
      } catch (error) {
        void showError(`MQTT: ${(error as Error).message}`);
      }
      return undefined;
    }),
  ];
}

async function subscribe(session: MqttSession, topic: string, qos: 0 | 1 | 2) {
  try {
    const status = await session.subscribe({ topic, qos });
    // A refusal is announced once by refusalNotifier.ts and stays on the subscription's node.
    if (status.kind === 'pending') {
      void showInfo(
        `MQTT: "${session.name}" is not connected; it subscribes to "${topic}" when it connects.`,
      );
    }
    return status;
  } catch (error) {
    void showError(`MQTT: ${(error as Error).message}`);
    return { kind: 'refused' as const, reason: (error as Error).message };
  }
}
