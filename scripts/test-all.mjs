// Runs the test tiers in order and prints one closing line with the totals:
//   unit → webview (the built Message Log in headless Chromium, fed by a host made of the real core)
//   → broker → interop (node's test runner, real Mosquitto / aedes / Paho)
//   → cli (the built `mqtt-scope` command against real brokers)
//   → faults (a real Mosquitto behind a proxy that cuts, stalls and refuses; prints figures)
//   integration (inside a real VS Code extension host) → e2e (the UI in headless Chromium).
// `node scripts/test-all.mjs unit broker` runs only the named tiers.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const nodeTest = (dir) => {
  const files = readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
  return [
    'node',
    ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  ];
};

const tiers = {
  unit: () => [nodeTest('test/unit')],
  webview: () => [['node', ['scripts/build.mjs']], nodeTest('test/webview')],
  broker: () => [nodeTest('test/broker')],
  interop: () => [nodeTest('test/interop')],
  // The built command-line runner (dist/cli.js) as a child process against real brokers.
  cli: () => [['node', ['scripts/build.mjs']], nodeTest('test/cli')],
  faults: () => [nodeTest('test/faults')],
  integration: () => [
    ['node', ['scripts/build.mjs']],
    ['node', ['--import', 'tsx', 'test/integration/run.ts']],
    // Again in a folder opened in restricted mode (workspace trust on, never trusted).
    ['node', ['--import', 'tsx', 'test/integration/run.ts', '--untrusted']],
  ],
  e2e: () => [['node', ['--import', 'tsx', 'test/e2e/run.ts']]],
};

const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(tiers);
const totals = { passed: 0, failed: 0 };
const summary = [];
let failedTiers = 0;

for (const tier of wanted) {
  if (!tiers[tier]) {
    console.error(`Unknown tier "${tier}"; known: ${Object.keys(tiers).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== ${tier} ===`);
  const started = Date.now();
  let counts = { passed: 0, failed: 0 };
  let code = 0;
  for (const [cmd, args] of tiers[tier]()) {
    const result = await run(cmd, args);
    code ||= result.code;
    counts = { passed: counts.passed + result.passed, failed: counts.failed + result.failed };
  }
  if (code !== 0) failedTiers++;
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  summary.push(
    `${tier.padEnd(12)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(3)} failed  ${seconds} s${code ? `  (exit ${code})` : ''}`,
  );
}

console.log('\n=== summary ===');
for (const line of summary) console.log(line);
// A tier that crashed before counting counts as one failure, so the total cannot look green.
const failed = totals.failed + (failedTiers > 0 && totals.failed === 0 ? failedTiers : 0);
console.log(`${totals.passed} passed, ${failed} failed`);
process.exit(failedTiers > 0 || failed > 0 ? 1 : 0);

/** Runs a command, streaming its output, and reads the counts its test runner printed. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let out = '';
    const forward = (stream, target) =>
      stream.on('data', (chunk) => {
        out += chunk;
        target.write(chunk);
      });
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code, signal) => {
      const last = (re) => {
        const all = [...out.matchAll(re)];
        return all.length ? Number(all[all.length - 1][1]) : 0;
      };
      // node --test prints "ℹ pass N" / "ℹ fail N"; the VS Code runners print "N passed, N failed".
      const plain = [...out.matchAll(/^(\d+) passed, (\d+) failed/gm)].pop();
      const passed = plain ? Number(plain[1]) : last(/^ℹ pass (\d+)/gm);
      const failed = plain ? Number(plain[2]) : last(/^ℹ fail (\d+)/gm);
      resolve({ code: code ?? (signal ? 1 : 0), passed, failed });
    });
  });
}
