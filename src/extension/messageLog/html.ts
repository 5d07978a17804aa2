/**
 * The Message Log webview's page (view "messageLog", see scripts/build.mjs) and options.
 */
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviewHtml';

export { webviewOptions };

export function messageLogHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  mode: 'panel' | 'view',
): string {
  return webviewHtml(webview, extensionUri, {
    name: 'messageLog',
    title: vscode.l10n.t('Message Log'),
    data: { mode },
  });
}
