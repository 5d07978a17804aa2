/**
 * Show Broker Capabilities: what a connection's broker allows, from its CONNACK, in a read-only
 * Markdown document. A virtual document (not an untitled one, not a webview): it cannot be
 * edited or asked to be saved, its text can be copied into a bug report or searched, it needs
 * no other extension, and it is read again from the session when the connection changes.
 */
import * as vscode from 'vscode';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { Commands } from '../constants';
import { showError, showInfo } from '../notify';
import { pickSession, resolveSession } from '../pickers';
import { capabilitiesDocument } from '../views/capabilityText';
import type { CommandRegistry } from './registry';

export const CAPABILITIES_SCHEME = 'mqtt-scope-broker';

/** The document of a connection; the connection's name travels in the query. */
function documentUri(session: MqttSession): vscode.Uri {
  const file = session.name.replace(/[/\\?#%*:|"<>]/g, '_');
  return vscode.Uri.from({
    scheme: CAPABILITIES_SCHEME,
    path: `/${file} broker capabilities.md`,
    query: encodeURIComponent(session.name),
  });
}

class CapabilitiesDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changes = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changes.event;
  private readonly stateListener: vscode.Disposable;

  constructor(private readonly sessions: SessionManager) {
    // A reconnect brings a new CONNACK: an open document shows it.
    this.stateListener = sessions.onDidChangeState(({ session }) => this.refresh(session));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const name = decodeURIComponent(uri.query);
    const session = this.sessions.get(name);
    return session
      ? capabilitiesDocument(session)
      : vscode.l10n.t('There is no connection named "{0}".', name);
  }

  refresh(session: MqttSession): vscode.Uri {
    const uri = documentUri(session);
    this.changes.fire(uri);
    return uri;
  }

  dispose(): void {
    this.stateListener.dispose();
    this.changes.dispose();
  }
}

/** Defines the command; returns the document provider's registration for context.subscriptions. */
export function defineCapabilityCommands(
  registry: CommandRegistry,
  sessions: SessionManager,
): vscode.Disposable {
  const documents = new CapabilitiesDocuments(sessions);
  const registration = vscode.workspace.registerTextDocumentContentProvider(
    CAPABILITIES_SCHEME,
    documents,
  );
  registry.define(Commands.showBrokerCapabilities, async ({ target }) => {
    if (target && !resolveSession(sessions, target)) {
      const name = 'connection' in target ? target.connection : '';
      void showError(vscode.l10n.t('MQTT: There is no connection named "{0}".', name));
      return undefined;
    }
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        filter: (s) => s.state.kind === 'connected',
        placeHolder: vscode.l10n.t('Connection whose broker capabilities to show'),
        emptyMessage: vscode.l10n.t(
          'No connection is connected. Connect one first (MQTT: Connect).',
        ),
      }));
    if (!session) return undefined;
    if (!session.capabilities) {
      void showInfo(
        vscode.l10n.t(
          'MQTT: "{0}" is not connected. What its broker allows is read from the CONNACK when it connects.',
          session.name,
        ),
      );
      return undefined;
    }
    const uri = documents.refresh(session);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
    return { uri: uri.toString(), text: document.getText() };
  });
  return vscode.Disposable.from(registration, documents);
}
