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
 * Passwords live in VS Code's SecretStorage (the OS keychain on desktop), never in settings or
 * logs. The first connect of a profile with a username asks for it; a password the broker
 * refuses is forgotten so the next connect asks again.
 */
export class SecretCredentials implements CredentialsProvider {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async getPassword(profileName: string, username: string): Promise<string | undefined> {
    const key = secretKey(profileName, username);
    const saved = await this.secrets.get(key);
    if (saved !== undefined) return saved;
    const password = await vscode.window.showInputBox({
      title: `MQTT: Connect "${profileName}"`,
      prompt: `Password for user "${username}" (kept in VS Code's secret storage, never in settings)`,
      password: true,
      ignoreFocusOut: true,
    });
    if (password !== undefined) await this.secrets.store(key, password);
    return password;
  }

  /** Drops the saved password of a profile's user. */
  async forget(profileName: string, username: string): Promise<void> {
    await this.secrets.delete(secretKey(profileName, username));
  }
}

const PREFIX = 'mqttScope.password:';

function secretKey(profileName: string, username: string): string {
  return `${PREFIX}${profileName}\u0000${username}`;
}
