// Searches everything a test run leaves behind for a secret: the code-server state folder of the
// run (the extension host's logs, the MQTT Scope output channel's log file, user and workspace
// state databases with webview state, user settings, temp files), the workspace folder (its
// settings), the harness's host log, plus texts the test hands in (open documents, exports).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from './helpers';

export interface GrepResult {
  /** Where the secret was found: file paths or the names of the texts. */
  hits: string[];
  filesSearched: number;
}

const MAX_FILE_BYTES = 64 * 1024 * 1024;

export async function grepForSecret(
  secret: string,
  options: { texts: Record<string, string>; outputLogMustContain: string },
): Promise<GrepResult> {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!ws) throw new Error('no workspace folder');
  // The harness names the state folder after the workspace folder: integration-ws[-pid].
  const stateDir = path.join(path.dirname(ws), path.basename(ws).replace('-ws', ''));
  if (!fs.existsSync(stateDir)) throw new Error(`no state folder ${stateDir}`);
  const extensionDir = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  const files = [
    ...walk(stateDir),
    ...walk(ws),
    path.join(extensionDir, 'test-artifacts', 'integration-host.log'),
  ].filter((f) => fs.existsSync(f));
  // The output channel's log file must be among them, and hold what the flows just wrote.
  const outputLogs = files.filter((f) => path.basename(f).includes('MQTT Scope'));
  await waitFor(
    `"${options.outputLogMustContain}" in the MQTT Scope output log (${outputLogs.join(', ')})`,
    () => outputLogs.some((f) => read(f).includes(options.outputLogMustContain)),
  );
  const needle = Buffer.from(secret, 'utf8');
  const wide = Buffer.from(secret, 'utf16le');
  const hits: string[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    if (bytes.includes(needle) || bytes.includes(wide)) hits.push(file);
  }
  for (const [name, text] of Object.entries(options.texts)) {
    if (text.includes(secret)) hits.push(name);
  }
  return { hits, filesSearched: files.length };
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Regular files under `dir`, not following links, skipping installed code. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'extensions') continue;
      out.push(...walk(full));
    } else if (entry.isFile()) {
      const size = fs.statSync(full).size;
      if (size <= MAX_FILE_BYTES) out.push(full);
    }
  }
  return out;
}
