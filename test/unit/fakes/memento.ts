/**
 * An in-memory `vscode.Memento` (workspace or global state) for unit tests of src/extension
 * helpers. `update` resolves after the value is stored, as VS Code's does.
 */
import type * as vscode from 'vscode';

export class InMemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  /** Every update in order, for tests that check what was written. */
  readonly writes: { key: string; value: unknown }[] = [];

  constructor(initial: Record<string, unknown> = {}) {
    for (const [key, value] of Object.entries(initial)) this.values.set(key, value);
  }

  keys(): readonly string[] {
    return [...this.values.keys()];
  }

  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : defaultValue;
  }

  async update(key: string, value: unknown): Promise<void> {
    this.writes.push({ key, value });
    // VS Code stores a copy: a caller that mutates its array afterwards changes nothing.
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, structuredClone(value));
  }
}
