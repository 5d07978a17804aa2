/**
 * Results inline: after a run, each block's request line ends with its result ("✓ passed ·
 * 12 ms", "✗ failed: …", "– skipped"), and hovering that line shows the reason and expected vs
 * received as a diff (untrusted Markdown, device text escaped). An edit inside a block clears its
 * result; an edit above it moves it with its lines. Decorations only: diagnostics belong to the
 * checks made as you type.
 */
import * as vscode from 'vscode';
import type { BlockResult } from '../../core/mqttFile/runTypes';
import { MQTT_SELECTOR } from './mqttDocuments';
import { inlineResultText, resultHoverMarkdown } from './resultText';

interface Shown {
  result: BlockResult;
  /** The block's lines now (moved by edits above it). */
  start: number;
  end: number;
  line: number;
}

const COLORS: Record<BlockResult['status'], string> = {
  passed: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  skipped: 'testing.iconSkipped',
};

export class MqttFileResults implements vscode.Disposable {
  private readonly byFile = new Map<string, Map<number, Shown>>();
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.decoration];
  /** A document's results were set, cleared or moved. */
  readonly onDidChange: vscode.Event<vscode.Uri> = this.changed.event;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      vscode.languages.registerHoverProvider(MQTT_SELECTOR, {
        provideHover: (document, position) => this.hover(document.uri, position.line),
      }),
    );
  }

  /** Drops every result of `uri` (a new run starts). */
  clear(uri: vscode.Uri): void {
    this.byFile.delete(uri.toString());
    this.render(uri);
  }

  /** Shows one block's result (as each block ends). */
  set(uri: vscode.Uri, result: BlockResult): void {
    const key = uri.toString();
    let shown = this.byFile.get(key);
    if (!shown) this.byFile.set(key, (shown = new Map()));
    const { range, requestRange } = result.block;
    shown.set(result.block.index, {
      result,
      start: range.line,
      end: range.endLine,
      line: requestRange.line,
    });
    this.render(uri);
  }

  get(uri: vscode.Uri, block: number): BlockResult | undefined {
    return this.byFile.get(uri.toString())?.get(block)?.result;
  }

  /** The texts shown now, by line (for tests and the e2e screenshot check). */
  texts(uri: vscode.Uri): { line: number; text: string }[] {
    const shown = this.byFile.get(uri.toString());
    return [...(shown?.values() ?? [])]
      .map((s) => ({ line: s.line, text: inlineResultText(s.result, vscode.l10n) }))
      .sort((a, b) => a.line - b.line);
  }

  private hover(uri: vscode.Uri, line: number): vscode.Hover | undefined {
    const shown = [...(this.byFile.get(uri.toString())?.values() ?? [])].find(
      (s) => s.line === line,
    );
    if (!shown) return undefined;
    const markdown = new vscode.MarkdownString(resultHoverMarkdown(shown.result, vscode.l10n));
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    markdown.supportThemeIcons = false;
    return new vscode.Hover(markdown, new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER));
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    const shown = this.byFile.get(e.document.uri.toString());
    if (!shown || e.contentChanges.length === 0) return;
    for (const change of e.contentChanges) {
      const { start, end } = change.range;
      const delta = (change.text.match(/\n/g)?.length ?? 0) - (end.line - start.line);
      for (const [index, s] of shown) {
        if (end.line < s.start) {
          s.start += delta;
          s.end += delta;
          s.line += delta;
        } else if (start.line <= s.end) {
          shown.delete(index);
        }
      }
    }
    this.render(e.document.uri);
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
  }

  private render(uri: vscode.Uri): void {
    const key = uri.toString();
    for (const editor of vscode.window.visibleTextEditors)
      if (editor.document.uri.toString() === key) this.paint(editor);
    this.changed.fire(uri);
  }

  private paint(editor: vscode.TextEditor): void {
    const shown = this.byFile.get(editor.document.uri.toString());
    const options: vscode.DecorationOptions[] = [];
    for (const s of shown?.values() ?? []) {
      if (s.line >= editor.document.lineCount) continue;
      const end = editor.document.lineAt(s.line).range.end;
      options.push({
        range: new vscode.Range(end, end),
        renderOptions: {
          after: {
            contentText: inlineResultText(s.result, vscode.l10n),
            color: new vscode.ThemeColor(COLORS[s.result.status]),
          },
        },
      });
    }
    editor.setDecorations(this.decoration, options);
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
