/**
 * MQTT: Request Rebirth: publishes an NCMD with "Node Control/Rebirth" = true to a Sparkplug B
 * edge node, over the connection it was seen on. From the Sparkplug view's context menu (the
 * node), or the palette with a picker of the edge nodes the tracker knows.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import type { SparkplugTracker } from '../../core/sparkplug/sparkplugTracker';
import { rebirthRequest } from '../../core/sparkplug/rebirth';
import { visibleLine } from '../../shared/visibleText';
import { Commands } from '../constants';
import { showError, showInfo } from '../notify';
import type { RebirthArgs } from './commandArgs';
import type { CommandRegistry } from './registry';

export function defineSparkplugCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
  tracker: SparkplugTracker,
): void {
  registry.define(Commands.requestRebirth, async (args) => {
    const target = args.node !== undefined ? args : await pickEdgeNode(tracker);
    if (!target) return undefined;
    const connection =
      target.connection ??
      tracker.edgeNodes().find((n) => n.group === target.group && n.name === target.node)
        ?.connection;
    const session = connection === undefined ? undefined : sessions.get(connection);
    if (!session) {
      const error = vscode.l10n.t(
        'No connection to send the Rebirth request to edge node "{0}" over.',
        visibleLine(target.node ?? ''),
      );
      void showError(error);
      return { ok: false, error };
    }
    const { topic, payload } = rebirthRequest(target.group ?? '', target.node ?? '', Date.now());
    try {
      await session.publish({ topic, payload, qos: 0, retain: false });
    } catch (cause) {
      const error = vscode.l10n.t(
        'Request Rebirth on "{0}" failed: {1}',
        visibleLine(topic),
        String(cause),
      );
      void showError(error);
      return { ok: false, error };
    }
    void showInfo(vscode.l10n.t('Rebirth requested: {0}', visibleLine(topic)));
    return { ok: true, topic };
  });
}

async function pickEdgeNode(tracker: SparkplugTracker): Promise<RebirthArgs | undefined> {
  const nodes = tracker.edgeNodes();
  if (nodes.length === 0) {
    void showInfo(vscode.l10n.t('No Sparkplug B edge node has been seen yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    nodes.map((n) => ({
      label: visibleLine(`${n.group} / ${n.name}`),
      description: visibleLine(n.connection),
      target: { connection: n.connection, group: n.group, node: n.name },
    })),
    { placeHolder: vscode.l10n.t('Edge node to ask for a rebirth') },
  );
  return picked?.target;
}
