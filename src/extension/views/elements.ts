/**
 * The elements of the Connections view. They are cached per underlying object, because VS Code
 * identifies tree elements by reference when a refresh names them.
 */
import type { ProfileProblem } from '../../core/profile/profile';
import type { MqttSession, Subscription } from '../../core/session/session';
import type { TopicNode } from '../../core/topics/topicTree';

export interface ConnectionElement {
  readonly kind: 'connection';
  readonly session: MqttSession;
}

export interface BrokerElement {
  readonly kind: 'broker';
}

export const BROKER_ELEMENT: BrokerElement = { kind: 'broker' };

export interface ProblemElement {
  readonly kind: 'problem';
  readonly problem: ProfileProblem;
}

export interface SubscriptionsElement {
  readonly kind: 'subscriptions';
  readonly session: MqttSession;
}

export interface SubscriptionElement {
  readonly kind: 'subscription';
  readonly session: MqttSession;
  readonly subscription: Subscription;
}

export interface TopicElement {
  readonly kind: 'topic';
  readonly session: MqttSession;
  readonly node: TopicNode;
}

/** The row under a connection that counts the topics its explorer's limit kept out. */
export interface DroppedTopicsElement {
  readonly kind: 'droppedTopics';
  readonly session: MqttSession;
}

export type Element =
  | DroppedTopicsElement
  | BrokerElement
  | ConnectionElement
  | ProblemElement
  | SubscriptionsElement
  | SubscriptionElement
  | TopicElement;

export class ElementCache {
  private connections = new WeakMap<MqttSession, ConnectionElement>();
  private groups = new WeakMap<MqttSession, SubscriptionsElement>();
  private topics = new WeakMap<TopicNode, TopicElement>();
  private dropped = new WeakMap<MqttSession, DroppedTopicsElement>();

  connection(session: MqttSession): ConnectionElement {
    let e = this.connections.get(session);
    if (!e) this.connections.set(session, (e = { kind: 'connection', session }));
    return e;
  }

  subscriptions(session: MqttSession): SubscriptionsElement {
    let e = this.groups.get(session);
    if (!e) this.groups.set(session, (e = { kind: 'subscriptions', session }));
    return e;
  }

  droppedTopics(session: MqttSession): DroppedTopicsElement {
    let e = this.dropped.get(session);
    if (!e) this.dropped.set(session, (e = { kind: 'droppedTopics', session }));
    return e;
  }

  topic(session: MqttSession, node: TopicNode): TopicElement {
    let e = this.topics.get(node);
    if (!e) this.topics.set(node, (e = { kind: 'topic', session, node }));
    return e;
  }
}
