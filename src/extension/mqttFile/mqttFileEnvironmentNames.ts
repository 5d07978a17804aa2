/**
 * The environments a `.mqtt` file can use (`mqtt-scope.env.json` in its folder or a parent, up to
 * its workspace folder) and the variables of the selected one: what diagnostics accept as known
 * names and what completion offers after `{{`. Env files are read once and again when one
 * changes; the selection comes from the environment picker through `selected`.
 */
import * as vscode from 'vscode';
import {
  ENV_FILE_NAME,
  findEnvironmentFile,
  parseEnvironments,
  type MqttEnvironment,
} from '../../core/mqttFile/environments';

export interface FileEnvironments {
  /** The env file's path; undefined when the file has none. */
  path?: string;
  environments: Record<string, MqttEnvironment>;
}

const NO_ENVIRONMENTS: FileEnvironments = { environments: {} };

export class MqttFileEnvironmentNames implements vscode.Disposable {
  /** The selected environment's name for a file; the environment picker sets it. */
  selected: (uri: vscode.Uri) => string | undefined = () => undefined;
  private readonly files = new Map<string, Promise<FileEnvironments>>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** An env file was created, changed or deleted, or the selection changed. */
  readonly onDidChange = this.emitter.event;
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${ENV_FILE_NAME}`);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    const changed = () => {
      this.files.clear();
      this.emitter.fire();
    };
    this.subscriptions = [
      this.watcher,
      this.emitter,
      this.watcher.onDidCreate(changed),
      this.watcher.onDidChange(changed),
      this.watcher.onDidDelete(changed),
    ];
  }

  /** Tells diagnostics and completion that the selection changed. */
  selectionChanged(): void {
    this.emitter.fire();
  }

  /** The environments of the env file that applies to `uri` (none for an unsaved file). */
  environmentsFor(uri: vscode.Uri): Promise<FileEnvironments> {
    if (uri.scheme !== 'file') return Promise.resolve(NO_ENVIRONMENTS);
    const dir = vscode.Uri.joinPath(uri, '..').fsPath;
    let found = this.files.get(dir);
    if (!found) {
      const stop = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
      found = readEnvironments(dir, stop);
      this.files.set(dir, found);
    }
    return found;
  }

  /** The selected environment's variables by name; undefined when none is selected. */
  async selectedVariables(uri: vscode.Uri): Promise<Record<string, string> | undefined> {
    const name = this.selected(uri);
    if (name === undefined) return undefined;
    const { environments } = await this.environmentsFor(uri);
    return Object.hasOwn(environments, name) ? environments[name].variables : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

async function readEnvironments(dir: string, stop: string | undefined): Promise<FileEnvironments> {
  try {
    const path = await findEnvironmentFile(dir, stop);
    if (!path) return NO_ENVIRONMENTS;
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(path));
    return { path, environments: parseEnvironments(new TextDecoder().decode(bytes)).environments };
  } catch {
    // An unreadable env file gives no variables; the environment picker reports its problems.
    return NO_ENVIRONMENTS;
  }
}
