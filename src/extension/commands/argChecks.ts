/**
 * The checks the command argument parsers are built from. Pure: `import type` only, so they run
 * in unit tests without VS Code. A check that fails throws `CommandArgumentError`, which names
 * the command and the argument; its sentence is plain English, like the core's.
 */
import type { QoS } from '../../core/profile/profile';
import type { MqttSession } from '../../core/session/session';
import type { CommandId } from '../constants';
import { describeValue } from '../../shared/describeValue';

/** A bad argument given to a command by another extension, a keybinding or a script. */
export class CommandArgumentError extends Error {
  override readonly name = 'CommandArgumentError';

  constructor(
    readonly command: CommandId,
    readonly argument: string,
    problem: string,
  ) {
    super(`${command}: the argument "${argument}" ${problem}`);
  }
}

/** Which connection a command acts on: a tree row's session, or a connection's name. */
export type ConnectionRef = { session: MqttSession } | { connection: string };

/** A checker bound to one command, so every error names it. */
export function checks(command: CommandId) {
  const fail = (argument: string, problem: string): never => {
    throw new CommandArgumentError(command, argument, problem);
  };
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  return {
    fail,
    isRecord,
    /** An object, or nothing (undefined / null); anything else is an error. */
    record(value: unknown, argument: string): Record<string, unknown> | undefined {
      if (value === undefined || value === null) return undefined;
      if (!isRecord(value))
        fail(argument, `must be an object or a connection name, not ${describeValue(value)}`);
      return value as Record<string, unknown>;
    },
    string(value: unknown, argument: string): string | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'string')
        fail(argument, `must be a string, not ${describeValue(value)}`);
      return value as string;
    },
    boolean(value: unknown, argument: string): boolean | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'boolean')
        fail(argument, `must be true or false, not ${describeValue(value)}`);
      return value as boolean;
    },
    qos(value: unknown, argument: string): QoS | undefined {
      if (value === undefined) return undefined;
      if (value !== 0 && value !== 1 && value !== 2)
        fail(argument, `must be 0, 1 or 2, not ${describeValue(value)}`);
      return value as QoS;
    },
    integer(value: unknown, argument: string, min: number, max: number): number | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        fail(argument, `must be a whole number from ${min} to ${max}, not ${describeValue(value)}`);
      return value as number;
    },
    oneOf<T extends string>(
      value: unknown,
      argument: string,
      allowed: readonly T[],
    ): T | undefined {
      if (value === undefined) return undefined;
      if (!allowed.includes(value as T))
        fail(argument, `must be one of ${allowed.join(', ')}, not ${describeValue(value)}`);
      return value as T;
    },
    /** No field outside `known`: a misspelt `qos` must not be silently ignored. */
    onlyKnown(value: Record<string, unknown>, known: readonly string[], argument = 'argument') {
      for (const key of Object.keys(value))
        if (!known.includes(key) && value[key] !== undefined)
          fail(`${argument}.${key}`, `is not known (known: ${known.join(', ')})`);
    },
  };
}

/** A tree row of the Connections view carries its session (connection, subscription, topic). */
export function sessionOf(value: Record<string, unknown>): MqttSession | undefined {
  const session = value.session;
  return typeof session === 'object' && session !== null ? (session as MqttSession) : undefined;
}

/** A tree row's `kind`, or undefined for a plain object given by a caller. */
export function rowKind(value: Record<string, unknown>): string | undefined {
  return typeof value.kind === 'string' ? value.kind : undefined;
}
