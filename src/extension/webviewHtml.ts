/**
 * Any view's webview page and options: the shell of src/host/webviewShell.ts with this
 * webview's CSP source, a fresh nonce, the display language and the translations.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewShell } from '../host/webviewShell';

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: { name: string; title: string; data?: Record<string, string> },
): string {
  return webviewShell({
    view: view.name,
    title: view.title,
    data: view.data,
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    lang: vscode.env.language,
    l10n: vscode.l10n.bundle,
    asset: (name) =>
      webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString(),
  });
}

/** Scripts on; files only from dist/webview, where the build puts every view. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}
