/**
 * What the `.mqtt` commands accept and resolve with. A CodeLens and a test pass
 * `{ uri, block }` (the block's index); the editor title's button passes the file's `Uri`; the
 * palette passes nothing (the active editor, the block at the cursor). Select Environment takes
 * an environment's name ('' for none), so a keybinding or a test can choose without the picker.
 * Pure (`import type` only), like commandArgs.ts.
 */
import type { BlockResult, FileResult } from '../../core/mqttFile/runTypes';
import { checks } from '../commands/argChecks';
import type { CommandId } from '../constants';

/** A `.mqtt` file, and optionally one of its blocks. */
export interface MqttBlockArgs {
  /** The file's URI as text; absent: the active editor's. */
  uri?: string;
  /** The block's index in the file; absent: the block at the cursor. */
  block?: number;
}

export interface EnvironmentArgs {
  /** An environment's name, '' for none; absent: ask. */
  environment?: string;
}

export interface MqttFileCommandArgs {
  'mqttScope.runMqttFile': MqttBlockArgs;
  'mqttScope.runMqttBlock': MqttBlockArgs;
  'mqttScope.publishMqttBlock': MqttBlockArgs;
  'mqttScope.stopMqttRun': MqttBlockArgs;
  'mqttScope.showMqttBlockInLog': MqttBlockArgs;
  'mqttScope.selectEnvironment': EnvironmentArgs;
}

export interface MqttFileCommandResults {
  /** The run's result; undefined when it did not run (refused, cancelled before, no file). */
  'mqttScope.runMqttFile': FileResult | undefined;
  'mqttScope.runMqttBlock': FileResult | undefined;
  /** The PUBLISH block's result; undefined when it did not run. */
  'mqttScope.publishMqttBlock': BlockResult | undefined;
  /** Whether a run was stopped. */
  'mqttScope.stopMqttRun': boolean;
  /** Whether the block had rows to show. */
  'mqttScope.showMqttBlockInLog': boolean;
  /** The environment now chosen ('' for none); undefined when cancelled. */
  'mqttScope.selectEnvironment': string | undefined;
}

type Parsers = {
  [K in keyof MqttFileCommandArgs]: (raw: readonly unknown[]) => MqttFileCommandArgs[K];
};

/** A `vscode.Uri` (the editor title passes one): told apart by its fields, without importing vscode. */
function isUriLike(value: unknown): value is { toString(): string } {
  const v = value as { scheme?: unknown; path?: unknown; fsPath?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.scheme === 'string' &&
    typeof v.path === 'string'
  );
}

const blockArgs =
  (id: CommandId) =>
  (raw: readonly unknown[]): MqttBlockArgs => {
    const value = raw[0];
    if (value === undefined || value === null) return {};
    if (typeof value === 'string') return { uri: value };
    if (isUriLike(value)) return { uri: value.toString() };
    const c = checks(id);
    const object = c.record(value, 'argument');
    if (!object) return {};
    c.onlyKnown(object, ['uri', 'block']);
    const args: MqttBlockArgs = {};
    const uri = c.string(object.uri, 'uri');
    if (uri !== undefined) args.uri = uri;
    const block = c.integer(object.block, 'block', 0, 1_000_000);
    if (block !== undefined) args.block = block;
    return args;
  };

export const mqttFileArgParsers: Parsers = {
  'mqttScope.runMqttFile': blockArgs('mqttScope.runMqttFile'),
  'mqttScope.runMqttBlock': blockArgs('mqttScope.runMqttBlock'),
  'mqttScope.publishMqttBlock': blockArgs('mqttScope.publishMqttBlock'),
  'mqttScope.stopMqttRun': blockArgs('mqttScope.stopMqttRun'),
  'mqttScope.showMqttBlockInLog': blockArgs('mqttScope.showMqttBlockInLog'),
  'mqttScope.selectEnvironment': (raw) => {
    const value = raw[0];
    if (value === undefined || value === null) return {};
    if (typeof value === 'string') return { environment: value };
    const c = checks('mqttScope.selectEnvironment');
    const object = c.record(value, 'argument');
    if (!object) return {};
    c.onlyKnown(object, ['environment']);
    const environment = c.string(object.environment, 'environment');
    return environment === undefined ? {} : { environment };
  },
};
