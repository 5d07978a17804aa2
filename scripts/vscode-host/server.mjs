// Starts and stops a code-server (VS Code server + web workbench) for tests and `npm start`.
// Everything it writes (config, user data, extensions, XDG folders, temp files, log) stays under
// `.vscode-test/run/<label>/`, never in the home folder or the shared /tmp.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cacheDir, ensureVsCodeHost } from './install.mjs';

export const runDir = path.join(cacheDir, 'run');

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(port = 0) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const { port: chosen } = srv.address();
      srv.close(() => resolve(chosen));
    });
  });
}

/** `preferred` if it is free, else the next free one above it (for a memorable `npm start` URL). */
export async function freePortFrom(preferred, tries = 50) {
  for (let p = preferred; p < preferred + tries; p++) {
    try {
      return await freePort(p);
    } catch {
      // taken: try the next one
    }
  }
  return freePort(0);
}

/**
 * The environment code-server and its extension hosts see. Variables that change code-server's
 * behaviour are dropped: when launched from a VS Code terminal, VSCODE_IPC_HOOK_CLI makes
 * code-server hand the folder to *that* editor and exit; PASSWORD/PORT/VSCODE_OPTIONS/... would
 * override the flags below.
 */
function childEnv(dir, extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      key.startsWith('VSCODE_') ||
      key.startsWith('CODE_SERVER_') ||
      key.startsWith('CS_') ||
      key.startsWith('ELECTRON_') ||
      ['PASSWORD', 'HASHED_PASSWORD', 'GITHUB_TOKEN', 'PORT', 'LOG_LEVEL'].includes(key)
    ) {
      delete env[key];
    }
  }
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    TMPDIR: path.join(dir, 'tmp'),
    ...extra,
  };
}

/**
 * User settings for a quiet, deterministic workbench: no welcome page or walkthroughs opening
 * over the editor, no update/telemetry network calls, no chat panel stealing space.
 */
export const DEFAULT_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  // The embedded broker listens on a port; code-server would offer to "forward" it in a toast.
  'remote.autoForwardPorts': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Test workspaces live under the repo's .vscode-test/: without this, Git asks in a toast
  // whether to open the parent repository, covering the UI under test.
  'git.openRepositoryInParentFolders': 'never',
};

/** Written only when absent, so a persistent `npm start` profile keeps the user's own changes. */
function writeDefaultUserSettings(userDataDir, extra) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...extra }, null, 2) + '\n');
}

function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, opts);
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${path.basename(cmd)} exited ${code}:\n${out}`)),
    );
  });
}

async function waitForHealthz(url, child, logFile, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const res = await fetch(new URL('healthz', url));
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '';
  throw new Error(`code-server did not answer ${url}healthz (log ${logFile}):\n${log}`);
}

/**
 * @param {object} o
 * @param {string} o.workspace folder opened by default (code-server's positional argument)
 * @param {boolean} o.smokeTestDriver enables VS Code's web test driver: required for
 *   `?payload=[["extensionTestsPath",...]]`, but it hides notification toasts, so UI tests
 *   run without it
 * @param {string} [o.label] names the state folder `.vscode-test/run/<label>`
 * @param {boolean} [o.fresh] wipe that folder first (default true: no state leaks between runs)
 * @param {number} [o.port] fixed port; default a free one
 * @param {string} [o.extensionsDir]
 * @param {string} [o.userDataDir]
 * @param {string} [o.installVsix] a .vsix installed into extensionsDir before the server starts
 * @param {Record<string,unknown>} [o.userSettings] merged over DEFAULT_USER_SETTINGS
 * @param {boolean} [o.gallery] keep the extension marketplace (Open VSX) enabled; off by default
 *   because tests must not depend on the network (and offline it only logs ENOTFOUND errors)
 * @param {Record<string,string>} [o.env] extra environment (also seen by the extension host)
 * @param {boolean} [o.inheritOutput] print code-server's own output instead of only logging it
 * @param {boolean} [o.workspaceTrust] keep VS Code's workspace trust on (default off, so every
 *   folder is trusted); with `security.workspace.trust.enabled` in userSettings, a folder not
 *   trusted before opens in restricted mode
 */
export async function startCodeServer(o) {
  const { node24Bin, codeServerEntry } = await ensureVsCodeHost();
  const dir = path.join(runDir, o.label ?? 'code-server');
  if (o.fresh ?? true) fs.rmSync(dir, { recursive: true, force: true });
  const userDataDir = o.userDataDir ?? path.join(dir, 'user-data');
  const extensionsDir = o.extensionsDir ?? path.join(dir, 'extensions');
  const env = childEnv(dir, {
    ...(o.gallery ? {} : { EXTENSIONS_GALLERY: '{"serviceUrl":""}' }),
    ...o.env,
  });
  for (const d of [
    userDataDir,
    extensionsDir,
    env.XDG_CONFIG_HOME,
    env.XDG_DATA_HOME,
    env.TMPDIR,
  ]) {
    fs.mkdirSync(d, { recursive: true });
  }
  writeDefaultUserSettings(userDataDir, o.userSettings);
  const port = o.port ?? (await freePort());
  // An own config file: without --config, code-server creates ~/.config/code-server/config.yaml
  // with a random password.
  const config = path.join(dir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = [
    '--config',
    config,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
  ];

  if (o.installVsix) {
    // Same dirs as the server so the server finds it; --force replaces an older copy silently.
    await run(
      node24Bin,
      [codeServerEntry, ...common, '--install-extension', path.resolve(o.installVsix), '--force'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }

  const args = [
    codeServerEntry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    path.resolve(o.workspace),
  ];
  const logFile = path.join(dir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  // detached => setsid(): code-server and every process it forks (extension hosts, pty hosts,
  // file watchers) share one new process group that stop() kills at once. Extension hosts
  // otherwise outlive the closed page for hours.
  const child = spawn(node24Bin, args, {
    env,
    detached: true,
    stdio: ['ignore', o.inheritOutput ? 'inherit' : log, o.inheritOutput ? 'inherit' : log],
  });
  fs.closeSync(log);
  const pgid = child.pid;
  /** @type {Promise<number | null>} */
  const exited = new Promise((r) => child.once('exit', (code) => r(code)));
  // Last resort if the caller crashes or forgets stop(): never leave a server behind.
  const killOnExit = () => killGroup(pgid, 'SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${port}/`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    killGroup(pgid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    // The group leader has exited; make sure none of its children linger.
    killGroup(pgid, 'SIGKILL');
  };

  try {
    await waitForHealthz(url, child, logFile, 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid: pgid, logFile, userDataDir, extensionsDir, exited, stop };
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}
