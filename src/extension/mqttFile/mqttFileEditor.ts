/**
 * What the editor knows of `.mqtt` files beyond running them: problems as you type, completion
 * and the Testing view, built together so `activate()` adds them in one step.
 */
import type * as vscode from 'vscode';
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
  return {
    tests,
    diagnostics,
    environments,
    dispose: () => {
      for (const d of [tests, completion, diagnostics, environments]) d.dispose();
    },
  };
}
