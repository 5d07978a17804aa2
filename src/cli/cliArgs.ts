/**
 * The command line of `mqtt-scope`: `mqtt-scope run <files or globs…> [options]`. Parsing never
 * throws: a mistake is a usage error (exit 2) with a sentence saying what is wrong.
 */
import { parseArgs } from 'node:util';

export interface RunArgs {
  /** Files and globs as given. */
  patterns: string[];
  env?: string;
  envFile?: string;
  broker?: string;
  reporter: 'console' | 'junit';
  output?: string;
  /** Multiplies every EXPECT and REQUEST window (a slow CI machine: 2). */
  timeoutScale: number;
  ca?: string;
  cert?: string;
  key?: string;
  insecure: boolean;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; args: RunArgs }
  | { kind: 'usage-error'; message: string };

export const USAGE = `Usage: mqtt-scope run <files or globs…> [options]

Runs .mqtt files against a broker and reports each block.

Options:
  --env NAME            the environment of mqtt-scope.env.json to use
  --env-file PATH       the environments file (default: the nearest mqtt-scope.env.json
                        in the first file's folder or above)
  --broker URL          the broker (mqtt://, mqtts://, ws://, wss://); wins over the environment's
  --reporter console|junit
                        junit writes JUnit XML to --output and prints the console report too
  --output FILE         where the JUnit XML goes (required with --reporter junit)
  --timeout-scale X     multiplies every WITHIN duration (0 < X <= 100; default 1)
  --ca FILE, --cert FILE, --key FILE
                        TLS files for mqtts:// and wss:// brokers
  --insecure            do not verify the broker's TLS certificate
  --help                this text
  --version             the version

Exit codes: 0 every block passed, 1 a block failed or a file has errors,
2 usage error (bad options, unknown environment, no file matched), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
Quote globs ('tests/*.mqtt') so every shell passes them as written.`;

const OPTIONS = {
  env: { type: 'string' },
  'env-file': { type: 'string' },
  broker: { type: 'string' },
  reporter: { type: 'string' },
  output: { type: 'string' },
  'timeout-scale': { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  insecure: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { kind: 'usage-error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const [command, ...patterns] = positionals;
  if (command === undefined) return { kind: 'usage-error', message: 'no command given' };
  if (command === 'help') return { kind: 'help' };
  if (command !== 'run') {
    return { kind: 'usage-error', message: `unknown command "${command}" (expected "run")` };
  }
  if (patterns.length === 0) {
    return { kind: 'usage-error', message: 'no .mqtt files given' };
  }
  const reporter = values.reporter ?? 'console';
  if (reporter !== 'console' && reporter !== 'junit') {
    return {
      kind: 'usage-error',
      message: `--reporter must be console or junit (not "${reporter}")`,
    };
  }
  if (reporter === 'junit' && !values.output) {
    return { kind: 'usage-error', message: '--reporter junit needs --output FILE' };
  }
  let timeoutScale = 1;
  if (values['timeout-scale'] !== undefined) {
    timeoutScale = Number(values['timeout-scale']);
    if (!Number.isFinite(timeoutScale) || timeoutScale <= 0 || timeoutScale > 100) {
      return {
        kind: 'usage-error',
        message: `--timeout-scale must be a number above 0 and at most 100 (not "${values['timeout-scale']}")`,
      };
    }
  }
  if (values.broker !== undefined && !/^(mqtt|mqtts|ws|wss):\/\/[^/\s]/.test(values.broker)) {
    return {
      kind: 'usage-error',
      message: '--broker must be a URL starting with mqtt://, mqtts://, ws:// or wss://',
    };
  }
  for (const name of ['env', 'env-file', 'output', 'ca', 'cert', 'key'] as const) {
    if (values[name] === '') return { kind: 'usage-error', message: `--${name} needs a value` };
  }
  return {
    kind: 'run',
    args: {
      patterns,
      env: values.env,
      envFile: values['env-file'],
      broker: values.broker,
      reporter,
      output: values.output,
      timeoutScale,
      ca: values.ca,
      cert: values.cert,
      key: values.key,
      insecure: values.insecure ?? false,
    },
  };
}
