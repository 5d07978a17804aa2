/**
 * Publish (palette, view title, connection menu), Publish to This Topic (topic menu) and Copy
 * Topic. Publishing reports what the broker acknowledged, or why it refused.
 */
import * as vscode from 'vscode';
import { showError, showInfo, showWarning } from '../notify';
import { publishedToast } from '../../core/toastText';
import type { QoS } from '../../core/profile/profile';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { validateTopicName } from '../../core/topics/topics';
import { Commands, WalkthroughContext } from '../constants';
import { markWalkthrough } from '../walkthrough';
import { pickQos, pickSession, pickTopic, resolveSession } from '../pickers';
import type { RecentTopics } from '../recentTopics';
import type { PublishArgs } from './commandArgs';
import type { PublishResult } from './commandResults';
import type { CommandRegistry } from './registry';
import { pickPublishProperties } from './publishProperties';
import type { PublishProperties } from '../../core/session/publishProperties';

export type { PublishArgs } from './commandArgs';
export type { PublishResult } from './commandResults';

export function definePublishCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  recent: RecentTopics,
): void {
  const publish = async (
    session: MqttSession | undefined,
    args: PublishArgs,
  ): Promise<PublishResult> => {
    // In edit mode the given values are only defaults: nothing is skipped.
    const preset: PublishArgs = args.edit ? {} : args;
    session ??= await pickSession(sessions, {
      filter: (s) => s.state.kind === 'connected' || s.state.kind === 'reconnecting',
      placeHolder: vscode.l10n.t('Connection to publish on'),
      emptyMessage: vscode.l10n.t('No connection is connected. Connect one first (MQTT: Connect).'),
    });
    if (!session) return undefined;
    const v5 = session.profile.protocolVersion === 5;
    if (args.properties && !v5) {
      const error = vscode.l10n.t(
        '"{0}" uses MQTT 3.1.1, which has no publish properties; remove "properties" or use an MQTT 5 connection.',
        session.name,
      );
      void showError(vscode.l10n.t('MQTT: not published. {0}', error));
      return { ok: false, error };
    }
    const interactive =
      args.edit || [args.topic, args.payload, args.qos, args.retain].includes(undefined);
    if (interactive && session.state.kind === 'reconnecting') {
      // Asked first, like Connect below: typed input must not be thrown away.
      const queue = vscode.l10n.t('Queue It');
      const choice = await showWarning(
        vscode.l10n.t(
          'MQTT: "{0}" is reconnecting. Queue the publish and send it once the connection is back?',
          session.name,
        ),
        queue,
      );
      if (choice !== queue) return undefined;
    } else if (interactive && session.state.kind !== 'connected') {
      // Ask before the four prompts, not after them: typed input must not be thrown away.
      const connect = vscode.l10n.t('Connect');
      const choice = await showWarning(
        vscode.l10n.t('MQTT: "{0}" is not connected.', session.name),
        connect,
      );
      if (choice !== connect) return undefined;
      const connected = await registry.run(Commands.connect, {
        target: { connection: session.name },
      });
      if (!connected) return undefined;
    }
    const topic =
      preset.topic ??
      (await pickTopic({
        title: vscode.l10n.t('MQTT: Publish on "{0}" (1/4): topic', session.name),
        placeholder: vscode.l10n.t('Topic, e.g. devices/lamp-1/set (no + or #)'),
        recent: recent.list(),
        validate: validateTopicName,
        value: args.topic,
      }));
    if (topic === undefined) return undefined;
    const payload =
      preset.payload ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('MQTT: Publish to "{0}" (2/4): payload', topic),
        prompt: vscode.l10n.t('Payload, sent as UTF-8 text exactly as typed (empty is allowed)'),
        value: args.payload,
        ignoreFocusOut: true,
      }));
    if (payload === undefined) return undefined;
    const qos =
      preset.qos ??
      (await pickQos(
        vscode.l10n.t('MQTT: Publish to "{0}" (3/4): QoS', topic),
        args.qos,
        session.capabilities?.maximumQoS,
      ));
    if (qos === undefined) return undefined;
    const retain = preset.retain ?? (await pickRetain(topic, args.retain));
    if (retain === undefined) return undefined;
    // MQTT 5 only: the last step offers Publish, or properties first (none given as arguments).
    const properties =
      preset.properties ??
      (interactive && v5 ? await pickPublishProperties(topic, args.properties) : args.properties);
    if (properties === undefined && interactive && v5) return undefined;
    const result = await send(session, { topic, payload, qos, retain, properties }, recent);
    if (result?.ok) markWalkthrough(WalkthroughContext.published);
    return result;
  };

  registry.define(Commands.publish, async (args) => {
    const session = resolveSession(sessions, args.target);
    if (args.target && !session) {
      const name = 'connection' in args.target ? args.target.connection : '';
      const error = vscode.l10n.t('There is no connection named "{0}".', name);
      void showError(vscode.l10n.t('MQTT: {0}', error));
      return { ok: false, error };
    }
    return publish(session, args);
  });
  registry.define(Commands.publishToTopic, ({ target, topic }) =>
    publish(resolveSession(sessions, target), topic === undefined ? {} : { topic }),
  );
  registry.define(Commands.copyTopic, async ({ topic }) => {
    if (topic === undefined) return;
    await vscode.env.clipboard.writeText(topic);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied topic "{0}"', topic), 3000);
  });
}

async function pickRetain(topic: string, current?: boolean): Promise<boolean | undefined> {
  const items = [
    {
      label: vscode.l10n.t('Not retained'),
      description: vscode.l10n.t('only current subscribers get it'),
      retain: false,
    },
    {
      label: vscode.l10n.t('Retained'),
      description: vscode.l10n.t('the broker keeps it for future subscribers'),
      retain: true,
    },
  ];
  // The current value first, so Enter keeps it.
  if (current === true) items.reverse();
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('MQTT: Publish to "{0}" (4/4): retain', topic),
  });
  return picked?.retain;
}

async function send(
  session: MqttSession,
  given: {
    topic: string;
    payload: string;
    qos: QoS;
    retain: boolean;
    properties?: PublishProperties;
  },
  recent: RecentTopics,
): Promise<PublishResult> {
  const { properties, ...request } = given;
  if (properties && Object.keys(properties).length > 0) Object.assign(request, { properties });
  const topicError = validateTopicName(request.topic);
  if (topicError) {
    void showError(vscode.l10n.t('MQTT: not published. {0}', topicError));
    return { ok: false, error: topicError };
  }
  await recent.remember(request.topic);
  try {
    const outcome = await session.publish(request);
    void showInfo(
      publishedToast({
        topic: request.topic,
        retain: request.retain,
        handshake: outcome.handshake,
        elapsedMs: outcome.elapsedMs,
      }),
    );
    return { ok: true, outcome };
  } catch (error) {
    const message = (error as Error).message;
    void showError(vscode.l10n.t('MQTT: {0}', message));
    return { ok: false, error: message };
  }
}
