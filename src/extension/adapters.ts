/**
 * VS Code implementations of the ports the core declares (src/core/ports.ts).
 */
import * as vscode from 'vscode';
import type { CredentialsProvider, KeyValueStore, Logger } from '../core/ports';

export function outputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    debug: (m) => channel.debug(m),
  };
}

export function mementoStore(memento: vscode.Memento): KeyValueStore {
  return { get: (key) => memento.get(key), update: (key, value) => memento.update(key, value) };
}

/**
 * Asks for a profile's password when it connects and keeps it in memory for this window only;
 * it is never written to settings or logged.
 */
export class PromptingCredentials implements CredentialsProvider {
  private readonly cache = new Map<string, string>();

  async getPassword(profileName: string, username: string): Promise<string | undefined> {
    const key = `${profileName}\u0000${username}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const password = await vscode.window.showInputBox({
      title: `MQTT: Connect "${profileName}"`,
      prompt: `Password for user "${username}" (kept in memory for this window, never in settings)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password !== undefined) this.cache.set(key, password);
    return password;
  }

  /** Drops a password the broker refused, so the next connect asks again. */
  forget(profileName: string): void {
    for (const key of this.cache.keys())
      if (key.startsWith(`${profileName}\u0000`)) this.cache.delete(key);
  }
}
