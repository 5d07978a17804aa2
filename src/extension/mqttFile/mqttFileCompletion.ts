/**
 * Completion in `.mqtt` files: keywords at the start of a block, the header names of the block's
 * kind and their values, `{{…}}` variables (the file's, the environments') and dynamic values,
 * and topics seen on the connections after PUBLISH / EXPECT / REQUEST. Where is decided by
 * `completionContextAt` (core); topics come from the sessions' topic trees, at most 200 a time.
 */
import * as vscode from 'vscode';
import { completionContextAt, type CompletionContext } from '../../core/mqttFile/completionContext';
import {
  BLOCK_KEYWORDS,
  CAPTURES,
  DYNAMIC_VALUES,
  HEADERS_BY_KEYWORD,
  HEADER_VALUES,
  REPEATABLE_HEADERS,
} from '../../core/mqttFile/mqttFileVocabulary';
import { topicCandidates, type TopicSource } from '../../core/mqttFile/topicCandidates';
import { MQTT_SELECTOR } from './mqttDocuments';
import type { MqttFileEnvironmentNames } from './mqttFileEnvironmentNames';
import { dynamicValueDocs, keywordSnippets } from './mqttFileCompletionTexts';

type Ctx<K extends CompletionContext['kind']> = Extract<CompletionContext, { kind: K }>;

/** Reopens the suggestions after an item that needs more (a header's value, a topic's level). */
const SUGGEST_AGAIN: vscode.Command = { command: 'editor.action.triggerSuggest', title: '' };
/** File variables are read from at most this many lines before the first block. */
const MAX_PREAMBLE_LINES = 1000;

export class MqttFileCompletion implements vscode.CompletionItemProvider {
  constructor(
    private readonly topicSources: () => Iterable<TopicSource>,
    private readonly environments: MqttFileEnvironmentNames,
  ) {}

  register(): vscode.Disposable {
    return vscode.languages.registerCompletionItemProvider(
      MQTT_SELECTOR,
      this,
      '{',
      '$',
      '/',
      ' ',
      ':',
    );
  }

