/**
 * `mqtt-scope`: runs `.mqtt` files from the command line (CI) and exits 0 when every block
 * passed, 1 when a block failed or a file has errors, 2 on a usage error, 130 when interrupted, 143 when terminated.
 * Built to dist/cli.js (the package's `bin`); the editor is not needed.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { version } from '../../package.json';
import { parseCliArgs, USAGE, type RunArgs } from './cliArgs';
import { resolveSettings, UsageError } from './cliEnvironment';
import { displayPath, expandFiles } from './cliFiles';
import { runFile, type FileRun } from './cliRun';
import { ConsoleReporter, styleFor } from './consoleReporter';
import { errorLine, filePassed } from './fileReport';
import { junitXml } from './junitReporter';
import { brokerText } from '../core/profile/brokerText';
import { visibleLine } from '../shared/visibleText';

export const EXIT_PASSED = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
export const EXIT_TERMINATED = 143;

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const command = parseCliArgs(argv);
  switch (command.kind) {
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return EXIT_PASSED;
    case 'version':
      io.stdout.write(`${version}\n`);
      return EXIT_PASSED;
    case 'usage-error':
      io.stderr.write(`mqtt-scope: ${command.message}\n\n${USAGE}\n`);
      return EXIT_USAGE;
  }
  try {
    return await run(command.args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`mqtt-scope: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

async function run(args: RunArgs, io: CliIo): Promise<number> {
  const started = Date.now();
  const { files, unmatched } = await expandFiles(args.patterns, io.cwd);
  if (unmatched.length > 0) {
    throw new UsageError(`no file matches ${unmatched.map((p) => `"${p}"`).join(', ')}`);
  }
  const settings = await resolveSettings(args, files[0], io.cwd, io.env);
  const out = (text: string) => void io.stdout.write(text);
  const reporter = new ConsoleReporter(out, styleFor(io.stdout, io.env));
  const environment = args.env
    ? `, environment ${args.env} (${displayPath(settings.envFile ?? '', io.cwd)})`
    : '';
  out(`mqtt-scope ${version}: ${brokerText(settings.clients.broker)}${environment}\n\n`);

  const runs: FileRun[] = [];
  for (const file of files) {
    if (io.signal.aborted) break;
    const shown = displayPath(file, io.cwd);
    reporter.fileStarted(shown);
    const fileRun = await runFile(
      file,
      shown,
      { ...settings, timeoutScale: args.timeoutScale, env: io.env, signal: io.signal },
      {
        parsed: (warnings) => {
          for (const w of warnings) {
            out(
              `  ! ${visibleLine(errorLine(shown, { ...w, message: `warning: ${w.message}` }), 2_000)}\n`,
            );
          }
        },
        blockEnded: (result, label) => reporter.blockEnded(result, label),
      },
    );
    reporter.fileEnded(fileRun.report);
    runs.push(fileRun);
  }
  const durationMs = Date.now() - started;
  reporter.summary(
    runs.map((r) => r.report),
    durationMs,
  );
  if (args.reporter === 'junit' && args.output) {
    const output = path.resolve(io.cwd, args.output);
    try {
      await fs.mkdir(path.dirname(output), { recursive: true });
      await fs.writeFile(output, junitXml(runs, durationMs));
    } catch (error) {
      io.stderr.write(`mqtt-scope: cannot write the JUnit report: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
    out(`JUnit report: ${displayPath(output, io.cwd)}\n`);
  }
  if (io.signal.aborted) return EXIT_INTERRUPTED;
  return runs.every((r) => filePassed(r.report)) ? EXIT_PASSED : EXIT_FAILED;
}

/**
 * The process entry: Ctrl-C (SIGINT) or SIGTERM aborts the run (clients closed, report written)
 * and exits 130 or 143; a second signal exits at once.
 */
function start(): void {
  const controller = new AbortController();
  let signalCode: number | undefined;
  const onSignal = (name: 'SIGINT' | 'SIGTERM', code: number) => {
    if (controller.signal.aborted) process.exit(signalCode ?? code);
    signalCode = code;
    process.stderr.write(
      `\nmqtt-scope: ${name === 'SIGINT' ? 'interrupted' : 'terminated'}, closing the clients…\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT', EXIT_INTERRUPTED));
  process.on('SIGTERM', () => onSignal('SIGTERM', EXIT_TERMINATED));
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  }).then(
    (result) => {
      const code = result === EXIT_INTERRUPTED ? (signalCode ?? result) : result;
      process.exitCode = code;
      // Everything is closed by now; a handle a library left open must not keep CI waiting.
      setTimeout(() => process.exit(code), 2_000).unref();
    },
    (error: unknown) => {
      process.stderr.write(
        `mqtt-scope: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT_FAILED;
    },
  );
}

if (require.main === module) start();
