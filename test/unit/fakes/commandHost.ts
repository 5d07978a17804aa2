/**
 * A fake of `vscode.commands` as the command registry uses it: what was registered, and
 * `execute` to run a command the way VS Code would (with the raw arguments a menu, the palette,
 * a keybinding or another extension passes).
 */
import type { Disposable } from '../../../src/core/event';
import type { CommandHost } from '../../../src/extension/commands/registry';

export class FakeCommandHost implements CommandHost {
  private readonly commands = new Map<string, (...args: unknown[]) => unknown>();

  registerCommand(id: string, callback: (...args: unknown[]) => unknown): Disposable {
    if (this.commands.has(id)) throw new Error(`command '${id}' already exists`);
    this.commands.set(id, callback);
    return { dispose: () => this.commands.delete(id) };
  }

  ids(): string[] {
    return [...this.commands.keys()];
  }

  /** Like `vscode.commands.executeCommand`: a thrown error or rejection becomes a rejection. */
  async execute(id: string, ...args: unknown[]): Promise<unknown> {
    const command = this.commands.get(id);
    if (!command) throw new Error(`command '${id}' not found`);
    return command(...args);
  }
}
