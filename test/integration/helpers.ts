// Shared helpers for suites inside the VS Code host: the extension's API, settings writes and
// polling for asynchronous UI state.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MqttScopeApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'mqtt-scope.mqtt-scope';

export async function api(): Promise<MqttScopeApi> {
  const ext = vscode.extensions.getExtension<MqttScopeApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Sets the workspace's profiles; undefined removes the workspace's value. */
export async function setConnections(profiles: unknown[] | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration()
    .update('mqttScope.connections', profiles, vscode.ConfigurationTarget.Workspace);
}

/**
 * Sets the user's profiles (which connect by themselves without asking, unlike a workspace's)
 * and removes the workspace's value, which would hide them; undefined removes them.
 */
export async function setUserConnections(profiles: unknown[] | undefined): Promise<void> {
  await vscode.workspace
    .getConfiguration()
    .update('mqttScope.connections', profiles, vscode.ConfigurationTarget.Global);
  await setConnections(undefined);
}

/** The local broker's per-session password, as Copy Local Broker Password gives it to a program. */
export async function localBrokerPassword(): Promise<string> {
  await vscode.env.clipboard.writeText('');
  assert.ok(await vscode.commands.executeCommand<boolean>('mqttScope.copyLocalBrokerPassword'));
  return vscode.env.clipboard.readText();
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Like waitFor, for a probe that must read something asynchronously (a file). */
export async function waitForAsync<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
