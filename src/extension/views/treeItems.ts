/**
 * How each element of the Connections view looks: labels, descriptions, icons, tooltips and
 * the context values that the manifest's menus match.
 */
import * as vscode from 'vscode';
import { formatBytes, makeVisible, payloadPreview } from '../../core/payloadText';
import type { LocalBrokerState } from '../../core/localBroker';
import type { SessionState } from '../../core/session';
import { Commands } from '../constants';
import type {
  ConnectionElement,
  ProblemElement,
  SubscriptionElement,
  SubscriptionsElement,
  TopicElement,
} from './elements';

const None = vscode.TreeItemCollapsibleState.None;
const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const Expanded = vscode.TreeItemCollapsibleState.Expanded;

export function stateText(state: SessionState): string {
  switch (state.kind) {
    case 'disconnected':
      return 'disconnected';
    case 'connecting':
      return 'connecting…';
    case 'connected':
      return 'connected';
    case 'reconnecting': {
      const when =
        state.nextAttemptAt !== undefined
          ? vscode.l10n.t('next at {0}', new Date(state.nextAttemptAt).toLocaleTimeString())
          : vscode.l10n.t('trying now');
      const why = [state.cause, state.lastError].filter(Boolean).join('; ');
      return `${vscode.l10n.t('reconnecting (attempt {0}, {1})', state.attempt, when)}${why ? `: ${why}` : ''}`;
    }
    case 'error':
      return `error: ${state.message}`;
  }
}

export function stateIcon(state: SessionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'disconnected':
      return new vscode.ThemeIcon('debug-disconnect');
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'connected':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'reconnecting':
      return new vscode.ThemeIcon(
        'sync~spin',
        new vscode.ThemeColor('problemsWarningIcon.foreground'),
      );
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  }
}

export function connectionItem({ session }: ConnectionElement): vscode.TreeItem {
  const hasChildren = session.subscriptions.length > 0 || session.topics.size > 0;
  const item = new vscode.TreeItem(
    session.name,
    hasChildren ? (session.state.kind === 'connected' ? Expanded : Collapsed) : None,
  );
  item.id = `connection:${session.name}`;
  // The queued count first: a narrow sidebar cuts the end of a long state off.
  item.description = session.queued
    ? `${vscode.l10n.t('{0} queued', session.queued)} · ${stateText(session.state)}`
    : stateText(session.state);
  item.iconPath = stateIcon(session.state);
  item.contextValue = `connection.${session.state.kind}`;
  const version = session.profile.protocolVersion === 5 ? 'MQTT 5.0' : 'MQTT 3.1.1';
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.appendText(
    `${session.name} — ${stateText(session.state)}\n\n${session.target} · ${version} · client id ${session.clientId}`,
  );
  if (session.topics.size > 0) tooltip.appendText(`\n\n${session.topics.size} topics`);
  item.tooltip = tooltip;
  return item;
}

export function problemItem({ problem }: ProblemElement): vscode.TreeItem {
  const item = new vscode.TreeItem(
    problem.profileName ? `${problem.profileName}: invalid profile` : 'Invalid profile',
    None,
  );
  item.id = `problem:${problem.path}:${problem.message}`;
  item.description = `${problem.path}: ${problem.message}`;
  item.tooltip = `${problem.path}\n${problem.message}`;
  item.iconPath = new vscode.ThemeIcon(
    'warning',
    new vscode.ThemeColor('problemsErrorIcon.foreground'),
  );
  item.contextValue = 'problem';
  item.command = { command: Commands.openSettings, title: 'Open Settings' };
  return item;
}

export function subscriptionsItem({ session }: SubscriptionsElement): vscode.TreeItem {
  const subs = session.subscriptions;
  const refused = subs.filter((s) => s.status.kind === 'refused').length;
  const item = new vscode.TreeItem('Subscriptions', Collapsed);
  item.id = `subscriptions:${session.name}`;
  item.description = `${subs.length}${refused ? ` · ${refused} refused` : ''}`;
  item.iconPath = new vscode.ThemeIcon(refused ? 'warning' : 'list-filter');
  item.contextValue = 'subscriptions';
  return item;
}