  async provideCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
  ): Promise<vscode.CompletionList | vscode.CompletionItem[]> {
    const ctx = completionContextAt(
      (i) => document.lineAt(i).text,
      document.lineCount,
      position.line,
      position.character,
    );
    const range = (c: { start: number; end: number }) => ({
      inserting: new vscode.Range(position.line, c.start, position.line, position.character),
      replacing: new vscode.Range(position.line, c.start, position.line, c.end),
    });
    switch (ctx.kind) {
      case 'keyword':
        return keywordItems(range(ctx));
      case 'modifier':
        return ctx.options.map((word) => {
          const item = new vscode.CompletionItem(word, vscode.CompletionItemKind.Keyword);
          item.range = range(ctx);
          item.insertText = `${word} `;
          return item;
        });
      case 'headerName':
        return headerNameItems(ctx, range(ctx));
      case 'headerValue':
        return (HEADER_VALUES[ctx.header] ?? []).map((value, i) => {
          const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.Value);
          item.range = range(ctx);
          item.sortText = String(i).padStart(2, '0');
          return item;
        });
      case 'variable':
        return this.variableItems(document, range(ctx));
      case 'topic':
        return this.topicItems(ctx, range(ctx));
      case 'none':
        return [];
    }
  }

  private async variableItems(
    document: vscode.TextDocument,
    range: { inserting: vscode.Range; replacing: vscode.Range },
  ): Promise<vscode.CompletionItem[]> {
    const line = document.lineAt(range.replacing.end.line).text;
    const closed = line.slice(range.replacing.end.character).trimStart().startsWith('}}');
    const close = closed ? '' : '}}';
    const items: vscode.CompletionItem[] = [];
    const names = new Set<string>();
    const variable = (name: string, detail: string, value: string) => {
      if (names.has(name)) return;
      names.add(name);
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Variable);
      item.range = range;
      item.insertText = name + close;
      item.detail = detail;
      item.documentation = new vscode.MarkdownString().appendCodeblock(value, 'text');
      items.push(item);
    };
    for (const [name, value] of fileVariables(document))
      variable(name, vscode.l10n.t('file variable'), value);
    const { environments } = await this.environments.environmentsFor(document.uri);
    const selected = this.environments.selected(document.uri);
    const envNames = Object.keys(environments).sort((a, b) =>
      a === selected ? -1 : b === selected ? 1 : a.localeCompare(b),
    );
    for (const env of envNames) {
      for (const [name, value] of Object.entries(environments[env].variables))
        variable(name, vscode.l10n.t('environment "{0}"', env), value);
    }
    const docs = dynamicValueDocs();
    for (const dynamic of DYNAMIC_VALUES) {
      const item = new vscode.CompletionItem(dynamic.name, vscode.CompletionItemKind.Function);
      item.range = range;
      item.insertText = new vscode.SnippetString(`\\${dynamic.snippet}${close}`);
      item.detail = vscode.l10n.t('dynamic value');
      item.documentation = docs[dynamic.name];
      item.sortText = `~${dynamic.name}`;
      items.push(item);
    }
    for (const capture of CAPTURES) {
      const item = new vscode.CompletionItem(capture, vscode.CompletionItemKind.Reference);
      item.range = range;
      item.detail = vscode.l10n.t('captured from an earlier block');
      if (capture.endsWith('.')) item.command = SUGGEST_AGAIN;
      else item.insertText = capture + close;
      item.sortText = `~~${capture}`;
      items.push(item);
    }
    return items;
  }

  private topicItems(
    ctx: Ctx<'topic'>,
    range: { inserting: vscode.Range; replacing: vscode.Range },
  ): vscode.CompletionList {
    const { candidates, complete } = topicCandidates(this.topicSources(), ctx.prefix);
    const items: vscode.CompletionItem[] = [];
    for (const c of candidates) {
      if (c.isTopic || !c.hasChildren) {
        const item = new vscode.CompletionItem(c.path, vscode.CompletionItemKind.Value);
        item.range = range;
        item.filterText = c.path;
        item.detail = c.retained
          ? vscode.l10n.t('topic seen, retained')
          : vscode.l10n.t('topic seen');
        items.push(item);
      }
      if (c.hasChildren) {
        const level = `${c.path}/`;
        const item = new vscode.CompletionItem(level, vscode.CompletionItemKind.Folder);
        item.range = range;
        item.filterText = level;
        item.command = SUGGEST_AGAIN;
        items.push(item);
      }
    }
    if (ctx.allowNothing) {
      const item = new vscode.CompletionItem('NOTHING', vscode.CompletionItemKind.Keyword);
      item.range = range;
      item.insertText = 'NOTHING ';
      item.detail = vscode.l10n.t('passes when nothing arrives within the time');
      item.command = SUGGEST_AGAIN;
      items.push(item);
    }
    return new vscode.CompletionList(items, !complete);
  }
}

function keywordItems(range: {
  inserting: vscode.Range;
  replacing: vscode.Range;
}): vscode.CompletionItem[] {
  const snippets = keywordSnippets();
  return BLOCK_KEYWORDS.map((keyword, i) => {
    const item = new vscode.CompletionItem(keyword, vscode.CompletionItemKind.Keyword);
    item.range = range;
    item.insertText = new vscode.SnippetString(snippets[keyword].snippet);
    item.documentation = snippets[keyword].doc;
    item.sortText = String(i);
    return item;
  });
}

function headerNameItems(
  ctx: Ctx<'headerName'>,
  range: { inserting: vscode.Range; replacing: vscode.Range },
): vscode.CompletionItem[] {
  const present = new Set(ctx.present);
  return HEADERS_BY_KEYWORD[ctx.keyword]
    .filter((name) => REPEATABLE_HEADERS.has(name) || !present.has(name))
    .map((name, i) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Property);
      item.range = range;
      item.insertText = `${name}: `;
      item.sortText = String(i).padStart(2, '0');
      if (HEADER_VALUES[name]) item.command = SUGGEST_AGAIN;
      return item;
    });
}

/** `@name = value` lines before the first block. */
function fileVariables(document: vscode.TextDocument): [string, string][] {
  const found: [string, string][] = [];
  const end = Math.min(document.lineCount, MAX_PREAMBLE_LINES);
  for (let i = 0; i < end; i++) {
    const text = document.lineAt(i).text;
    if (text.startsWith('###')) break;
    const match = /^@([\w.-]+)\s*=\s*(.*)$/.exec(text);
    if (match) found.push([match[1], match[2]]);
  }
  return found;
}
