// Runs the in-host suites (dist/test/integration/index.js) inside a real VS Code extension host:
// code-server with VS Code's smoke-test driver, driven by headless Chromium. Build first:
//   npm run build && node --import tsx test/integration/run.ts [options]
// Options:
//   --extension-development-path <dir>  extension under test (default: the repo root)
//   --extension-tests-path <file>       bundled test module (default: dist/test/integration/index.js)
//   --grep <text>                        only tests whose title contains <text>
//   --timeout <seconds>                  whole-run limit (default 300; a first-time install of
//                                        code-server is not counted)
//   --verbose                            also print the workbench's own log and browser console
//   --untrusted                          open the folder in restricted mode (workspace trust on,
//                                        never trusted), its settings those of a cloned hostile
//                                        folder (untrustedWorkspace.json), and run only the
//                                        suites for that case
// The full workbench + extension host log is saved to test-artifacts/integration-host.log.
// Environment variables named MQTT_SCOPE_TEST_* are passed on to the extension host (e.g. a
// broker URL started by the caller).
// Prints `N passed, N failed` last and exits 0 only if every test passed.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { handleUiRequest, UI_REQUEST } from './uiBridge';

const repoRoot = path.resolve(__dirname, '../..');
const artifacts = path.join(repoRoot, 'test-artifacts');
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

const { values: opts } = parseArgs({
  options: {
    'extension-development-path': { type: 'string', default: repoRoot },
    'extension-tests-path': {
      type: 'string',
      default: path.join(repoRoot, 'dist/test/integration/index.js'),
    },
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    verbose: { type: 'boolean', default: false },
    untrusted: { type: 'boolean', default: false },
  },
});

/** User settings that keep workspace trust on and never offer to trust the folder. */
const UNTRUSTED_USER_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/** Workbench bookkeeping that arrives through the same log channel as the tests' output. */
const NOISE = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^\[(reconnection-grace-time|Service Worker|AgentHost[^\]]*|AccountPolicyGate|driver)\]/,
  /^Updating additional builtin extensions cache/,
  /^Ignoring fetching additional builtin extensions from gallery/,
  /^Started local extension host/,
  /^No search provider registered for scheme/,
  // pending workbench -> extension host calls, cancelled when the host exits after the tests
  /^Canceled\b/,
];

/** The extension's manifest must point at a built `main`, or the host silently skips it. */
function checkBuilt(extDir: string, testsPath: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(extDir, 'package.json'), 'utf8'));
  const main = manifest.main ? path.resolve(extDir, manifest.main) : undefined;
  const mainFile = main && (fs.existsSync(main) ? main : `${main}.js`);
  if (mainFile && !fs.existsSync(mainFile))
    throw new Error(`${main} is missing: run npm run build`);
  if (!fs.existsSync(testsPath)) throw new Error(`${testsPath} is missing: run npm run build`);
}

/**
 * A fresh, empty workspace folder (`.vscode/settings.json` = `{}`) and code-server state folder
 * per run, so nothing from an earlier run leaks into the tests. Several people share this
 * checkout: the default folders are claimed with a lock file, and a run started while another
 * one holds them gets its own `-<pid>` folders instead of wiping the other run's.
 */
function claimRunDirs(): { ws: string; label: string; release(): void } {
  const runDir = path.join(repoRoot, '.vscode-test/run');
  fs.mkdirSync(runDir, { recursive: true });
  const lock = path.join(runDir, 'integration.lock');
  let owned = false;
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
    owned = true;
  } catch {
    const holder = Number(fs.readFileSync(lock, 'utf8')) || 0;
    if (!isAlive(holder)) {
      fs.writeFileSync(lock, String(process.pid)); // left behind by a killed run
      owned = true;
    }
  }
  const suffix = owned ? '' : `-${process.pid}`;
  const ws = path.join(runDir, `integration-ws${suffix}`);
  const label = `integration${suffix}`;
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  const settings = opts.untrusted
    ? fs.readFileSync(path.join(__dirname, 'untrustedWorkspace.json'), 'utf8')
    : '{}\n';
  fs.writeFileSync(path.join(ws, '.vscode/settings.json'), settings);
  // Also on process exit: Playwright's own SIGINT handler exits (130) before async cleanup runs.
  const release = () => {
    process.removeListener('exit', release);
    if (owned) fs.rmSync(lock, { force: true });
    else
      for (const d of [ws, path.join(runDir, label)])
        fs.rmSync(d, { recursive: true, force: true });
  };
  process.once('exit', release);
  return { ws, label, release };
}

