/**
 * The values a `.mqtt` run takes from VS Code: `{{$secret NAME}}` from SecretStorage (asked for
 * with a password box when missing, and saved only if the user says so), and `< path` bodies
 * read through `vscode.workspace.fs` beside the file, at most 16 MiB. Secrets a run used are
 * remembered for that run only, so its log lines can hide them.
 */
import * as vscode from 'vscode';
import { showInfo } from '../notify';

export const MAX_BODY_FILE_BYTES = 16 * 1024 * 1024;
const SECRET_KEY_PREFIX = 'mqttScope.mqttFile.secret.';

export function secretKey(name: string): string {
  return `${SECRET_KEY_PREFIX}${name}`;
}

/** One run's secrets: each asked for at most once, each value hidden from log lines. */
export class RunSecrets {
  private readonly values = new Map<string, Promise<string | undefined>>();
  private readonly known = new Set<string>();

  constructor(private readonly storage: vscode.SecretStorage) {}

  get(name: string): Promise<string | undefined> {
    let value = this.values.get(name);
    if (!value) {
      value = this.resolve(name);
      this.values.set(name, value);
    }
    return value;
  }

  /** Also hides `value` (e.g. an environment's password) from log lines. */
  remember(value: string | undefined): void {
    if (value) this.known.add(value);
  }

  /** `text` with every secret value of this run replaced by •••. */
  redact(text: string): string {
    let out = text;
    for (const value of this.known) if (value.length >= 3) out = out.split(value).join('•••');
    return out;
  }

  private async resolve(name: string): Promise<string | undefined> {
    const saved = await this.storage.get(secretKey(name));
    if (saved !== undefined) {
      this.remember(saved);
      return saved;
    }
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('MQTT: the secret "{0}"', name),
      prompt: vscode.l10n.t(
        'The .mqtt file uses the secret {0}. Type its value (kept in memory for this run).',
        name,
      ),
      password: true,
      ignoreFocusOut: true,
    });
    if (typed === undefined) return undefined;
    this.remember(typed);
    const save = vscode.l10n.t('Save');
    void showInfo(
      vscode.l10n.t('Save the secret "{0}" in VS Code\'s secret storage for later runs?', name),
      save,
    ).then((choice) => {
      if (choice === save) void this.storage.store(secretKey(name), typed);
    });
    return typed;
  }
}

/** The bytes of `relative`, resolved against the folder of the `.mqtt` file `document`. */
export async function readBesideFile(document: vscode.Uri, relative: string): Promise<Uint8Array> {
  if (document.scheme === 'untitled')
    throw new Error(
      vscode.l10n.t('Save the file first: "< {0}" is read relative to the .mqtt file.', relative),
    );
  const target = vscode.Uri.joinPath(document, '..', relative);
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(target);
  } catch {
    throw new Error(vscode.l10n.t('The file "{0}" was not found ({1}).', relative, target.fsPath));
  }
  if (stat.type & vscode.FileType.Directory)
    throw new Error(vscode.l10n.t('"{0}" is a folder, not a file.', relative));
  if (stat.size > MAX_BODY_FILE_BYTES)
    throw new Error(
      vscode.l10n.t(
        'The file "{0}" has {1} bytes; a body file may have at most {2}.',
        relative,
        stat.size,
        MAX_BODY_FILE_BYTES,
      ),
    );
  return vscode.workspace.fs.readFile(target);
}
