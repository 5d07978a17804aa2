/**
 * Runs the BUILT command-line runner (dist/cli.js, as `npx mqtt-scope` would) as a child
 * process, and writes the `.mqtt` files a test needs into a temp folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to this process's environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves when stdout has printed text matching `re`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliOutcome>;
}

export function startCli(args: string[], o: CliOptions = {}): RunningCli {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs`);
  // Run the file itself (its #! line), as npx does.
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(CLI, args, {
    cwd: o.cwd ?? ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((w) => w.re.test(stdout))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
  const done = new Promise<CliOutcome>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitFor(re, timeoutMs = 20_000) {
      if (re.test(stdout)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(
          () => reject(new Error(`no ${re} in the output:\n${stdout}\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          re,
          resolve: () => {
            clearTimeout(t);
            resolve();
          },
        });
        void done.then(() => reject(new Error(`exited without ${re}:\n${stdout}\n${stderr}`)));
      });
    },
  };
}

export function runCli(args: string[], o: CliOptions = {}): Promise<CliOutcome> {
  return startCli(args, o).done;
}

/** A temp folder with these files (name → text); removed by the returned function. */
export function tempFiles(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-scope-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** An environments file whose `ci` environment points at a test broker. */
export function envFile(port: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    environments: { ci: { broker: `mqtt://127.0.0.1:${port}`, variables: {}, ...extra } },
  });
}

/** For a failure message: what the process printed. */
export function printed(o: CliOutcome): string {
  return `exit ${o.code} ${o.signal ?? ''}\n--- stdout\n${o.stdout}\n--- stderr\n${o.stderr}`;
}
