/**
 * Problems of `.mqtt` files as you type: the parser's problems (bad topics and filters, bad JSON,
 * unknown variables, …) in a DiagnosticCollection, updated 200 ms after the last keystroke of an
 * open document and removed when it closes. Unknown `{{name}}`s are errors when an environment is
 * selected (its variables are the known names), warnings otherwise.
 */
import * as vscode from 'vscode';
import { parseMqttFile } from '../../core/mqttFile/parser';
import type { MqttFileProblem } from '../../core/mqttFile/mqttFileAst';
import { isMqttDocument } from './mqttDocuments';
import { toRange } from './mqttFileRanges';
import type { MqttFileEnvironmentNames } from './mqttFileEnvironmentNames';

export const DIAGNOSTICS_DELAY_MS = 200;
/** Larger documents are not parsed as you type (one information diagnostic says so). */
export const MAX_DIAGNOSED_CHARS = 2 * 1024 * 1024;
export const DIAGNOSTIC_SOURCE = 'MQTT Scope';

export class MqttFileDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mqtt');
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly environments: MqttFileEnvironmentNames) {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      environments.onDidChange(() => this.refreshAll()),
    ];
    this.refreshAll();
  }

  private refreshAll(): void {
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delay = DIAGNOSTICS_DELAY_MS): void {
    if (!isMqttDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.update(document);
      }, delay),
    );
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const version = document.version;
    const variables = await this.environments
      .selectedVariables(document.uri)
      .catch(() => undefined);
    // A later change scheduled its own update; a closed document keeps no problems.
    if (document.isClosed || document.version !== version) return;
    this.collection.set(document.uri, diagnose(document.getText(), variables));
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** The diagnostics of a `.mqtt` text; `variables`: the selected environment's, if any. */
export function diagnose(text: string, variables?: Record<string, string>): vscode.Diagnostic[] {
  if (text.length > MAX_DIAGNOSED_CHARS) {
    const tooLarge = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 0),
      vscode.l10n.t(
        'This file is larger than {0} MB: its problems are not checked as you type.',
        MAX_DIAGNOSED_CHARS / 1024 / 1024,
      ),
      vscode.DiagnosticSeverity.Information,
    );
    tooLarge.source = DIAGNOSTIC_SOURCE;
    return [tooLarge];
  }
  const file = parseMqttFile(text, variables ? { knownVariables: Object.keys(variables) } : {});
  return file.problems.map(toDiagnostic);
}

function toDiagnostic(problem: MqttFileProblem): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(
    toRange(problem.range),
    problem.message,
    problem.severity === 'error'
      ? vscode.DiagnosticSeverity.Error
      : vscode.DiagnosticSeverity.Warning,
  );
  diagnostic.source = DIAGNOSTIC_SOURCE;
  return diagnostic;
}
