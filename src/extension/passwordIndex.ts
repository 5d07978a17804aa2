/**
 * The keys of the passwords this extension saved. SecretStorage cannot list its keys and is
 * shared by every workspace, so the index lives in global state and records, for each saved
 * password, its profile, user, broker and the workspaces that used it. It is what Forget
 * Password and Forget All Passwords delete, and how the password of a profile removed from
 * settings is deleted: a workspace that no longer has the profile lets go of it, and the secret
 * goes once no workspace that used it remains.
 */
import type * as vscode from 'vscode';

export interface SavedPassword {
  /** The SecretStorage key. */
  key: string;
  profile: string;
  user: string;
  /** protocol://host:port */
  target: string;
  /** Identities (URIs) of the workspaces whose settings had this profile. */
  workspaces: string[];
}

/** A profile as the index compares it: name, user and broker. */
export interface ProfileIdentity {
  profile: string;
  user: string;
  target: string;
}

const INDEX_KEY = 'mqttScope.savedPasswords';

export class PasswordIndex {
  /** Read-modify-write of global state, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: vscode.Memento,
    private readonly secrets: vscode.SecretStorage,
    private readonly workspace: string,
  ) {}

  all(): SavedPassword[] {
    const raw = this.state.get<unknown>(INDEX_KEY);
    return Array.isArray(raw) ? (raw as SavedPassword[]) : [];
  }

  /** Saves a password under `key` and records it for this workspace. */
  store(key: string, identity: ProfileIdentity, password: string): Promise<void> {
    return this.serial(async () => {
      await this.secrets.store(key, password);
      const entries = this.all();
      const entry = entries.find((e) => e.key === key);
      if (!entry) entries.push({ key, ...identity, workspaces: [this.workspace] });
      else if (!entry.workspaces.includes(this.workspace)) entry.workspaces.push(this.workspace);
      await this.state.update(INDEX_KEY, entries);
    });
  }

  /** Deletes every saved password that `match` selects; resolves with how many. */
  forget(match: (entry: SavedPassword) => boolean): Promise<number> {
    return this.serial(async () => {
      const entries = this.all();
      const gone = entries.filter(match);
      for (const entry of gone) await this.secrets.delete(entry.key);
      await this.state.update(
        INDEX_KEY,
        entries.filter((e) => !gone.includes(e)),
      );
      return gone.length;
    });
  }

  /**
   * This workspace lets go of the passwords of profiles it no longer has; a password no
   * workspace holds any more is deleted. Resolves with how many were deleted.
   */
  prune(current: readonly ProfileIdentity[]): Promise<number> {
    return this.serial(async () => {
      const has = (e: SavedPassword) =>
        current.some((p) => p.profile === e.profile && p.user === e.user && p.target === e.target);
      const entries = this.all();
      const kept: SavedPassword[] = [];
      let deleted = 0;
      let changed = false;
      for (const entry of entries) {
        if (!entry.workspaces.includes(this.workspace) || has(entry)) {
          kept.push(entry);
          continue;
        }
        changed = true;
        const workspaces = entry.workspaces.filter((w) => w !== this.workspace);
        if (workspaces.length) kept.push({ ...entry, workspaces });
        else {
          await this.secrets.delete(entry.key);
          deleted++;
        }
      }
      if (changed) await this.state.update(INDEX_KEY, kept);
      return deleted;
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
