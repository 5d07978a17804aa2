/**
 * Reads `mqttScope.decoders` (rules that pick a payload decoder by topic), checks it with the
 * core, and loads each rule's `.proto` file through VS Code's file system: once per change of the
 * setting or the workspace folders, and again when a `.proto` file it read changes on disk.
 * Problems are logged and reported once per change, with the setting path; the other rules keep
 * working.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../shared/byteSize';
import { Emitter } from '../core/event';
import {
  DecoderRules,
  loadDecoderRules,
  type DecoderRuleProblem,
} from '../core/decoders/decoderRules';
import type { RuleChoice } from '../core/decoders/registry';
import { visibleLine } from '../shared/visibleText';
import { showError } from './notify';
import { Commands, Settings } from './constants';
import type { CommandRunner } from './commands/registry';

/** A `.proto` file larger than this is refused. */
const MAX_PROTO_BYTES = 1024 * 1024;
/** Edits saved in a burst reload the rules once. */
const RELOAD_DELAY_MS = 200;

export class DecoderSettings implements vscode.Disposable {
  private _rules = new DecoderRules();
  private _problems: DecoderRuleProblem[] = [];
  private generation = 0;
  private watchers: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: vscode.Disposable[];
  private readonly emitter = new Emitter<void>();
  /** Fires when the rules were (re)loaded. */
  readonly onDidChange = this.emitter.event;
  /** Settles when the rules of the latest change are loaded. */
  loaded: Promise<void>;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly commands: CommandRunner,
  ) {
    this.loaded = this.load();
    this.listeners = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(Settings.decoders)) this.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
    ];
  }

  get rules(): DecoderRules {
    return this._rules;
  }

  get problems(): readonly DecoderRuleProblem[] {
    return this._problems;
  }

  /** The first rule matching `topic`, if any. */
  forTopic(topic: string): RuleChoice | undefined {
    return this._rules.forTopic(topic);
  }

  dispose(): void {
    this.generation++;
    clearTimeout(this.reloadTimer);
    for (const d of [...this.listeners, ...this.watchers]) d.dispose();
    this.emitter.dispose();
  }

  private reload(): void {
    this.loaded = this.load();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    const raw = vscode.workspace.getConfiguration().get<unknown>(Settings.decoders);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const loaded = await loadDecoderRules(raw, {
      baseFolder: folder?.scheme === 'file' ? folder.fsPath : undefined,
      readText: readProtoFile,
    });
    // A newer change started loading meanwhile: its rules win.
    if (generation !== this.generation) return;
    const before = new Set(this._problems.map((p) => `${p.path}: ${p.message}`));
    this._rules = loaded.rules;
    this._problems = loaded.problems;
    this.watch(loaded.protoFiles);
    const fresh = loaded.problems.filter((p) => !before.has(`${p.path}: ${p.message}`));
    for (const p of fresh) this.log.error(visibleLine(`Invalid setting ${p.path}: ${p.message}`));
    if (loaded.rules.rules.length > 0)
      this.log.info(`${loaded.rules.rules.length} decoder rule(s) in force`);
    if (fresh.length > 0) void this.report(fresh);
    this.emitter.fire();
  }

  /** Reloads the rules when a `.proto` file they read (or one that was missing) changes. */
  private watch(files: string[]): void {
    for (const d of this.watchers) d.dispose();
    this.watchers = files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)),
      );
      const changed = () => {
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => this.reload(), RELOAD_DELAY_MS);
      };
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      return watcher;
    });
  }

  private async report(problems: DecoderRuleProblem[]): Promise<void> {
    const first = problems[0];
    const message =
      problems.length > 1
        ? vscode.l10n.t(
            'MQTT Scope: {0}: {1} (and {2} more) Other decoder rules keep working.',
            first.path,
            first.message,
            problems.length - 1,
          )
        : vscode.l10n.t(
            'MQTT Scope: {0}: {1} Other decoder rules keep working.',
            first.path,
            first.message,
          );
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const choice = await showError(message, openSettings, showLog);
    if (choice === openSettings) void this.commands.run(Commands.openSettings, {});
    if (choice === showLog) void this.commands.run(Commands.showLog, {});
  }
}

async function readProtoFile(file: string): Promise<string> {
  const uri = vscode.Uri.file(file);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_PROTO_BYTES)
    throw new Error(vscode.l10n.t('it is larger than {0}', formatBytes(MAX_PROTO_BYTES)));
  // A byte-order mark at the start of a .proto file is dropped, as editors do.
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}
