/**
 * Environments of `.mqtt` files (`mqtt-scope.env.json`, docs/mqtt-files.md): named sets of
 * variables and the broker or connection to use. Parsing never throws: each mistake is a problem
 * naming its JSON path, and the environments without mistakes stay usable.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const ENV_FILE_NAME = 'mqtt-scope.env.json';

export interface MqttEnvironment {
  /** A connection of `mqttScope.connections` (the editor). */
  connection?: string;
  /** `mqtt://`, `mqtts://`, `ws://` or `wss://` URL (the CLI; the editor without `connection`). */
  broker?: string;
  protocol?: 4 | 5;
  username?: string;
  /** Always a `{{$env NAME}}` or `{{$secret NAME}}` reference, never the password itself. */
  password?: string;
  variables: Record<string, string>;
}

export interface EnvironmentProblem {
  message: string;
  /** Where, as a JSON path: `environments.ci.broker`. */
  path: string;
}

export interface ParsedEnvironments {
  environments: Record<string, MqttEnvironment>;
  problems: EnvironmentProblem[];
}

const ENVIRONMENT_KEYS = ['connection', 'broker', 'protocol', 'username', 'password', 'variables'];
const BROKER_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];
/** The only password an environment may hold: a reference to where the password is. */
const PASSWORD_REFERENCE = /^\{\{\s*\$(env|secret)\s+[A-Za-z_][A-Za-z0-9_.-]*\s*\}\}$/;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseEnvironments(text: string): ParsedEnvironments {
  const environments: Record<string, MqttEnvironment> = {};
  const problems: EnvironmentProblem[] = [];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    problems.push({ message: `not valid JSON: ${(error as Error).message}`, path: '' });
    return { environments, problems };
  }
  if (!isObject(root)) {
    problems.push({ message: 'must be an object with an "environments" object', path: '' });
    return { environments, problems };
  }
  for (const key of Object.keys(root)) {
    if (key !== 'environments' && key !== '$schema') {
      problems.push({ message: `unknown key "${key}" (expected "environments")`, path: key });
    }
  }
  const all = root.environments;
  if (!isObject(all)) {
    problems.push({ message: 'must be an object of named environments', path: 'environments' });
    return { environments, problems };
  }
  for (const [name, value] of Object.entries(all)) {
    const at = `environments.${name}`;
    if (!name.trim()) {
      problems.push({ message: 'an environment needs a name', path: at });
      continue;
    }
    const before = problems.length;
    const environment = parseEnvironment(value, at, problems);
    if (environment && problems.length === before) environments[name] = environment;
  }
  return { environments, problems };
}

function parseEnvironment(
  value: unknown,
  at: string,
  problems: EnvironmentProblem[],
): MqttEnvironment | undefined {
  if (!isObject(value)) {
    problems.push({ message: 'must be an object', path: at });
    return undefined;
  }
  const environment: MqttEnvironment = { variables: {} };
  for (const key of Object.keys(value)) {
    if (!ENVIRONMENT_KEYS.includes(key)) {
      problems.push({
        message: `unknown key "${key}" (expected one of ${ENVIRONMENT_KEYS.join(', ')})`,
        path: `${at}.${key}`,
      });
    }
  }
  const text = (key: string): string | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v.trim()) return v;
    problems.push({ message: 'must be a non-empty string', path: `${at}.${key}` });
    return undefined;
  };
  environment.connection = text('connection');
  environment.username = text('username');
  const broker = text('broker');
  if (broker !== undefined) {
    const problem = brokerProblem(broker);
    if (problem) problems.push({ message: problem, path: `${at}.broker` });
    else environment.broker = broker;
  }
  if (value.protocol !== undefined) {
    if (value.protocol === 4 || value.protocol === 5) environment.protocol = value.protocol;
    else problems.push({ message: 'must be 5 or 4 (MQTT 3.1.1)', path: `${at}.protocol` });
  }
  const password = text('password');
  if (password !== undefined) {
    if (PASSWORD_REFERENCE.test(password)) environment.password = password;
    else {
      problems.push({
        message:
          'a password is never written in the file: use "{{$env NAME}}" or "{{$secret NAME}}"',
        path: `${at}.password`,
      });
    }
  }
  if (value.variables !== undefined) {
    if (!isObject(value.variables)) {
      problems.push({ message: 'must be an object of strings', path: `${at}.variables` });
    } else {
      for (const [name, v] of Object.entries(value.variables)) {
        const where = `${at}.variables.${name}`;
        if (!VARIABLE_NAME.test(name)) {
          problems.push({ message: 'a variable name is letters, digits, _ . -', path: where });
        } else if (typeof v !== 'string') {
          problems.push({ message: 'must be a string', path: where });
        } else environment.variables[name] = v;
      }
    }
  }
  for (const key of ['connection', 'username'] as const) {
    if (environment[key] === undefined) delete environment[key];
  }
  return environment;
}

function brokerProblem(broker: string): string | undefined {
  let url: URL;
  try {
    url = new URL(broker);
  } catch {
    return 'must be a URL such as mqtt://localhost:1883';
  }
  if (!BROKER_SCHEMES.includes(url.protocol)) {
    return `the scheme must be mqtt://, mqtts://, ws:// or wss:// (not ${url.protocol}//)`;
  }
  if (!url.hostname) return 'must name a host, such as mqtt://localhost:1883';
  if (url.password) return 'a password is never written in the URL: use "password"';
  return undefined;
}

/**
 * The nearest `mqtt-scope.env.json` in `startDir` or a folder above it, up to `stopDir`
 * (included) or the file system's root.
 */
export async function findEnvironmentFile(
  startDir: string,
  stopDir?: string,
): Promise<string | undefined> {
  let dir = path.resolve(startDir);
  const stop = stopDir === undefined ? undefined : path.resolve(stopDir);
  for (;;) {
    const candidate = path.join(dir, ENV_FILE_NAME);
    try {
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      // not here: look one folder up
    }
    const parent = path.dirname(dir);
    if (dir === stop || parent === dir) return undefined;
    dir = parent;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
