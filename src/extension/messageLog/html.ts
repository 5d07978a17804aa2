/**
 * The Message Log's HTML shell: a strict CSP with a per-load nonce, nothing inline, nothing
 * remote. The webview script builds the whole UI with DOM APIs and textContent.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function messageLogHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  mode: 'panel' | 'view',
): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}"><link rel="stylesheet" href="${asset('messageLog.css')}">
<title>Message Log</title></head>
<body><div id="app" data-mode="${mode}"></div><script nonce="${nonce}" src="${asset('messageLog.js')}"></script></body></html>`;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}
