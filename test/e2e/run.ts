// Runs the UI tests (test/e2e/*.e2e.ts) with Node's test runner, one file at a time (each file
// starts its own code-server + Chromium, ~2 GiB together).
//   node --import tsx test/e2e/run.ts [--vsix <file>] [--grep <title>] [--shuffle [--seed <n>]]
//                                     [files...]
// --grep runs only the tests whose title matches (a regular expression), in the files that have
// one; --shuffle registers the tests of each file in an order drawn from a seed (printed, or
// given by --seed) to show that no test depends on another having run first.
// The VSIX is built once here (production bundle + vsce) and handed to the files through
// $MQTT_SCOPE_E2E_VSIX; --vsix skips the build. Prints `N passed, N failed` last and exits with
// the test runner's code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(__dirname, '../..');
const artifacts = path.join(repoRoot, 'test-artifacts');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      vsix: { type: 'string' },
      grep: { type: 'string' },
      shuffle: { type: 'boolean' },
      seed: { type: 'string' },
    },
    allowPositionals: true,
  });
  const all = positionals.length
    ? positionals.map((f) => path.resolve(f))
    : fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith('.e2e.ts'))
        .sort()
        .map((f) => path.join(__dirname, f));
  // A file starts its own code-server even when none of its tests is picked: leave those out.
  const grepRe = values.grep !== undefined ? new RegExp(values.grep) : undefined;
  const files = grepRe ? all.filter((f) => titles(f).some((t) => grepRe.test(t))) : all;
  if (grepRe && files.length === 0) {
    // A mistyped title must not read as a green run.
    console.error(`[e2e] no test title matches --grep ${grepRe.source}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  if (files.length === 0) {
    console.log('[e2e] no test/e2e/*.e2e.ts files');
    console.log('0 passed, 0 failed');
    return 0;
  }

  let vsix = values.vsix && path.resolve(values.vsix);
  if (!vsix) {
    const { packageVsix } = await import('../../scripts/vscode-host/vsix.mjs');
    vsix = await packageVsix();
  }
  // Install before the files start so a cold machine does not time out inside a test.
  const { ensureVsCodeHost } = await import('../../scripts/vscode-host/install.mjs');
  await ensureVsCodeHost();

  const env: Record<string, string> = { MQTT_SCOPE_E2E_VSIX: vsix };
  if (values.shuffle || values.seed !== undefined) {
    const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
    env.MQTT_SCOPE_E2E_SHUFFLE = seed;
    console.log(
      `[e2e] tests of each file in shuffled order, seed ${seed} (--seed ${seed} replays it)`,
    );
  }

  fs.mkdirSync(artifacts, { recursive: true });
  const tap = path.join(artifacts, 'e2e.tap');
  const res = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      // spec for people, TAP to a file so the summary below is exact
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...(values.grep !== undefined ? [`--test-name-pattern=${values.grep}`] : []),
      ...files,
    ],
    { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } },
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const count = (k: string) => Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const failed = count('fail') + count('cancelled');
  const code = res.status ?? 1;
  // A crash before any test ran still has to read as a failure.
  console.log(`${count('pass')} passed, ${failed || (code !== 0 ? 1 : 0)} failed`);
  return code;
}

/** The titles of the tests a file registers: the first argument of its `test(...)` calls. */
function titles(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/\btest\(\s*(['"`])((?:\\.|(?!\1).)*)\1/gs)].map((m) => m[2]);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[e2e] ${err instanceof Error ? err.message : String(err)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
