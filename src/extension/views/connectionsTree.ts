/**
 * The Connections view: one node per profile with its state, its subscriptions, and its topic
 * explorer. Topic changes arrive from the core in batches (TopicTree.onDidChange); each batch
 * refreshes only the top-most nodes it touched, which VS Code re-renders with their visible
 * descendants — never the whole view per message.
 */
import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../../core/event';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import type { TopicTreeChange } from '../../core/topics/topicTree';
import type { ConnectionSettings } from '../settings';
import type { LocalBrokerController } from '../localBrokerController';
import { BROKER_ELEMENT, ElementCache, type Element, type TopicElement } from './elements';
import {
  brokerItem,
  connectionItem,
  connectionTooltip,
  problemItem,
  subscriptionItem,
  subscriptionsItem,
  topicItem,
  topicTooltip,
} from './treeItems';
import { appendCapabilities } from './capabilityText';
import type { Event } from '../../core/event';
import type { RuleChoice } from '../../core/decoders/registry';

/** What the tree needs of the decoder rules (src/extension/decoderSettings.ts). */
export interface DecoderRuleSource {
  forTopic(topic: string): RuleChoice | undefined;
  readonly problems: readonly { path: string; message: string }[];
  readonly onDidChange: Event<void>;
}

export class ConnectionsTreeProvider
  implements vscode.TreeDataProvider<Element>, vscode.Disposable
{
  private readonly changeEmitter = new vscode.EventEmitter<Element | Element[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly cache = new ElementCache();
  private readonly disposables = new DisposableStore();
  /** Sessions whose first topics were announced; cleared with their topics. */
  private readonly seeded = new WeakSet<MqttSession>();
  private readonly firstTopicEmitter = new Emitter<TopicElement>();
  /**
   * The first topic a connection received since its topic explorer was empty, so the view can
   * reveal it: a user connecting for the first time sees a device without clicking.
   */
  readonly onDidReceiveFirstTopic = this.firstTopicEmitter.event;
  /** Whether a connection's packets are traced (its row says so). */
  isTraced: (name: string) => boolean = () => false;
  private decoderRules: DecoderRuleSource | undefined;

  constructor(
    private readonly sessions: SessionManager,
    private readonly settings: ConnectionSettings,
    private readonly local: LocalBrokerController,
  ) {
    this.disposables.add(local.onDidChange(() => this.changeEmitter.fire(undefined)));
    this.disposables.add(sessions.onDidChangeSessions(() => this.changeEmitter.fire(undefined)));
    this.disposables.add(
      sessions.onDidChangeTopics(({ session, change }) => this.onTopicsChanged(session, change)),
    );
    this.disposables.add(
      sessions.onDidChangeState(({ session }) => this.refreshConnection(session)),
    );
    this.disposables.add(
      sessions.onDidChangeSubscriptions((session) => this.refreshConnection(session)),
    );
    this.disposables.add(sessions.onDidChangeQueue((session) => this.refreshConnection(session)));
    this.disposables.add(settings.onDidChange(() => this.changeEmitter.fire(undefined)));
  }

  /** Payload previews follow `mqttScope.decoders`; its problems show beside the profiles'. */
  useDecoderRules(rules: DecoderRuleSource): void {
    this.decoderRules = rules;
    this.disposables.add(rules.onDidChange(() => this.changeEmitter.fire(undefined)));
  }

  getTreeItem(element: Element): vscode.TreeItem {
    switch (element.kind) {
      case 'broker':
        return brokerItem(this.local.broker.state, this.local.demoRunning);
      case 'connection':
        return connectionItem(element, this.isTraced(element.session.name));
      case 'problem':
        return problemItem(element);
      case 'subscriptions':
        return subscriptionsItem(element);
      case 'subscription':
        return subscriptionItem(element);
      case 'topic':
        return topicItem(
          element,
          this.settings.autoExpandDepth,
          this.decoderRules?.forTopic(element.node.path),
        );
    }
  }

  resolveTreeItem(item: vscode.TreeItem, element: Element): vscode.TreeItem {
    if (element.kind === 'topic')
      item.tooltip = topicTooltip(element, this.decoderRules?.forTopic(element.node.path));
    if (element.kind === 'connection') {
      const tooltip = connectionTooltip(element, this.isTraced(element.session.name));
      appendCapabilities(tooltip, element.session);
      item.tooltip = tooltip;
    }
    return item;
  }

  getChildren(element?: Element): Element[] {
    if (!element) {
      const problems = [...this.settings.problems, ...(this.decoderRules?.problems ?? [])].map(
        (problem) => ({
          kind: 'problem' as const,
          problem,
        }),
      );
      const broker = this.local.broker.state.kind === 'stopped' ? [] : [BROKER_ELEMENT];
      return [...broker, ...this.sessions.all().map((s) => this.cache.connection(s)), ...problems];
    }
    switch (element.kind) {
      case 'connection': {
        const { session } = element;
        const topics = session.topics.topLevel().map((node) => this.cache.topic(session, node));
        return session.subscriptions.length > 0
          ? [this.cache.subscriptions(session), ...topics]
          : topics;
      }
      case 'subscriptions':
        return element.session.subscriptions.map((subscription) => ({
          kind: 'subscription' as const,
          session: element.session,
          subscription,
        }));
      case 'topic':
        return element.session.topics
          .childrenOf(element.node)
          .map((node) => this.cache.topic(element.session, node));
      default:
        return [];
    }
  }

  getParent(element: Element): Element | undefined {
    switch (element.kind) {
      case 'topic':
        return element.node.parent
          ? this.cache.topic(element.session, element.node.parent)
          : this.cache.connection(element.session);
      case 'subscription':
        return this.cache.subscriptions(element.session);
      case 'subscriptions':
        return this.cache.connection(element.session);
      default:
        return undefined;
    }
  }

  connectionElement(session: MqttSession): Element {
    return this.cache.connection(session);
  }

  /** The element for a topic, for reveal(). */
  topicElement(session: MqttSession, topic: string): TopicElement | undefined {
    const node = session.topics.find(topic);
    return node ? this.cache.topic(session, node) : undefined;
  }

  dispose(): void {
    this.disposables.dispose();
    this.changeEmitter.dispose();
    this.firstTopicEmitter.dispose();
  }

  /** Draws a connection's row again, e.g. when its packet trace was turned on or off. */
  refreshConnectionNamed(name: string): void {
    const session = this.sessions.get(name);
    if (session) this.refreshConnection(session);
  }

  private refreshConnection(session: MqttSession): void {
    if (this.sessions.get(session.name) === session)
      this.changeEmitter.fire(this.cache.connection(session));
  }

  private onTopicsChanged(session: MqttSession, change: TopicTreeChange): void {
    if (this.sessions.get(session.name) !== session) return;
    this.announceFirstTopic(session, change);
    if (change.structureChanged.has(undefined)) {
      this.refreshConnection(session);
      return;
    }
    // Ancestors of every changed node changed too (their counts); refreshing the top-most
    // ones re-renders the visible rest.
    const top: TopicElement[] = [];
    for (const node of change.changed)
      if (!node.parent || !change.changed.has(node.parent))
        top.push(this.cache.topic(session, node));
    for (const node of change.structureChanged) {
      if (node && !change.changed.has(node)) top.push(this.cache.topic(session, node));
    }
    if (top.length > 0) this.changeEmitter.fire(top);
  }

  private announceFirstTopic(session: MqttSession, change: TopicTreeChange): void {
    if (session.topics.size === 0) {
      this.seeded.delete(session);
      return;
    }
    if (this.seeded.has(session)) return;
    // The deepest topic that received a message: revealing it opens the levels above it.
    let first: TopicElement['node'] | undefined;
    for (const node of change.changed) {
      if (node.messageCount > 0 && (!first || node.path.length > first.path.length)) first = node;
    }
    if (!first) return;
    this.seeded.add(session);
    this.firstTopicEmitter.fire(this.cache.topic(session, first));
  }
}
