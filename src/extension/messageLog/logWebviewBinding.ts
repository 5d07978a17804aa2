/**
 * Binds a Message Log webview (the editor panel or the docked view) to the Message Log's
 * vscode-free binding (src/host/messageLog/messageLogBinding.ts): the webview is its channel,
 * and VS Code translates, notifies and runs the actions.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { MessageStore } from '../../core/store/messageStore';
import { MessageLogBinding, type LogActions } from '../../host/messageLog/messageLogBinding';
import type { LogFilter } from '../../protocol/messageLog';
import { showError } from '../notify';

export type { LogActions };

export class LogWebviewBinding extends MessageLogBinding implements vscode.Disposable {
  constructor(
    webview: vscode.Webview,
    store: MessageStore,
    actions: LogActions,
    initialFilter: LogFilter = {},
    logger?: Logger,
  ) {
    super(
      webview,
      store,
      { actions, l10n: vscode.l10n, showError: (message) => showError(message), logger },
      { filter: initialFilter },
    );
  }
}
