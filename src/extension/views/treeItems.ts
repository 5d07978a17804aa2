/**
 * How each element of the Connections view looks: labels, descriptions, icons, tooltips and
 * the context values that the manifest's menus match.
 */
import * as vscode from 'vscode';
import { autoExpands } from '../../core/topics/autoExpand';
import { isUnverifiedTls } from '../../core/trust/brokerTrust';
import { formatCount } from '../../shared/counts';
import { formatBytes } from '../../shared/byteSize';
import { formatTime } from '../../shared/clockTime';
import { DECODERS_SETTING } from '../../core/decoders/decoderRules';
import { lastPayloadPreview } from '../../core/topics/lastPayloadPreview';
import type { RuleChoice } from '../../core/decoders/registry';
import { visibleLine } from '../../shared/visibleText';
import type { LocalBrokerState } from '../../core/broker/localBroker';
import type { SessionState } from '../../core/session/session';
import { Commands } from '../constants';
import { rateText } from './rateItems';
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

/** VS Code's display language, so counts group as the rest of the UI does. */
const locale = () => vscode.env.language;

/** What a screen reader says for a row: its label, then its state. */
function spoken(item: vscode.TreeItem, label: string): void {
  item.accessibilityInformation = { label };
}

export function stateText(state: SessionState): string {
  switch (state.kind) {
    case 'disconnected':
      return vscode.l10n.t('disconnected');
    case 'connecting':
      return vscode.l10n.t('connecting…');
    case 'connected':
      return vscode.l10n.t('connected');
    case 'reconnecting': {
      const when =
        state.nextAttemptAt !== undefined
          ? vscode.l10n.t('next at {0}', new Date(state.nextAttemptAt).toLocaleTimeString())
          : vscode.l10n.t('trying now');
      const why = [state.cause, state.lastError].filter(Boolean).join('; ');
      return `${vscode.l10n.t('reconnecting (attempt {0}, {1})', state.attempt, when)}${why ? `: ${why}` : ''}`;
    }
    case 'error':
      return vscode.l10n.t('error: {0}', state.message);
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

export function connectionItem({ session }: ConnectionElement, traced = false): vscode.TreeItem {
  const hasChildren = session.subscriptions.length > 0 || session.topics.size > 0;
  const item = new vscode.TreeItem(
    session.name,
    hasChildren ? (session.state.kind === 'connected' ? Expanded : Collapsed) : None,
  );
  item.id = `connection:${session.name}`;
  const unverified = isUnverifiedTls(session.profile);
  // The queued count and an unverified certificate first: a narrow sidebar cuts the end off.
  item.description = [
    session.queued ? vscode.l10n.t('{0} queued', session.queued) : undefined,
    unverified ? vscode.l10n.t('certificate not verified') : undefined,
    stateText(session.state),
    traced ? vscode.l10n.t('tracing packets') : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  item.iconPath =
    unverified && session.state.kind === 'connected'
      ? new vscode.ThemeIcon('unlock', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : stateIcon(session.state);
  item.contextValue = `connection.${session.state.kind}${session.profile.username ? '.user' : ''}`;
  spoken(
    item,
    unverified
      ? vscode.l10n.t(
          'MQTT connection {0}, certificate not verified: {1}',
          session.name,
          stateText(session.state),
        )
      : vscode.l10n.t('MQTT connection {0}: {1}', session.name, stateText(session.state)),
  );
  // The tooltip is left undefined: VS Code resolves only an undefined one, on hover
  // (connectionTooltip through resolveTreeItem), with what the broker allows.
  return item;
}

/** A connection's tooltip, built on hover: where, which protocol, warnings, topics. */
export function connectionTooltip(
  { session }: ConnectionElement,
  traced = false,
): vscode.MarkdownString {
  const unverified = isUnverifiedTls(session.profile);
  const version = session.profile.protocolVersion === 5 ? 'MQTT 5.0' : 'MQTT 3.1.1';
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.appendText(
    vscode.l10n.t(
      '{0} — {1}\n\n{2} · {3} · client id {4}',
      session.name,
      stateText(session.state),
      session.target,
      version,
      session.clientId,
    ),
  );
  if (unverified) tooltip.appendText(`\n\n${unverifiedWarning()}`);
  if (traced)
    tooltip.appendText(
      `\n\n${vscode.l10n.t('Packet trace on: every packet is recorded (MQTT: Show Packet Trace).')}`,
    );
  if (session.topics.size > 0)
    tooltip.appendText(
      `\n\n${vscode.l10n.t('{0} topics', formatCount(session.topics.size, locale()))}`,
    );
  return tooltip;
}

/** Why an unverified connection is marked, in the row's tooltip and the connect notification. */
export function unverifiedWarning(): string {
  return vscode.l10n.t(
    "Warning: the broker's TLS certificate is not verified (tls.rejectUnauthorized is false). Whoever answers at this address is accepted, and can read and change the traffic.",
  );
}

export function problemItem({ problem }: ProblemElement): vscode.TreeItem {
  const item = new vscode.TreeItem(
    problem.profileName
      ? vscode.l10n.t('{0}: invalid profile', problem.profileName)
      : problem.path.startsWith(DECODERS_SETTING)
        ? vscode.l10n.t('Invalid decoder rule')
        : vscode.l10n.t('Invalid profile'),
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
  spoken(item, vscode.l10n.t('{0}: {1}: {2}', item.label as string, problem.path, problem.message));
  item.command = { command: Commands.openSettings, title: vscode.l10n.t('Open Settings') };
  return item;
}

export function subscriptionsItem({ session }: SubscriptionsElement): vscode.TreeItem {
  const subs = session.subscriptions;
  const refused = subs.filter((s) => s.status.kind === 'refused').length;
  const item = new vscode.TreeItem(vscode.l10n.t('Subscriptions'), Collapsed);
  item.id = `subscriptions:${session.name}`;
  item.description = refused
    ? vscode.l10n.t('{0} · {1} refused', subs.length, refused)
    : `${subs.length}`;
  item.iconPath = new vscode.ThemeIcon(refused ? 'warning' : 'list-filter');
  item.contextValue = 'subscriptions';
  spoken(
    item,
    refused
      ? vscode.l10n.t('Subscriptions: {0}, {1} refused by the broker', subs.length, refused)
      : vscode.l10n.t('Subscriptions: {0}', subs.length),
  );
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
      ? status.qos < sub.qos
        ? vscode.l10n.t('QoS {0} (asked {1})', status.qos, sub.qos)
        : vscode.l10n.t('QoS {0}', status.qos)
      : status.kind === 'refused'
        ? vscode.l10n.t('refused: {0}', status.reason)
        : vscode.l10n.t('QoS {0} · pending', sub.qos);
  item.iconPath =
    status.kind === 'refused'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon(status.kind === 'granted' ? 'check' : 'clock');
  item.tooltip = vscode.l10n.t(
    '{0}\nasked QoS {1}\n{2}',
    sub.topic,
    sub.qos,
    String(item.description),
  );
  item.contextValue = 'subscription';
  spoken(item, vscode.l10n.t('Subscription {0}: {1}', sub.topic, String(item.description)));
  return item;
}

/**
 * A topic row. `autoExpandDepth` (mqttScope.topicTree.autoExpandDepth) opens the first levels
 * while the connection has few topics; VS Code applies it only the first time it sees the row,
 * so a level the user collapsed stays collapsed.
 */
export function topicItem(
  { session, node }: TopicElement,
  autoExpandDepth = 0,
  rule?: RuleChoice,
  /** Messages per second on the topic over the last 10 s, when known. */
  rate?: number,
): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.name === '' ? vscode.l10n.t('(empty level)') : visibleLine(node.name),
    node.children.size > 0
      ? autoExpands(node, session.topics.size, autoExpandDepth)
        ? Expanded
        : Collapsed
      : None,
  );
  item.id = `topic:${session.name}:${node.path}`;
  const count = formatCount(node.subtreeCount, locale());
  const parts = [
    node.subtreeCount === 1 ? vscode.l10n.t('{0} msg', count) : vscode.l10n.t('{0} msgs', count),
  ];
  if (rate !== undefined && rate > 0 && node.messageCount > 0) parts.push(rateText(rate, locale()));
  if (node.lastPayload && node.messageCount > 0) parts.push(lastPayloadPreview(node, 40, rule));
  if (node.lastTime !== undefined && node.messageCount > 0)
    parts.push(formatTime(node.lastTime, 's'));
  item.description = node.retained
    ? vscode.l10n.t('retained · {0}', parts.join(' · '))
    : parts.join(' · ');
  item.iconPath = new vscode.ThemeIcon(
    node.retained ? 'pinned' : node.messageCount > 0 ? 'symbol-event' : 'symbol-namespace',
  );
  item.contextValue = 'topic';
  spoken(item, topicSpoken(item.label as string, node));
  return item;
}

/** "Topic telemetry: 1,234 messages, retained, last at 12:00:01". */
function topicSpoken(label: string, node: TopicElement['node']): string {
  const count = node.subtreeCount;
  const parts = [
    count === 1
      ? vscode.l10n.t('1 message')
      : vscode.l10n.t('{0} messages', formatCount(count, locale())),
  ];
  if (node.retained) parts.push(vscode.l10n.t('retained'));
  if (node.lastTime !== undefined && node.messageCount > 0)
    parts.push(vscode.l10n.t('last at {0}', formatTime(node.lastTime, 's')));
  return vscode.l10n.t('Topic {0}: {1}', label, parts.join(', '));
}

/** Fills the tooltip on hover only, so a flood never pays for it. */
export function topicTooltip({ node }: TopicElement, rule?: RuleChoice): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.appendText(visibleLine(node.path));
  md.appendText(
    `\n\n${vscode.l10n.t('{0} on this topic, {1} including subtopics', formatCount(node.messageCount, locale()), formatCount(node.subtreeCount, locale()))}`,
  );
  if (node.messageCount > 0 && node.lastTime !== undefined) {
    const last = [
      new Date(node.lastTime).toLocaleString(),
      node.lastQos ?? 0,
      formatBytes(node.lastPayloadSize),
    ];
    md.appendText(
      `\n${node.lastRetain ? vscode.l10n.t('last: {0} · QoS {1} · {2} · retained', ...last) : vscode.l10n.t('last: {0} · QoS {1} · {2}', ...last)}`,
    );
    if (node.lastPayload) md.appendCodeblock(lastPayloadPreview(node, 400, rule), 'text');
  }
  return md;
}

export function brokerItem(state: LocalBrokerState, demoRunning: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Embedded broker'), None);
  item.id = 'local-broker';
  const demo = demoRunning ? ` · ${vscode.l10n.t('demo devices on')}` : '';
  switch (state.kind) {
    case 'running': {
      const ws = state.wsPort ? ` + ws :${state.wsPort}` : '';
      const clients =
        state.clients === 1
          ? vscode.l10n.t('{0} client', state.clients)
          : vscode.l10n.t('{0} clients', state.clients);
      item.description = `127.0.0.1:${state.port}${ws} · ${clients}${demo}`;
      item.iconPath = new vscode.ThemeIcon(
        'server-process',
        new vscode.ThemeColor('testing.iconPassed'),
      );
      break;
    }
    case 'starting':
      item.description = vscode.l10n.t('starting…');
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      break;
    case 'error':
      item.description = state.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      break;
    case 'stopped':
      item.description = vscode.l10n.t('stopped');
      item.iconPath = new vscode.ThemeIcon('server-process');
  }
  item.tooltip = vscode.l10n.t(
    'MQTT broker inside VS Code (aedes): MQTT 3.1.1 and 5.0, no shared subscriptions.\n{0}',
    String(item.description),
  );
  item.contextValue = `localBroker.${state.kind}${demoRunning ? '.demo' : ''}`;
  spoken(
    item,
    vscode.l10n.t(
      'Embedded broker: {0}, {1}',
      state.kind,
      (item.description as string).replace(/ · /g, ', '),
    ),
  );
  return item;
}
