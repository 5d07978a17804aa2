/**
 * The environment `.mqtt` runs use: read from the `mqtt-scope.env.json` found in the file's
 * folder or a parent (up to its workspace folder), chosen with "MQTT: Select Environment" (the
 * status-bar item shown while a `.mqtt` editor is active) and kept in workspace state. Problems
 * in the file are shown once per content, naming the file and the JSON path.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  ENV_FILE_NAME,
  findEnvironmentFile,
  parseEnvironments,
  type MqttEnvironment,
} from '../../core/mqttFile/environments';
import { Commands, StateKeys } from '../constants';
import { isMqttDocument } from './mqttDocuments';
import { showWarning } from '../notify';

const MAX_ENV_FILE_BYTES = 1024 * 1024;

export interface ChosenEnvironment {
  name: string;
  environment: MqttEnvironment;
  /** The file it came from. */
  file: string;
}

export interface EnvironmentFile {
  file: string | undefined;
  environments: Record<string, MqttEnvironment>;
}

export class MqttEnvironments implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'mqttScope.mqttFileEnvironment',
    vscode.StatusBarAlignment.Left,
    49,
  );
  private readonly disposables: vscode.Disposable[] = [this.item];
  /** The problems already shown, by file and content: each is told once. */
  private readonly told = new Set<string>();

  constructor(private readonly state: vscode.Memento) {
    this.item.name = vscode.l10n.t('MQTT Environment');
    this.item.command = Commands.selectEnvironment;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        this.render();
        // Problems in the environments file are told as soon as a .mqtt file is opened.
        if (editor && isMqttDocument(editor.document))
          this.load(editor.document.uri).catch(() => undefined);
      }),
    );
    this.render();
  }

  /** The chosen environment's name; '' when none (the active connection). */
  get selected(): string {
    return this.state.get<string>(StateKeys.mqttFileEnvironment, '');
  }

  async select(name: string): Promise<void> {
    await this.state.update(StateKeys.mqttFileEnvironment, name);
    this.render();
  }

  /** The environments of the file next to `uri` (none for a file not on disk). */
  async load(uri: vscode.Uri): Promise<EnvironmentFile> {
    if (uri.scheme !== 'file') return { file: undefined, environments: {} };
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
    const file = await findEnvironmentFile(path.dirname(uri.fsPath), folder);
    if (!file) return { file, environments: {} };
    const envUri = vscode.Uri.file(file);
    if ((await vscode.workspace.fs.stat(envUri)).size > MAX_ENV_FILE_BYTES)
      throw new Error(vscode.l10n.t('{0} is larger than 1 MiB; it was not read.', file));
    const bytes = await vscode.workspace.fs.readFile(envUri);
    const text = new TextDecoder().decode(bytes);
    const { environments, problems } = parseEnvironments(text);
    const key = `${file}\n${text}`;
    if (problems.length && !this.told.has(key)) {
      this.told.add(key);
      const first = problems[0];
      void showWarning(
        vscode.l10n.t(
          'MQTT: {0} has {1} problem(s); the first, at "{2}": {3}',
          file,
          problems.length,
          first.path || '(top)',
          first.message,
        ),
      );
    }
    return { file, environments };
  }

  /** The environment a run of `uri` uses; undefined for none. Throws when it is not there. */
  async forDocument(uri: vscode.Uri): Promise<ChosenEnvironment | undefined> {
    const name = this.selected;
    if (!name) return undefined;
    const { file, environments } = await this.load(uri);
    const environment = environments[name];
    if (!file || !environment)
      throw new Error(
        file
          ? vscode.l10n.t('The environment "{0}" is not in {1}.', name, file)
          : vscode.l10n.t(
              'The environment "{0}" is chosen, but no {1} was found next to the file or in a folder above it.',
              name,
              ENV_FILE_NAME,
            ),
      );
    return { name, environment, file };
  }

  /** Asks for an environment of the active `.mqtt` file; resolves with the choice. */
  async pick(): Promise<string | undefined> {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const { file, environments } = uri
      ? await this.load(uri)
      : { file: undefined, environments: {} };
    const none = {
      label: vscode.l10n.t('No environment (active connection)'),
      name: '',
      description: this.selected === '' ? vscode.l10n.t('current') : undefined,
    };
    const items = Object.entries(environments).map(([name, env]) => ({
      label: name,
      name,
      description: [
        this.selected === name ? vscode.l10n.t('current') : undefined,
        env.connection ?? env.broker,
      ]
        .filter(Boolean)
        .join(' · '),
    }));
    const picked = await vscode.window.showQuickPick([none, ...items], {
      title: vscode.l10n.t('MQTT: Select Environment'),
      placeHolder: file
        ? vscode.l10n.t('Environments of {0}', file)
        : vscode.l10n.t('No {0} found next to the file or above it', ENV_FILE_NAME),
    });
    return picked?.name;
  }

  private render(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isMqttDocument(editor.document)) {
      this.item.hide();
      return;
    }
    const name = this.selected;
    this.item.text = name
      ? `$(beaker) ${vscode.l10n.t('MQTT env: {0}', name)}`
      : `$(beaker) ${vscode.l10n.t('MQTT env: none')}`;
    this.item.tooltip = name
      ? vscode.l10n.t('.mqtt runs use the environment "{0}". Click to change.', name)
      : vscode.l10n.t('.mqtt runs use the active connection. Click to choose an environment.');
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