function isAlive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** VS Code's web-integration convention: what to load and test travels in `?payload=`. */
function workbenchUrl(base: string, ws: string, extDir: string, testsPath: string): string {
  const { host } = new URL(base);
  const remote = (p: string) => `vscode-remote://${host}${p}`;
  const extensionEnvironment = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.startsWith('MQTT_SCOPE_TEST_')),
  );
  if (opts.grep) extensionEnvironment.MQTT_SCOPE_TEST_GREP = opts.grep;
  if (opts.untrusted) extensionEnvironment.MQTT_SCOPE_TEST_UNTRUSTED = '1';
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
  const { ws, label, release } = claimRunDirs();
  fs.mkdirSync(artifacts, { recursive: true });
  const hostLog = fs.createWriteStream(path.join(artifacts, 'integration-host.log'));

  const { ensureVsCodeHost } = await import('../../scripts/vscode-host/install.mjs');
  const { startCodeServer } = await import('../../scripts/vscode-host/server.mjs');
  const { launchBrowser, newWorkbenchPage } = await import('../../scripts/vscode-host/browser.mjs');
  // The one-time install (~90 s on a fresh machine) does not count against the run's limit.
  await ensureVsCodeHost();
  const deadline = Date.now() + Number(opts.timeout) * 1000;
  // Hard stop if anything hangs outside the awaited race below (server start, page load, close):
  // exit hooks kill code-server's process group and Playwright closes Chromium.
  setTimeout(
    () => {
      console.error(`[integration] timed out after ${opts.timeout} s`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
    deadline - Date.now() + 20_000,
  ).unref();

  const server = await startCodeServer({
    workspace: ws,
    smokeTestDriver: true,
    label,
    ...(opts.untrusted ? { workspaceTrust: true, userSettings: UNTRUSTED_USER_SETTINGS } : {}),
  }).catch((err: unknown) => {
    release();
    throw err;
  });
  const browser = await launchBrowser().catch(async (err: unknown) => {
    await server.stop();
    release();
    throw err;
  });
  const stopAll = async () => {
    await browser.close().catch(() => {});
    await server.stop();
    hostLog.end();
    release();
  };
  // Ctrl+C must not leave code-server and its extension hosts running.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void stopAll().finally(() => process.exit(130)));
  }

  try {
    const page = await newWorkbenchPage(browser);
    let summary: RegExpExecArray | null = null;
    let resolveExit!: (code: number | 'crash') => void;
    const exited = new Promise<number | 'crash'>((r) => (resolveExit = r));
    // The smoke-test driver calls these two globals: one per log line of the workbench's log
    // service (which, in test mode, receives the extension host's console), one with the exit
    // code once run() settled.
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const text = (Array.isArray(args) ? args : [args]).map(String).join(' ');
      hostLog.write(`[${type}] ${text}\n`);
      const own = SUMMARY.exec(text);
      if (text.startsWith(UI_REQUEST)) {
        void handleUiRequest(page, text);
      } else if (own) {
        summary = own; // printed last, by us
      } else if (opts.verbose || (type !== 'trace' && type !== 'debug' && !isNoise(text))) {
        (type === 'error' ? console.error : console.log)(text);
      }
    });
    page.on('crash', () => resolveExit('crash'));
    page.on('pageerror', (e) => hostLog.write(`[page error] ${e.stack ?? e.message}\n`));
    if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));

    console.log(`[integration] code-server ${server.url} (log ${server.logFile})`);
    await page.goto(workbenchUrl(server.url, ws, extDir, testsPath));

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), Math.max(0, deadline - Date.now()));
    });
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    await saveScreenshot(page);
    console.log(`[integration] finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    if (result === 'timeout') throw new Error(`timed out after ${opts.timeout} s`);
    if (result === 'crash') throw new Error('the browser page crashed');
    const found = summary as RegExpExecArray | null;
    if (!found)
      throw new Error(`the tests exited with ${result} but printed no "N passed, N failed"`);
    console.log(found[0]);
    return result === 0 && found[2] === '0' ? 0 : 1;
  } finally {
    await stopAll();
  }
}

function isNoise(text: string): boolean {
  return NOISE.some((re) => re.test(text));
}

async function saveScreenshot(page: Page): Promise<void> {
  const file = path.join(artifacts, 'integration-workbench.png');
  await page.screenshot({ path: file }).catch((e) => console.error(`[integration] ${e}`));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[integration] ${err instanceof Error ? err.message : String(err)}`);
    // Keep CI's contract: the last line always says how the run went.
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
