// Runs the in-host suites (dist/test/integration/index.js) inside a real VS Code extension host:
// code-server with VS Code's smoke-test driver, driven by headless Chromium. Build first:
//   npm run build && node --import tsx test/integration/run.ts [options]
// Options:
//   --extension-development-path <dir>  extension under test (default: the repo root)
//   --extension-tests-path <file>       bundled test module (default: dist/test/integration/index.js)
//   --grep <text>                        only tests whose title contains <text>
//   --timeout <seconds>                  whole-run limit (default 300)
// Environment variables named MQTT_SCOPE_TEST_* are passed on to the extension host (e.g. a
// broker URL started by the caller).
// Prints `N passed, N failed` last and exits 0 only if every test passed.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';

const repoRoot = path.resolve(__dirname, '../..');
const SUMMARY = /^(\d+) passed, (\d+) failed$/m;

const { values: opts } = parseArgs({
  options: {
    'extension-development-path': { type: 'string', default: repoRoot },
    'extension-tests-path': {
      type: 'string',
      default: path.join(repoRoot, 'dist/test/integration/index.js'),
    },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
});

function fail(message: string): never {
  console.error(`[integration] ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** The extension's manifest must point at a built `main`, or the host silently skips it. */
function checkBuilt(extDir: string, testsPath: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
  const main = manifest.main ? path.resolve(extDir, manifest.main) : undefined;
  const mainFile = main && (fs.existsSync(main) ? main : `${main}.js`);
  if (mainFile && !fs.existsSync(mainFile)) fail(`${main} is missing: run \`npm run build\``);
  if (!fs.existsSync(testsPath)) fail(`${testsPath} is missing: run \`npm run build\``);
}

/** A fresh, empty folder per run so no state from an earlier run leaks into the tests. */
function freshWorkspace(): string {
  const ws = path.join(repoRoot, '.vscode-test/run/integration-ws');
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode/settings.json'), '{}\n');
  return ws;
}

/** VS Code's web-integration convention: what to load and test travels in `?payload=`. */
function workbenchUrl(base: string, ws: string, extDir: string, testsPath: string): string {
  const { host } = new URL(base);
  const remote = (p: string) => `vscode-remote://${host}${p}`;
  const extensionEnvironment = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.startsWith('MQTT_SCOPE_TEST_')),
  );
  if (opts.grep) extensionEnvironment.MQTT_SCOPE_TEST_GREP = opts.grep;
  const payload = [
    ['extensionDevelopmentPath', remote(extDir)],
    ['extensionTestsPath', remote(testsPath)],
    ['extensionEnvironment', JSON.stringify(extensionEnvironment)],
  ];
  return `${base}?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function main(): Promise<number> {
  const started = Date.now();
  const extDir = path.resolve(opts['extension-development-path']);
  const testsPath = path.resolve(opts['extension-tests-path']);
  checkBuilt(extDir, testsPath);
  const ws = freshWorkspace();

  const { startCodeServer } = await import('../../scripts/vscode-host/server.mjs');
  const { launchBrowser, newWorkbenchPage } = await import('../../scripts/vscode-host/browser.mjs');

  const server = await startCodeServer({ workspace: ws, smokeTestDriver: true, label: 'integration' });
  const browser = await launchBrowser();
  let page: Page | undefined;
  const stopAll = async () => {
    await browser.close().catch(() => {});
    await server.stop();
  };
  // Ctrl+C must not leave code-server and its extension hosts running.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void stopAll().finally(() => process.exit(130)));
  }

  let output = '';
  try {
    page = await newWorkbenchPage(browser);
    const exited = new Promise<number>((resolve) => {
      void page!.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = (Array.isArray(args) ? args : [args]).map(String).join(' ');
      output += text + '\n';
      (type === 'error' ? console.error : console.log)(`[${type}] ${text}`);
    });
    page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));

    console.log(`[integration] code-server ${server.url} (log ${server.logFile})`);
    await page.goto(workbenchUrl(server.url, ws, extDir, testsPath));

    const limitMs = Number(opts.timeout) * 1000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), limitMs)));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);

    await saveScreenshot(page);
    const summary = SUMMARY.exec(output);
    console.log(`[integration] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (result === 'timeout') fail(`timed out after ${opts.timeout} s`);
    if (!summary) fail(`the test module exited with ${result} without printing "N passed, N failed"`);
    console.log(summary[0]);
    return result === 0 && summary[2] === '0' ? 0 : 1;
  } finally {
    await stopAll();
  }
}

async function saveScreenshot(page: Page): Promise<void> {
  const file = path.join(repoRoot, 'test-artifacts/integration-workbench.png');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file }).catch((e) => console.error(`[integration] ${e}`));
}

main().then(
  (code) => process.exit(code),
  (err) => fail(err instanceof Error ? (err.stack ?? err.message) : String(err)),
);
