/**
 * Live topics in source code: a hover, in any language, on a string literal that is a topic or
 * a filter a connection has seen. Cheap by design: nothing runs while typing (a hover only),
 * it returns at once while no connection has topics (a counter per connection), reads only
 * the hovered line (bounded) and looks the text up level by level, never walking a whole tree.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import { literalAt, topicOfLiteral } from '../../core/topics/literalAt';
import { anyTopics, lookupLiveTopic, type TopicSource } from '../../core/topics/topicLookup';
import { Settings } from '../constants';
import { liveTopicMarkdown, type HoverContext } from './liveTopicMarkdown';

/** Where the hover applies: files and untitled documents of every language. */
export const LIVE_TOPIC_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
];

export class LiveTopicHoverProvider implements vscode.HoverProvider, vscode.Disposable {
  private enabled = readEnabled();
  private readonly watch = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(Settings.liveTopicsEnabled)) this.enabled = readEnabled();
  });

  constructor(
    private readonly sessions: SessionManager,
    private readonly context: HoverContext,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.enabled) return undefined;
    const sessions = this.sessions.all();
    const sources: TopicSource[] = sessions.map((s) => ({ name: s.name, topics: s.topics }));
    if (!anyTopics(sources)) return undefined;
    const line = document.lineAt(position.line).text;
    const literal = literalAt(line, position.character);
    const topic = literal && topicOfLiteral(literal);
    if (!literal || topic === undefined) return undefined;
    const found = lookupLiveTopic(sources, topic, { rateOf: this.context.rateOf });
    if (found.length === 0) return undefined;
    const range = new vscode.Range(position.line, literal.start, position.line, literal.end);
    return new vscode.Hover(liveTopicMarkdown(found, this.context), range);
  }

  dispose(): void {
    this.watch.dispose();
  }
}

function readEnabled(): boolean {
  return vscode.workspace.getConfiguration().get<boolean>(Settings.liveTopicsEnabled) ?? true;
}

/** Registers the hover for every language; dispose both. */
export function registerLiveTopics(
  sessions: SessionManager,
  context: HoverContext,
): vscode.Disposable {
  const provider = new LiveTopicHoverProvider(sessions, context);
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerHoverProvider(LIVE_TOPIC_SELECTOR, provider),
  );
}
