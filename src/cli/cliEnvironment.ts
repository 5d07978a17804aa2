/**
 * What a run connects with: the environment chosen by `--env` (from `--env-file` or the nearest
 * `mqtt-scope.env.json`), `--broker`, the TLS files; `{{$env NAME}}` and `{{$secret NAME}}` in
 * the environment's user name and password read the process environment. A mistake here is a
 * usage error (exit 2): nothing ran yet.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  findEnvironmentFile,
  parseEnvironments,
  type MqttEnvironment,
} from '../core/mqttFile/environments';
import type { RunArgs } from './cliArgs';
import type { ClientDefaults } from './cliRun';
import { displayPath } from './cliFiles';

/** Used when neither `--broker` nor the environment names a broker. */
export const DEFAULT_BROKER = 'mqtt://localhost:1883';
const MAX_TLS_FILE_BYTES = 1024 * 1024;

export class UsageError extends Error {}

export interface ResolvedSettings {
  clients: ClientDefaults;
  variables: Record<string, string>;
  /** Where the environment came from, for the report's first line. */
  envFile?: string;
}

export async function resolveSettings(
  args: RunArgs,
  firstFile: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<ResolvedSettings> {
  let environment: MqttEnvironment | undefined;
  let envFile: string | undefined;
  if (args.env !== undefined) {
    envFile = args.envFile
      ? path.resolve(cwd, args.envFile)
      : await findEnvironmentFile(path.dirname(firstFile));
    if (!envFile) {
      throw new UsageError(
        `--env ${args.env}: no mqtt-scope.env.json in ${displayPath(path.dirname(firstFile), cwd) || '.'} or above; give --env-file PATH`,
      );
    }
    environment = await loadEnvironment(envFile, args.env, cwd);
  } else if (args.envFile) {
    throw new UsageError('--env-file needs --env NAME (the environment to use)');
  }
  const broker = args.broker ?? environment?.broker;
  if (!broker && environment?.connection) {
    throw new UsageError(
      `environment "${args.env}" names the connection "${environment.connection}", which only the editor knows: add a "broker" URL to it or give --broker`,
    );
  }
  const clients: ClientDefaults = {
    broker: broker ?? DEFAULT_BROKER,
    protocolVersion: environment?.protocol,
    username: reference(environment?.username, 'username', env),
    password: reference(environment?.password, 'password', env),
    ca: await tlsFile(args.ca, '--ca', cwd),
    cert: await tlsFile(args.cert, '--cert', cwd),
    key: await tlsFile(args.key, '--key', cwd),
    rejectUnauthorized: !args.insecure,
  };
  for (const key of Object.keys(clients) as (keyof ClientDefaults)[]) {
    if (clients[key] === undefined) delete clients[key];
  }
  return { clients, variables: environment?.variables ?? {}, envFile };
}

async function loadEnvironment(file: string, name: string, cwd: string): Promise<MqttEnvironment> {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${shown}: ${(error as Error).message}`);
  }
  const { environments, problems } = parseEnvironments(text);
  const mine = problems.filter(
    (p) => p.path === '' || p.path === 'environments' || p.path.startsWith(`environments.${name}`),
  );
  if (mine.length > 0) {
    throw new UsageError(
      mine.map((p) => `${shown}: ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'),
    );
  }
  const environment = environments[name];
  if (!environment) {
    const known = Object.keys(environments);
    throw new UsageError(
      `${shown} has no environment "${name}"${known.length ? ` (it has ${known.join(', ')})` : ''}`,
    );
  }
  return environment;
}

const REFERENCE = /\{\{\s*\$(env|secret)\s+([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

/** A user name or password with its `{{$env NAME}}` / `{{$secret NAME}}` read from `env`. */
function reference(
  value: string | undefined,
  what: string,
  env: NodeJS.ProcessEnv,
): string | undefined {
  if (value === undefined) return undefined;
  return value.replace(REFERENCE, (_all, _kind: string, name: string) => {
    const found = env[name];
    if (found === undefined) {
      throw new UsageError(
        `the environment's ${what} reads the variable ${name}, which is not set`,
      );
    }
    return found;
  });
}

async function tlsFile(
  file: string | undefined,
  option: string,
  cwd: string,
): Promise<Buffer | undefined> {
  if (file === undefined) return undefined;
  try {
    const stat = await fs.stat(path.resolve(cwd, file));
    if (!stat.isFile()) throw new Error('not a file');
    if (stat.size > MAX_TLS_FILE_BYTES) throw new Error('larger than 1 MiB');
    return await fs.readFile(path.resolve(cwd, file));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new UsageError(`${option} ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}
