/**
 * The Sparkplug view: groups → edge nodes → devices, as the tracker knows them, with online or
 * offline, the last seq, the bdSeq and the warnings (seq gaps, bdSeq mismatches). Refreshed on the
 * tracker's announcements (at most every 100 ms). Selecting a node opens the Message Log filtered
 * to its topics.
 */
import * as vscode from 'vscode';
import type { SparkplugTracker } from '../../core/sparkplug/sparkplugTracker';
import {
  warnedSinceBirth,
  type DeviceState,
  type EdgeNodeState,
  type Liveness,
} from '../../core/sparkplug/sparkplugState';
import { visibleLine } from '../../shared/visibleText';
import { formatTime } from '../../shared/clockTime';
import { Commands } from '../constants';

export type SparkplugElement =
  | { kind: 'sparkplugGroup'; connection: string; group: string }
  | { kind: 'sparkplugNode'; connection: string; group: string; node: string }
  | { kind: 'sparkplugDevice'; connection: string; group: string; node: string; device: string };

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

export class SparkplugTreeProvider
  implements vscode.TreeDataProvider<SparkplugElement>, vscode.Disposable
{
  private readonly changes = new vscode.EventEmitter<SparkplugElement | undefined>();
  readonly onDidChangeTreeData = this.changes.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly tracker: SparkplugTracker) {
    this.listener = tracker.onDidChange(() => this.changes.fire(undefined));
  }

  getChildren(element?: SparkplugElement): SparkplugElement[] {
    const nodes = this.tracker.edgeNodes();
    if (!element) {
      const groups = new Map<string, SparkplugElement>();
      for (const n of [...nodes].sort((a, b) => a.group.localeCompare(b.group)))
        groups.set(`${n.connection}\u0000${n.group}`, {
          kind: 'sparkplugGroup',
          connection: n.connection,
          group: n.group,
        });
      return [...groups.values()];
    }
    if (element.kind === 'sparkplugGroup')
      return nodes
        .filter((n) => n.connection === element.connection && n.group === element.group)
        .sort(byName)
        .map((n) => ({ ...element, kind: 'sparkplugNode', node: n.name }));
    if (element.kind === 'sparkplugNode') {
      const node = this.tracker.edgeNode(element.connection, element.group, element.node);
      return [...(node?.devices.values() ?? [])]
        .sort(byName)
        .map((d) => ({ ...element, kind: 'sparkplugDevice', device: d.name }));
    }
    return [];
  }

  getTreeItem(element: SparkplugElement): vscode.TreeItem {
    const { connection, group } = element;
    const id = `${connection}\u0000${group}`;
    if (element.kind === 'sparkplugGroup') {
      const item = new vscode.TreeItem(
        visibleLine(group),
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = `sp-group:${id}`;
      item.description = visibleLine(connection);
      item.iconPath = new vscode.ThemeIcon('folder');
      item.contextValue = 'sparkplugGroup';
      return item;
    }
    const node = this.tracker.edgeNode(connection, group, element.node);
    if (!node) return new vscode.TreeItem(visibleLine(element.node));
    if (element.kind === 'sparkplugNode')
      return nodeItem(node, `${id}\u0000${node.name}`, this.tracker.droppedNodes);
    const device = node.devices.get(element.device);
    if (!device) return new vscode.TreeItem(visibleLine(element.device));
    return deviceItem(node, device, `${id}\u0000${node.name}\u0000${device.name}`);
  }

  dispose(): void {
    this.listener.dispose();
    this.changes.dispose();
  }
}

function livenessText(holder: DeviceState): string {
  const state: Liveness = holder.state;
  if (state === 'online') return vscode.l10n.t('online');
  if (state === 'offline') return vscode.l10n.t('offline');
  if (holder.connectionLost) return vscode.l10n.t('unknown (connection lost)');
  return vscode.l10n.t('no birth seen');
}

function livenessIcon(state: Liveness, warned: boolean): vscode.ThemeIcon {
  if (state === 'online')
    return new vscode.ThemeIcon(
      warned ? 'warning' : 'pass-filled',
      new vscode.ThemeColor(warned ? 'problemsWarningIcon.foreground' : 'testing.iconPassed'),
    );
  if (state === 'offline')
    return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
  return new vscode.ThemeIcon('question');
}

function nodeItem(node: EdgeNodeState, id: string, droppedNodes: number): vscode.TreeItem {
  const collapsible = node.devices.size
    ? vscode.TreeItemCollapsibleState.Expanded
    : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(visibleLine(node.name), collapsible);
  item.id = `sp-node:${id}`;
  const parts = [livenessText(node)];
  if (node.lastSeq !== undefined) parts.push(vscode.l10n.t('seq {0}', node.lastSeq));
  if (node.bdSeq !== undefined) parts.push(vscode.l10n.t('bdSeq {0}', node.bdSeq));
  if (node.seqGaps) parts.push(vscode.l10n.t('{0} seq gap(s)', node.seqGaps));
  if (node.bdSeqMismatches)
    parts.push(vscode.l10n.t('{0} bdSeq mismatch(es)', node.bdSeqMismatches));
  item.description = parts.join(' · ');
  item.iconPath = livenessIcon(node.state, warnedSinceBirth(node));
  item.contextValue = 'sparkplugNode';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${visibleLine(`${node.group} / ${node.name}`)} — ${item.description}\n`);
  tooltip.appendText(vscode.l10n.t('Last message: {0}', formatTime(node.lastMessageAt)));
  if (node.droppedDevices)
    tooltip.appendText(
      '\n' + vscode.l10n.t('Devices not tracked (over the limit): {0}', node.droppedDevices),
    );
  if (droppedNodes)
    tooltip.appendText(
      '\n' + vscode.l10n.t('Edge nodes not tracked (over the limit): {0}', droppedNodes),
    );
  for (const w of node.warnings.slice(-5)) tooltip.appendText(`\n⚠ ${visibleLine(w.text)}`);
  item.tooltip = tooltip;
  item.command = {
    command: Commands.showMessages,
    title: vscode.l10n.t('Show Messages'),
    arguments: [{ connection: node.connection, topic: `spBv1.0/${node.group}/+/${node.name}` }],
  };
  return item;
}

function deviceItem(node: EdgeNodeState, device: DeviceState, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(visibleLine(device.name));
  item.id = `sp-device:${id}`;
  item.description = livenessText(device);
  item.iconPath = livenessIcon(device.state, false);
  item.contextValue = 'sparkplugDevice';
  item.command = {
    command: Commands.showMessages,
    title: vscode.l10n.t('Show Messages'),
    arguments: [
      { connection: node.connection, topic: `spBv1.0/${node.group}/+/${node.name}/${device.name}` },
    ],
  };
  return item;
}
