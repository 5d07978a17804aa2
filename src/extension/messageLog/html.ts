/**
 * The Message Log webview's HTML and options, from the shell in htmlShell.ts.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { messageLogShell } from './htmlShell';

export function messageLogHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  mode: 'panel' | 'view',
): string {
  return messageLogShell({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    mode,
    lang: vscode.env.language,
    l10n: vscode.l10n.bundle,
    asset: (name) =>
      webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString(),
  });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}
