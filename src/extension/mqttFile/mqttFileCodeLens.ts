/**
 * CodeLens above the blocks of a `.mqtt` file: **Run File** above the first block (while the
 * file runs: "Running…" and **Stop**), **Publish** above a PUBLISH block (that block only),
 * **Run** above an EXPECT or REQUEST block (the file's steps with only that test armed), and
 * **Show in Log** above a finished block whose messages the Message Log holds.
 */
import * as vscode from 'vscode';
import { parseMqttFile } from '../../core/mqttFile/parser';
import type { MqttFile } from '../../core/mqttFile/mqttFileAst';
import { Commands } from '../constants';
import type { MqttBlockArgs } from './mqttFileArgs';

export interface CodeLensSources {
  isRunning(uri: vscode.Uri): boolean;
  /** The Message Log entries of a block's last result, if any. */
  seqsOf(uri: vscode.Uri, block: number): readonly number[] | undefined;
  /** Fires when the lenses of a document may have changed (a run started or ended). */
  onDidChange: vscode.Event<unknown>;
}

export class MqttFileCodeLens implements vscode.CodeLensProvider {
  private readonly parsed = new WeakMap<vscode.TextDocument, { version: number; file: MqttFile }>();
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly sources: CodeLensSources) {
    this.onDidChangeCodeLenses = (listener, thisArg, disposables) =>
      sources.onDidChange(() => listener.call(thisArg, undefined), undefined, disposables);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.parse(document);
    if (file.blocks.length === 0) return [];
    const uri = document.uri.toString();
    const lenses: vscode.CodeLens[] = [];
    const at = (line: number) => new vscode.Range(line, 0, line, 0);
    const lens = (line: number, title: string, command: string, args?: MqttBlockArgs) =>
      lenses.push(
        new vscode.CodeLens(at(line), {
          title,
          command: command,
          arguments: args ? [args] : [],
        }),
      );
    const top = file.blocks[0].range.line;
    if (this.sources.isRunning(document.uri)) {
      lens(top, `$(sync~spin) ${vscode.l10n.t('Running…')}`, '');
      lens(top, `$(debug-stop) ${vscode.l10n.t('Stop')}`, Commands.stopMqttRun, { uri });
    } else {
      lens(top, `$(run-all) ${vscode.l10n.t('Run File')}`, Commands.runMqttFile, { uri });
    }
    for (const block of file.blocks) {
      const line = block.requestRange.line;
      const args = { uri, block: block.index };
      if (block.kind === 'publish')
        lens(line, `$(send) ${vscode.l10n.t('Publish')}`, Commands.publishMqttBlock, args);
      else if (block.kind === 'expect' || block.kind === 'request')
        lens(line, `$(play) ${vscode.l10n.t('Run')}`, Commands.runMqttBlock, args);
      if (this.sources.seqsOf(document.uri, block.index)?.length)
        lens(
          line,
          `$(list-flat) ${vscode.l10n.t('Show in Log')}`,
          Commands.showMqttBlockInLog,
          args,
        );
    }
    return lenses;
  }

  /** The parsed document, parsed again only when it changed. */
  parse(document: vscode.TextDocument): MqttFile {
    const cached = this.parsed.get(document);
    if (cached && cached.version === document.version) return cached.file;
    const file = parseMqttFile(document.getText());
    this.parsed.set(document, { version: document.version, file });
    return file;
  }
}
