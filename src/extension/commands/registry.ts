/**
 * The command registry: every command is defined once, with its id, its typed argument (parsed
 * by `commandArgs.ts`) and its run function. `registerAll` hands them to VS Code; internal code
 * calls `run(id, args)`, the typed function itself, never `executeCommand` on our own ids.
 * Pure (`import type` only): VS Code's command API comes in as a `CommandHost`, which unit tests
 * replace with a fake.
 */
import type { Disposable } from '../../core/event';
import type { Logger } from '../../core/ports';
import type { CommandId } from '../constants';
import { CommandArgumentError } from './argChecks';
import { commandArgParsers, type CommandArgs } from './commandArgs';
import type { CommandResults } from './commandResults';

/** What the registry needs of `vscode.commands`. */
export interface CommandHost {
  registerCommand(id: string, callback: (...args: unknown[]) => unknown): Disposable;
}

type Result<K extends CommandId> = CommandResults[K] | Promise<CommandResults[K]>;
type Run<K extends CommandId> = (args: CommandArgs[K]) => Result<K>;

/** The part internal callers see: run a command with typed arguments. */
export interface CommandRunner {
  run<K extends CommandId>(id: K, args: CommandArgs[K]): Promise<CommandResults[K]>;
}

export class CommandRegistry implements CommandRunner {
  private readonly runs = new Map<CommandId, Run<CommandId>>();

  constructor(private readonly logger?: Logger) {}

  /** Defines command `id`; each id once. Returns the typed run, for callers that want it. */
  define<K extends CommandId>(id: K, run: Run<K>): void {
    if (this.runs.has(id)) throw new Error(`The command ${id} is defined twice.`);
    this.runs.set(id, run as unknown as Run<CommandId>);
  }

  /** The ids defined so far. */
  ids(): CommandId[] {
    return [...this.runs.keys()];
  }

  /** Runs command `id` with typed arguments, as the command would (no parsing). */
  async run<K extends CommandId>(id: K, args: CommandArgs[K]): Promise<CommandResults[K]> {
    const run = this.runs.get(id) as Run<K> | undefined;
    if (!run) throw new Error(`The command ${id} is not defined.`);
    return run(args);
  }

  /**
   * Registers every command with VS Code. Each one parses what VS Code passes first: a bad
   * argument rejects with an error naming the command and the argument (and is logged), and
   * the command does not run. Fails if a command of `commandArgParsers` was never defined.
   */
  registerAll(host: CommandHost): Disposable[] {
    const missing = (Object.keys(commandArgParsers) as CommandId[]).filter(
      (id) => !this.runs.has(id),
    );
    if (missing.length) throw new Error(`Commands without a definition: ${missing.join(', ')}`);
    return [...this.runs].map(([id, run]) =>
      host.registerCommand(id, (...raw: unknown[]) => {
        let args: CommandArgs[CommandId];
        try {
          args = commandArgParsers[id](raw) as CommandArgs[CommandId];
        } catch (error) {
          if (error instanceof CommandArgumentError) this.logger?.warn(error.message);
          return Promise.reject(error);
        }
        return run(args);
      }),
    );
  }
}
