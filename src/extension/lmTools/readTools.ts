/**
 * The language-model tools that read: the connections, a connection's topics, and the newest
 * messages of a topic or filter from the Message Log's store. Each answers with bounded plain
 * text (src/core/assistant/toolTexts.ts); a wrong input throws an error naming the field,
 * which VS Code hands back to the model.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import type { MqttSession } from '../../core/session/session';
import type { MessageStore } from '../../core/store/messageStore';
import type { RuleChoice } from '../../core/decoders/registry';
import type { TopicNode } from '../../core/topics/topicTree';
import { validateTopicFilter } from '../../core/topics/topics';
import { walkFilter } from '../../core/topics/topicLookup';
import {
  connectionsText,
  MAX_LISTED_TOPICS,
  MAX_READ_MESSAGES,
  messagesText,
  topicsText,
} from '../../core/assistant/toolTexts';
import { messageRow } from '../../core/assistant/messageRows';

export interface ReadToolDeps {
  sessions: SessionManager;
  store: MessageStore;
  rateOf: (connection: string, topic: string) => number | undefined;
  decoderRule: (topic: string) => RuleChoice | undefined;
}

/** Rows a read scans at most for a filter (the store holds up to 100,000 by default). */
const MAX_SCAN = 500_000;

export function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

/** The session named by the input, or an error listing the names there are. */
export function sessionNamed(sessions: SessionManager, name: unknown): MqttSession {
  const session = typeof name === 'string' ? sessions.get(name) : undefined;
  if (session) return session;
  const names = sessions.all().map((s) => JSON.stringify(s.name));
  throw new Error(
    `There is no connection named ${JSON.stringify(name)}. Connections: ${names.join(', ') || 'none'}.`,
  );
}

function record(input: unknown): Record<string, unknown> {
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

function filterOf(value: unknown, field: string, fallback?: string): string {
  const filter = value ?? fallback;
  if (typeof filter !== 'string') throw new Error(`"${field}" must be a topic or topic filter.`);
  const problem = validateTopicFilter(filter);
  if (problem) throw new Error(`"${field}": ${problem}`);
  return filter;
}

export const listConnectionsTool = (deps: ReadToolDeps): vscode.LanguageModelTool<object> => ({
  invoke: () =>
    textResult(
      connectionsText(
        deps.sessions.all().map((s) => ({
          name: s.name,
          state: s.state.kind,
          broker: s.target,
          protocolVersion: s.profile.protocolVersion === 5 ? 5 : 4,
          topics: s.topics.size,
          subscriptions: s.subscriptions.map((sub) => ({
            topic: sub.topic,
            status:
              sub.status.kind === 'granted' ? `granted QoS ${sub.status.qos}` : sub.status.kind,
          })),
        })),
      ),
    ),
});

export const listTopicsTool = (deps: ReadToolDeps): vscode.LanguageModelTool<object> => ({
  invoke: (options) => {
    const input = record(options.input);
    const session = sessionNamed(deps.sessions, input.connection);
    const filter = filterOf(input.filter, 'filter', '#');
    const nodes: TopicNode[] = [];
    // Bounded by the tree's own cap on topics: a call walks at most the whole tree once.
    const complete = walkFilter(
      session.topics,
      filter,
      (n) => nodes.push(n),
      session.topics.maxTopics + 1,
    );
    nodes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const rows = nodes
      .slice(0, MAX_LISTED_TOPICS)
      .map((node) => ({ node, rate: deps.rateOf(session.name, node.path) }));
    return textResult(topicsText(session.name, filter, rows, nodes.length, !complete));
  },
});

export const readMessagesTool = (deps: ReadToolDeps): vscode.LanguageModelTool<object> => ({
  invoke: (options) => {
    const input = record(options.input);
    const topic = filterOf(input.topic, 'topic');
    const connection =
      input.connection === undefined
        ? undefined
        : sessionNamed(deps.sessions, input.connection).name;
    const limit = input.limit ?? 20;
    if (
      typeof limit !== 'number' ||
      !Number.isInteger(limit) ||
      limit < 1 ||
      limit > MAX_READ_MESSAGES
    )
      throw new Error(`"limit" must be a whole number from 1 to ${MAX_READ_MESSAGES}.`);
    const page = deps.store.page({
      limit,
      filter: { topicFilter: topic, ...(connection !== undefined ? { connection } : {}) },
      maxScan: MAX_SCAN,
    });
    const rows = page.entries.map((e) => messageRow(e, deps.decoderRule(e.topic)));
    return textResult(messagesText(topic, rows, page.more));
  },
});
