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
  /** One prompt at a time: VS Code shows one input box, and a second one cancels the first. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  getPassword(
    profileName: string,
    username: string,
    target: string,
    beforePrompt?: () => Promise<void>,
  ): Promise<string | undefined> {
    const next = this.queue.then(() => this.ask(profileName, username, target, beforePrompt));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Drops the saved password of a profile's user on one broker. */
  async forget(profileName: string, username: string, target: string): Promise<void> {
    await this.secrets.delete(secretKey(profileName, username, target));
  }

  private async ask(
    profileName: string,
    username: string,
    target: string,
    beforePrompt: (() => Promise<void>) | undefined,
  ): Promise<string | undefined> {
    const key = secretKey(profileName, username, target);
    const saved = await this.secrets.get(key);
    if (saved !== undefined) return saved;
    // E.g. the TLS handshake: a password is asked only for a broker that can be reached.
    await beforePrompt?.();
    const plain = /^(mqtt|ws):/.test(target) && !/\/\/(127\.|localhost|\[?::1)/.test(target);
    const password = await vscode.window.showInputBox({
      title: vscode.l10n.t('MQTT: Connect "{0}" ({1})', profileName, target),
      prompt: plain
        ? vscode.l10n.t(
            'Password for user "{0}" (kept in VS Code\'s secret storage, never in settings). Warning: this connection is not encrypted; the password travels in clear text.',
            username,
          )
        : vscode.l10n.t(
            'Password for user "{0}" (kept in VS Code\'s secret storage, never in settings)',
            username,
          ),
      password: true,
      ignoreFocusOut: true,
    });
    if (password !== undefined) await this.secrets.store(key, password);
    return password;
  }
}

const PREFIX = 'mqttScope.password:';

function secretKey(profileName: string, username: string, target: string): string {
  return `${PREFIX}${profileName}\u0000${username}\u0000${target}`;
}
