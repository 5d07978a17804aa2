/**
 * What the editor knows of `.mqtt` files beyond running them: problems as you type, completion
 * and the Testing view, built together so `activate()` adds them in one step.
 */
import * as vscode from 'vscode';
import type { SessionManager } from '../../core/session/sessionManager';
import { MqttFileCompletion } from './mqttFileCompletion';
import { MqttFileDiagnostics } from './mqttFileDiagnostics';
import { MqttFileEnvironmentNames } from './mqttFileEnvironmentNames';
import { MqttFileTests } from './mqttFileTests';
import type { MqttFileRunner } from './mqttFileTestRun';

export interface MqttFileEditor extends vscode.Disposable {
  readonly tests: MqttFileTests;
  readonly diagnostics: MqttFileDiagnostics;
  readonly environments: MqttFileEnvironmentNames;
}

export function mqttFileEditor(
  sessions: SessionManager,
  runner: MqttFileRunner,
  /** The selected environment's name; undefined for none. */
  selectedEnvironment: () => string | undefined,
): MqttFileEditor {
  const environments = new MqttFileEnvironmentNames();
  environments.selected = selectedEnvironment;
  const diagnostics = new MqttFileDiagnostics(environments);
  const completion = new MqttFileCompletion(
    () => sessions.all().map((s) => s.topics),
    environments,
  ).register();
  const tests = new MqttFileTests(runner);
  // The selection lives with the environment picker, which announces nothing: look again when
  // the user is back in an editor (the picker closed), and let problems follow the change.
  let selected = selectedEnvironment();
  const check = () => {
    const now = selectedEnvironment();
    if (now === selected) return;
    selected = now;
    environments.selectionChanged();
  };
  const watches = [
    vscode.window.onDidChangeActiveTextEditor(check),
    vscode.window.onDidChangeTextEditorSelection(check),
    vscode.window.onDidChangeWindowState(check),
  ];
  return {
    tests,
    diagnostics,
    environments,
    dispose: () => {
      for (const d of [...watches, tests, completion, diagnostics, environments]) d.dispose();
    },
  };
}
