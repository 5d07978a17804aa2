/**
 * The small prompts that commands share: which connection, which QoS, which topic.
 */
import * as vscode from 'vscode';
import { showInfo, showWarning } from './notify';
import type { QoS } from '../core/profile/profile';
import type { MqttSession } from '../core/session/session';
import type { SessionManager } from '../core/session/sessionManager';
import { stateText } from './views/treeItems';
import type { ConnectionRef } from './commands/argChecks';

/** The session a command's `target` names: a tree row's, or the connection of that name. */
export function resolveSession(
  sessions: SessionManager,
  target: ConnectionRef | undefined,
): MqttSession | undefined {
  if (!target) return undefined;
  return 'session' in target ? target.session : sessions.get(target.connection);
}

/** Asks for a connection; skips the question when only one fits. */
export async function pickSession(
  sessions: SessionManager,
  options: { filter?: (s: MqttSession) => boolean; placeHolder: string; emptyMessage: string },
): Promise<MqttSession | undefined> {
  const candidates = sessions.all().filter(options.filter ?? (() => true));
  if (candidates.length === 0) {
    void showInfo(options.emptyMessage);
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({
      label: s.name,
      description: stateText(s.state),
      detail: s.target,
      session: s,
    })),
    { placeHolder: options.placeHolder, matchOnDescription: true },
  );
  return picked?.session;
}

/** A function, not a constant: translated text is looked up when the picker opens. */
export const qosItems = (): { label: string; description: string; qos: QoS }[] => [
  { label: '0', description: vscode.l10n.t('At most once — fire and forget'), qos: 0 },
  { label: '1', description: vscode.l10n.t('At least once — acknowledged by PUBACK'), qos: 1 },
  {
    label: '2',
    description: vscode.l10n.t('Exactly once — PUBREC, PUBREL, PUBCOMP handshake'),
    qos: 2,
  },
];

/**
 * `maxQos`: the broker's Maximum QoS, when connected. Levels above it stay listed, after the
 * others and marked: the broker said it does not allow them, and such a publish is refused.
 */
export async function pickQos(
  title: string,
  current?: QoS,
  maxQos: QoS = 2,
): Promise<QoS | undefined> {
  const all = qosItems().map((item) =>
    item.qos > maxQos
      ? {
          ...item,
          label: `$(circle-slash) ${item.label}`,
          description: vscode.l10n.t(
            'not allowed: the broker allows at most QoS {0} — refused if chosen',
            maxQos,
          ),
        }
      : item,
  );
  // The current value first, so Enter keeps it; levels the broker refuses last.
  const allowed = all.filter((i) => i.qos <= maxQos);
  const ordered =
    current === undefined || current > maxQos
      ? allowed
      : [all[current], ...allowed.filter((i) => i.qos !== current)];
  const picked = await vscode.window.showQuickPick(
    [...ordered, ...all.filter((i) => i.qos > maxQos)],
    { title, placeHolder: vscode.l10n.t('Quality of service') },
  );
  return picked?.qos;
}

/**
 * A topic input that offers recently used topics and validates as the user types. Resolves
 * with the typed or picked topic, or undefined when cancelled.
 */
export function pickTopic(options: {
  title: string;
  recent: readonly string[];
  validate: (topic: string) => string | undefined;
  placeholder: string;
  value?: string;
}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
    qp.title = options.title;
    qp.placeholder = options.placeholder;
    qp.value = options.value ?? '';
    qp.ignoreFocusOut = true;
    const recentItems = options.recent.map((label) => ({
      label,
      description: vscode.l10n.t('recent'),
    }));
    const update = () => {
      const typed = qp.value;
      const error = typed ? options.validate(typed) : undefined;
      const typedItem =
        typed && !options.recent.includes(typed)
          ? [
              error
                ? {
                    label: typed,
                    description: vscode.l10n.t('invalid'),
                    detail: `$(error) ${error}`,
                  }
                : { label: typed, description: vscode.l10n.t('use this topic') },
            ]
          : [];
      qp.items = [...typedItem, ...recentItems];
    };
    update();
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0]?.label ?? qp.value;
      const error = chosen ? options.validate(chosen) : vscode.l10n.t('Enter a topic.');
      if (error) {
        // Keep the picker open: the typed item already shows the rule that was broken.
        void showWarning(error);
        return;
      }
      finish(chosen);
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
