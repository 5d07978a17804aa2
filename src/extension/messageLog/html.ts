/**
 * The Message Log webview's page (view "messageLog", see scripts/build.mjs).
 */
import * as vscode from 'vscode';
import { webviewHtml } from '../webviewHtml';

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
