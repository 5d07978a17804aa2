/**
 * `.mqtt` files from what the user has: MQTT: Open .mqtt Sample (the walkthrough's "Test your
 * devices" step) copies the demo devices' checks into the workspace, or opens them untitled
 * without a folder; MQTT: Save as .mqtt Block (the Message Log's detail) turns a logged message
 * into a PUBLISH block, appended to the `.mqtt` editor in view or to a new untitled one.
 */
import * as vscode from 'vscode';
import { logEntryBlock } from '../../core/mqttFile/logEntryBlock';
import type { MessageStore } from '../../core/store/messageStore';
import { Commands } from '../constants';
import type { CommandRegistry } from './registry';

export const MQTT_LANGUAGE_ID = 'mqtt';
const SAMPLE_FILE = 'demo-devices.mqtt';

export function defineMqttSampleCommands(
  registry: CommandRegistry,
  store: MessageStore,
  extensionUri: vscode.Uri,
): void {
  registry.define(Commands.openMqttSample, async () => {
    const sample = vscode.Uri.joinPath(extensionUri, 'playground', SAMPLE_FILE);
    const folder = vscode.workspace.workspaceFolders?.[0];
    let document: vscode.TextDocument;
    if (folder) {
      // An existing file of that name is the user's: opened, never overwritten.
      const target = vscode.Uri.joinPath(folder.uri, SAMPLE_FILE);
      if (!(await exists(target))) await vscode.workspace.fs.copy(sample, target);
      document = await vscode.workspace.openTextDocument(target);
    } else {
      const bytes = await vscode.workspace.fs.readFile(sample);
      document = await vscode.workspace.openTextDocument({
        language: MQTT_LANGUAGE_ID,
        content: new TextDecoder().decode(bytes),
      });
    }
    await vscode.window.showTextDocument(document, { preview: false });
    return { uri: document.uri.toString() };
  });

  registry.define(Commands.saveAsMqttBlock, async ({ seq }) => {
    const entry = store.get(seq);
    if (!entry)
      throw new Error(vscode.l10n.t('Message {0} is no longer stored (evicted or cleared).', seq));
    const block = logEntryBlock(entry);
    const editor = mqttEditorInView();
    if (!editor) {
      const document = await vscode.workspace.openTextDocument({
        language: MQTT_LANGUAGE_ID,
        content: block,
      });
      await vscode.window.showTextDocument(document, { preview: false });
      return { uri: document.uri.toString(), block };
    }
    const { document } = editor;
    const end = document.lineAt(document.lineCount - 1).range.end;
    const text = document.getText();
    // A blank line between what is there and the new block.
    const gap =
      text.length === 0 ? '' : text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    const applied = await editor.edit((edit) => edit.insert(end, gap + block));
    if (!applied) throw new Error(vscode.l10n.t('The .mqtt editor could not be changed.'));
    const shown = await vscode.window.showTextDocument(document, editor.viewColumn);
    const last = document.lineAt(document.lineCount - 1).range.end;
    const first = document.positionAt(document.offsetAt(end) + gap.length);
    shown.selection = new vscode.Selection(first, first);
    shown.revealRange(
      new vscode.Range(first, last),
      vscode.TextEditorRevealType.InCenterIfOutsideViewport,
    );
    return { uri: document.uri.toString(), block };
  });
}

/** The active editor if it shows a `.mqtt` file, else the first visible one that does. */
function mqttEditorInView(): vscode.TextEditor | undefined {
  const isMqtt = (e: vscode.TextEditor | undefined) =>
    e !== undefined &&
    (e.document.languageId === MQTT_LANGUAGE_ID || e.document.fileName.endsWith('.mqtt'));
  const active = vscode.window.activeTextEditor;
  return isMqtt(active) ? active : vscode.window.visibleTextEditors.find(isMqtt);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