export function subscriptionItem({
  session,
  subscription: sub,
}: SubscriptionElement): vscode.TreeItem {
  const item = new vscode.TreeItem(sub.topic, None);
  item.id = `subscription:${session.name}:${sub.topic}`;
  const status = sub.status;
  item.description =
    status.kind === 'granted'
      ? `QoS ${status.qos}${status.qos < sub.qos ? ` (asked ${sub.qos})` : ''}`
      : status.kind === 'refused'
        ? `refused: ${status.reason}`
        : `QoS ${sub.qos} · pending`;
  item.iconPath =
    status.kind === 'refused'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(status.kind === 'granted' ? 'check' : 'clock');
  item.tooltip = `${sub.topic}\nasked QoS ${sub.qos}\n${item.description}`;
  item.contextValue = 'subscription';
  return item;
}

export function topicItem({ session, node }: TopicElement): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.name === '' ? '(empty level)' : makeVisible(node.name),
    node.children.size > 0 ? Collapsed : None,
  );
  item.id = `topic:${session.name}:${node.path}`;
  const parts = [`${node.subtreeCount} msg${node.subtreeCount === 1 ? '' : 's'}`];
  if (node.lastPayload && node.messageCount > 0)
    parts.push(payloadPreview(node.lastPayload, 40, node.lastPayloadSize));
  if (node.lastTime !== undefined && node.messageCount > 0) parts.push(timeOfDay(node.lastTime));
  item.description = `${node.retained ? 'retained · ' : ''}${parts.join(' · ')}`;
  item.iconPath = new vscode.ThemeIcon(
    node.retained ? 'pinned' : node.messageCount > 0 ? 'symbol-event' : 'symbol-namespace',
  );
  item.contextValue = 'topic';
  return item;
}

/** Fills the tooltip on hover only, so a flood never pays for it. */
export function topicTooltip({ node }: TopicElement): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.appendText(makeVisible(node.path));
  md.appendText(`\n\n${node.messageCount} on this topic, ${node.subtreeCount} including subtopics`);
  if (node.messageCount > 0 && node.lastTime !== undefined) {
    md.appendText(
      `\nlast: ${new Date(node.lastTime).toLocaleString()} · QoS ${node.lastQos ?? 0} · ${formatBytes(node.lastPayloadSize)}${node.retained ? ' · retained' : ''}`,
    );
    if (node.lastPayload)
      md.appendCodeblock(payloadPreview(node.lastPayload, 400, node.lastPayloadSize), 'text');
  }
  return md;
}

export function timeOfDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function brokerItem(state: LocalBrokerState, demoRunning: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem('Embedded broker', None);
  item.id = 'local-broker';
  const demo = demoRunning ? ' · demo devices on' : '';
  switch (state.kind) {
    case 'running': {
      const ws = state.wsPort ? ` + ws :${state.wsPort}` : '';
      item.description = `127.0.0.1:${state.port}${ws} · ${state.clients} client${state.clients === 1 ? '' : 's'}${demo}`;
      item.iconPath = new vscode.ThemeIcon(
        'server-process',
        new vscode.ThemeColor('testing.iconPassed'),
      );
      break;
    }
    case 'starting':
      item.description = 'starting…';
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      break;
    case 'error':
      item.description = state.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      break;
    case 'stopped':
      item.description = 'stopped';
      item.iconPath = new vscode.ThemeIcon('server-process');
  }
  item.tooltip = `MQTT broker inside VS Code (aedes): MQTT 3.1.1 and 5.0, no shared subscriptions.\n${item.description}`;
  item.contextValue = `localBroker.${state.kind}${demoRunning ? '.demo' : ''}`;
  return item;
}
