/**
 * The host side's view of one webview: what `vscode.Webview` offers for messages, and nothing
 * else, so a view binding runs in the extension host and in plain Node tests alike.
 */
import type { Disposable } from '../core/event';

export interface WebviewChannel {
  /** Posts a message to the webview; VS Code resolves false when the webview is gone. */
  postMessage(message: unknown): PromiseLike<boolean> | void;
  /** Everything the webview posts, unchecked. */
  onDidReceiveMessage(listener: (data: unknown) => void): Disposable;
}

/** Words the binding sends to the webview, translated by the host (`vscode.l10n` there). */
export interface Translator {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

/** English as written, `{0}`, `{1}`… replaced: for tests and hosts without translations. */
export const untranslated: Translator = {
  t: (message, ...args) =>
    message.replace(/\{(\d+)\}/g, (match, index: string) =>
      Number(index) < args.length ? String(args[Number(index)]) : match,
    ),
};
