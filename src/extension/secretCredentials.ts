/**
 * Passwords live in VS Code's SecretStorage (the OS keychain on desktop), never in settings or
 * logs. The first connect of a profile with a username asks for it; a password the broker
 * refuses is forgotten so the next connect asks again. A saved password is bound to the profile
 * name, the user, the broker (protocol://host:port) and what verifies the broker (TLS
 * verification, the CA's fingerprint, the server name): a profile that matches the first three
 * but checks the broker less strictly is asked, never given the saved one. With verification
 * off, the password is asked on every connect and not saved.
 */
import * as vscode from 'vscode';
import { trustKey, type BrokerTrust } from '../core/trust/brokerTrust';
import type { CredentialsProvider } from '../core/ports';
import type { PasswordIndex, ProfileIdentity } from './passwordIndex';

export class SecretCredentials implements CredentialsProvider {
  /** One prompt at a time: VS Code shows one input box, and a second one cancels the first. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly index: PasswordIndex,
  ) {}

  getPassword(
    profileName: string,
    username: string,
    target: string,
    beforePrompt?: () => Promise<void>,
    trust: BrokerTrust = { kind: 'plain' },
  ): Promise<string | undefined> {
    const next = this.queue.then(() =>
      this.ask(profileName, username, target, trust, beforePrompt),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Drops the saved passwords of a profile's user on one broker, whatever verified it. */
  async forget(profileName: string, username: string, target: string): Promise<number> {
    return this.index.forget(
      (e) => e.profile === profileName && e.user === username && e.target === target,
    );
  }

  /**
   * Passwords saved by earlier versions under name + user + broker alone (not bound to what
   * verifies the broker) are never used; they are deleted, since the index does not list them.
   */
  async dropUnbound(profiles: readonly ProfileIdentity[]): Promise<void> {
    for (const p of profiles)
      await this.secrets.delete(`${PREFIX}${p.profile}\u0000${p.user}\u0000${p.target}`);
  }

  private async ask(
    profile: string,
    user: string,
    target: string,
    trust: BrokerTrust,
    beforePrompt: (() => Promise<void>) | undefined,
  ): Promise<string | undefined> {
    const key = secretKey(profile, user, target, trust);
    if (trust.kind !== 'unverified') {
      const saved = await this.secrets.get(key);
      if (saved !== undefined) return saved;
    }
    // E.g. the TLS handshake: a password is asked only for a broker that can be reached.
    await beforePrompt?.();
    const password = await vscode.window.showInputBox({
      title: vscode.l10n.t('MQTT: Connect "{0}" ({1})', profile, target),
      prompt: promptText(user, target, trust),
      password: true,
      ignoreFocusOut: true,
    });
    if (password !== undefined && trust.kind !== 'unverified')
      await this.index.store(key, { profile, user, target }, password);
    return password;
  }
}

function promptText(user: string, target: string, trust: BrokerTrust): string {
  if (trust.kind === 'unverified')
    return vscode.l10n.t(
      'Password for user "{0}". Warning: TLS certificate verification is off for this connection (tls.rejectUnauthorized is false), so whoever answers at this address gets the password. It is therefore asked for on every connect and not saved.',
      user,
    );
  const plain = trust.kind === 'plain' && !/\/\/(127\.|localhost|\[?::1)/.test(target);
  return plain
    ? vscode.l10n.t(
        'Password for user "{0}" (kept in VS Code\'s secret storage, never in settings). Warning: this connection is not encrypted; the password travels in clear text.',
        user,
      )
    : vscode.l10n.t(
        'Password for user "{0}" (kept in VS Code\'s secret storage, never in settings)',
        user,
      );
}

const PREFIX = 'mqttScope.password:';

function secretKey(profile: string, user: string, target: string, trust: BrokerTrust): string {
  return `${PREFIX}${profile}\u0000${user}\u0000${target}\u0000${trustKey(trust)}`;
}
