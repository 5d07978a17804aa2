/**
 * "Open in Editor": a stored message as a read-only document (`mqtt-message:` scheme). JSON is
 * pretty-printed with the json language, other text is plain text, binary is a hex dump.
 */
import * as vscode from 'vscode';
import type { MessageStore } from '../../core/store/messageStore';
import { decodeUtf8 } from '../../shared/utf8';
import { hexDumpText } from '../../shared/hex';

export const MESSAGE_SCHEME = 'mqtt-message';
/** A binary payload's hex dump covers its first MiB. */
const HEX_DUMP_MAX_BYTES = 1024 * 1024;

export class MessageDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: MessageStore) {}

  uriFor(seq: number, topic: string): vscode.Uri {
    const name = topic.replace(/[^\w.-]+/g, '_').slice(-80) || 'message';
    return vscode.Uri.from({
      scheme: MESSAGE_SCHEME,
      path: `/${seq}/${name}`,
      query: `seq=${seq}`,
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const seq = Number(new URLSearchParams(uri.query).get('seq'));
    const entry = this.store.get(seq);
    if (!entry) return vscode.l10n.t('Message {0} is no longer stored (evicted or cleared).', seq);
    return render(entry.payload).text;
  }

  /** Opens the document with the language that fits its content. */
  async open(seq: number): Promise<void> {
    const entry = this.store.get(seq);
    if (!entry)
      throw new Error(vscode.l10n.t('Message {0} is no longer stored (evicted or cleared).', seq));
    const doc = await vscode.workspace.openTextDocument(this.uriFor(seq, entry.topic));
    await vscode.languages.setTextDocumentLanguage(doc, render(entry.payload).language);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

function render(payload: Uint8Array): { text: string; language: string } {
  const text = decodeUtf8(payload);
  if (text === undefined) return { text: hexDump(payload), language: 'plaintext' };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), language: 'json' };
    } catch {
      // Not JSON after all: shown as it is.
    }
  }
  if (trimmed.startsWith('<')) return { text, language: 'xml' };
  return { text, language: 'plaintext' };
}

function hexDump(payload: Uint8Array): string {
  const dump = hexDumpText(payload, HEX_DUMP_MAX_BYTES);
  const more = payload.byteLength - HEX_DUMP_MAX_BYTES;
  return more > 0 ? `${dump}\n${vscode.l10n.t('… {0} more bytes', more)}` : dump;
}
