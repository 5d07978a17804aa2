/**
 * "Open in Editor": a stored message as a read-only document (`mqtt-message:` scheme), as the
 * decoder registry reads it (a `mqttScope.decoders` rule, the content type, the bytes): JSON,
 * CBOR, MessagePack and Protobuf as JSON-like text in the json language, text as plain text (XML
 * as xml), other bytes as a hex dump; a payload that does not decode shows the decoder's error
 * above its hex dump (or above its text, when it is text).
 */
import * as vscode from 'vscode';
import type { MessageStore } from '../../core/store/messageStore';
import type { MessageEntry } from '../../core/store/messageStoreTypes';
import { decodeUtf8 } from '../../shared/utf8';
import { hexDumpText } from '../../shared/hex';
import { decodePayload } from '../../core/decoders/registry';
import { entryDecoding, type DecodeHints } from '../../core/log/logRows';

export const MESSAGE_SCHEME = 'mqtt-message';
/** A binary payload's hex dump covers its first MiB. */
const HEX_DUMP_MAX_BYTES = 1024 * 1024;

export class MessageDocuments implements vscode.TextDocumentContentProvider {
  constructor(
    private readonly store: MessageStore,
    /** The topic's decoder rule and Sparkplug B names, as the Message Log decodes with. */
    private readonly hints: DecodeHints = {},
  ) {}

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
    return this.render(entry).text;
  }

  /** Opens the document with the language that fits its content. */
  async open(seq: number): Promise<void> {
    const entry = this.store.get(seq);
    if (!entry)
      throw new Error(vscode.l10n.t('Message {0} is no longer stored (evicted or cleared).', seq));
    const doc = await vscode.workspace.openTextDocument(this.uriFor(seq, entry.topic));
    await vscode.languages.setTextDocumentLanguage(doc, this.render(entry).language);
    await vscode.window.showTextDocument(doc, { preview: true });
  }

  private render(entry: MessageEntry): { text: string; language: string } {
    const { context, rule } = entryDecoding(entry, this.hints);
    const decoded = decodePayload(entry.payload, context, rule);
    if (decoded.error !== undefined) {
      // Text that only looked like JSON stays readable as text.
      const text = decodeUtf8(entry.payload);
      return {
        text: `${decoded.error}\n\n${text ?? hexDump(entry.payload)}`,
        language: 'plaintext',
      };
    }
    if (decoded.text === undefined || decoded.decoder === 'hex')
      return { text: hexDump(entry.payload), language: 'plaintext' };
    if (decoded.value !== undefined && decoded.value.t !== 'str' && decoded.value.t !== 'bytes')
      return { text: decoded.text, language: 'json' };
    if (decoded.decoder === 'text' && decoded.text.trimStart().startsWith('<'))
      return { text: decoded.text, language: 'xml' };
    return { text: decoded.text, language: 'plaintext' };
  }
}

function hexDump(payload: Uint8Array): string {
  const dump = hexDumpText(payload, HEX_DUMP_MAX_BYTES);
  const more = payload.byteLength - HEX_DUMP_MAX_BYTES;
  return more > 0 ? `${dump}\n${vscode.l10n.t('… {0} more bytes', more)}` : dump;
}
