/**
 * `.mqtt` files in VS Code's Testing view: a folder / file / test tree whose tests are each file's
 * EXPECT and REQUEST blocks. Files are found lazily (when the view asks) and from open documents,
 * kept current on edit (debounced), create and delete. The default Run profile runs whole files,
 * or a file's chosen tests together in one run, through the editor's runner.
 */
import * as vscode from 'vscode';
import { isTestBlock } from '../../core/mqttFile/mqttFileAst';
import { parseMqttFile } from '../../core/mqttFile/parser';
import { isMqttDocument } from './mqttDocuments';
import { toRange } from './mqttFileRanges';
import {
  runFileTests,
  type FileRunTarget,
  type MqttFileRunner,
  type RecordedState,
} from './mqttFileTestRun';
import { MAX_DIAGNOSED_CHARS } from './mqttFileDiagnostics';

export const TEST_CONTROLLER_ID = 'mqttScope.mqttFiles';
const EDIT_DELAY_MS = 300;

type Targets = Map<vscode.TestItem, Set<vscode.TestItem> | 'all'>;

export class MqttFileTests implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController(
    TEST_CONTROLLER_ID,
    vscode.l10n.t('MQTT files'),
  );
  /** Each test item's last state, by id: what the latest run reported (tests, automation). */
  readonly lastRun = new Map<string, RecordedState>();
  private readonly endEmitter = new vscode.EventEmitter<void>();
  /** A run ended (its states are in `lastRun`). */
  readonly onDidEndRun = this.endEmitter.event;
  /** The default Run profile. */
  readonly runProfile: vscode.TestRunProfile;
  private readonly blockIndex = new WeakMap<vscode.TestItem, number>();
  private readonly fileItems = new WeakSet<vscode.TestItem>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private discovery: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly runner: MqttFileRunner) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.mqtt');
    this.controller.resolveHandler = (item) => (item ? this.resolveFile(item) : this.discover());
    this.controller.refreshHandler = async () => {
      this.discovery = undefined;
      this.controller.items.replace([]);
      await this.discover();
    };
    this.runProfile = this.controller.createRunProfile(
      vscode.l10n.t('Run'),
      vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token),
      true,
    );
    this.subscriptions = [
      this.controller,
      this.endEmitter,
      watcher,
      watcher.onDidCreate((uri) => this.discovery && this.fileItem(uri)),
      watcher.onDidChange((uri) => this.fileChanged(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidOpenTextDocument((d) => this.documentChanged(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.documentChanged(e.document)),
    ];
    for (const document of vscode.workspace.textDocuments) this.documentChanged(document, 0);
  }

  /** Finds every `.mqtt` file of the workspace (once; the watcher keeps the tree current). */
  discover(): Promise<void> {
    this.discovery ??= (async () => {
      const uris = await vscode.workspace.findFiles('**/*.mqtt', '**/node_modules/**');
      for (const uri of uris) this.fileItem(uri);
    })();
    return this.discovery;
  }

  /** The test item of a file, created with its folders when missing. */
  private fileItem(uri: vscode.Uri): vscode.TestItem {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    let parent = this.controller.items;
    if (folder) {
      const levels: { uri: vscode.Uri; label: string }[] = [];
      if ((vscode.workspace.workspaceFolders?.length ?? 0) > 1)
        levels.push({ uri: folder.uri, label: folder.name });
      const relative = vscode.workspace.asRelativePath(uri, false).split('/').slice(0, -1);
      let dir = folder.uri;
      for (const name of relative) {
        dir = vscode.Uri.joinPath(dir, name);
        levels.push({ uri: dir, label: name });
      }
      for (const level of levels) {
        const id = level.uri.toString();
        let item = parent.get(id);
        if (!item) {
          item = this.controller.createTestItem(id, level.label, level.uri);
          parent.add(item);
        }
        parent = item.children;
      }
    }
    const id = uri.toString();
    let item = parent.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, uri.path.split('/').pop() ?? id, uri);
      item.canResolveChildren = true;
      this.fileItems.add(item);
      parent.add(item);
    }
    return item;
  }

  private async resolveFile(item: vscode.TestItem): Promise<void> {
    if (!this.fileItems.has(item) || !item.uri) return;
    const open = vscode.workspace.textDocuments.find(
      (d) => d.uri.toString() === item.uri?.toString(),
    );
    if (open) return this.setBlocks(item, open.getText());
    try {
      const bytes = await vscode.workspace.fs.readFile(item.uri);
      this.setBlocks(item, new TextDecoder().decode(bytes));
    } catch (error) {
      item.error = error instanceof Error ? error.message : String(error);
    }
  }

  /** The file's tests from its text; ids stay the same while titles (or positions) do. */
  private setBlocks(file: vscode.TestItem, text: string): void {
    const uri = file.uri as vscode.Uri;
    file.canResolveChildren = false;
    if (text.length > MAX_DIAGNOSED_CHARS) {
      file.error = vscode.l10n.t('This file is too large to list its tests.');
      file.children.replace([]);
      return;
    }
    file.error = undefined;
    const lines = text.split(/\r?\n/);
    const tests = parseMqttFile(text).blocks.filter(isTestBlock);
    const titles = new Map<string, number>();
    for (const b of tests) titles.set(b.title, (titles.get(b.title) ?? 0) + 1);
    const items = tests.map((block) => {
      const byTitle = block.title !== '' && titles.get(block.title) === 1;
      const id = `${uri.toString()}#${byTitle ? `title:${block.title}` : `block:${block.index}`}`;
      const label = block.title || (lines[block.requestRange.line] ?? '').trim();
      const item = file.children.get(id) ?? this.controller.createTestItem(id, label, uri);
      item.label = label;
      item.range = toRange(block.requestRange);
      this.blockIndex.set(item, block.index);
      return item;
    });
    file.children.replace(items);
  }

  private documentChanged(document: vscode.TextDocument, delay = EDIT_DELAY_MS): void {
    if (!isMqttDocument(document) || document.uri.scheme !== 'file') return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        if (!document.isClosed) this.setBlocks(this.fileItem(document.uri), document.getText());
      }, delay),
    );
  }

  private fileChanged(uri: vscode.Uri): void {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    const item = this.find(uri);
    if (item && !item.canResolveChildren) void this.resolveFile(item);
  }

  private find(uri: vscode.Uri): vscode.TestItem | undefined {
    let found: vscode.TestItem | undefined;
    const id = uri.toString();
    const visit = (items: vscode.TestItemCollection) =>
      items.forEach((item) => {
        if (found) return;
        if (item.id === id) found = item;
        else if (!this.fileItems.has(item)) visit(item.children);
      });
    visit(this.controller.items);
    return found;
  }

  /** Removes a deleted file's (or folder's) item, then folders left empty. */
  private remove(uri: vscode.Uri): void {
    let item = this.find(uri);
    while (item) {
      const parent: vscode.TestItem | undefined = item.parent;
      (parent ? parent.children : this.controller.items).delete(item.id);
      item = parent && parent.children.size === 0 ? parent : undefined;
    }
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken) {
    const run = this.controller.createTestRun(request);
    try {
      const targets = await this.targets(request);
      for (const [file, chosen] of targets) {
        if (token.isCancellationRequested) break;
        const target = await this.fileTarget(file, chosen, request);
        if (target)
          await runFileTests(this.runner, run, target, token, (item, state) =>
            this.lastRun.set(item.id, state),
          );
      }
    } finally {
      run.end();
      this.endEmitter.fire();
    }
  }

  /** The files to run, each whole or with its chosen tests. */
  private async targets(request: vscode.TestRunRequest): Promise<Targets> {
    const targets: Targets = new Map();
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else {
      await this.discover();
      this.controller.items.forEach((item) => roots.push(item));
    }
    const visit = (item: vscode.TestItem) => {
      if (this.fileItems.has(item)) targets.set(item, 'all');
      else if (this.blockIndex.has(item) && item.parent) {
        const chosen = targets.get(item.parent);
        if (chosen === 'all') return;
        targets.set(item.parent, (chosen ?? new Set()).add(item));
      } else item.children.forEach(visit);
    };
    roots.forEach(visit);
    return targets;
  }

  /** Opens the file, lists its tests afresh and picks those to run. */
  private async fileTarget(
    file: vscode.TestItem,
    chosen: Set<vscode.TestItem> | 'all',
    request: vscode.TestRunRequest,
  ): Promise<FileRunTarget | undefined> {
    if (!file.uri) return undefined;
    const document = await vscode.workspace.openTextDocument(file.uri);
    this.setBlocks(file, document.getText());
    const excluded = new Set(request.exclude?.map((item) => item.id));
    const tests = new Map<number, vscode.TestItem>();
    file.children.forEach((item) => {
      const index = this.blockIndex.get(item);
      if (index === undefined || excluded.has(item.id)) return;
      if (chosen === 'all' || [...chosen].some((c) => c.id === item.id)) tests.set(index, item);
    });
    if (tests.size === 0) return undefined;
    const whole = chosen === 'all' && !request.exclude?.length;
    return { document, tests, whole };
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
