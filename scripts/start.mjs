// `npm start`: build the VSIX and open MQTT Scope in an editor.
//   - With a desktop VS Code (`code` on PATH): install the VSIX there and open the folder.
//   - Otherwise: serve VS Code in the browser with code-server (installed on first use under
//     .vscode-test/), the VSIX installed, and print the URL. Ctrl+C stops it.
// Options: --port <n> (default 8080, or the next free one), --folder <dir> (default playground/
// if it exists, else the current folder), --browser (use code-server even if `code` exists),
// --vsix <file> (skip the build, install this package).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './vscode-host/install.mjs';
import { freePortFrom, startCodeServer } from './vscode-host/server.mjs';
import { packageVsix } from './vscode-host/vsix.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    folder: { type: 'string' },
    browser: { type: 'boolean', default: false },
    vsix: { type: 'string' },
  },
});

function defaultFolder() {
  const playground = path.join(repoRoot, 'playground');
  return fs.existsSync(playground) ? playground : process.cwd();
}

/** True if a desktop VS Code CLI answers `code --version`. */
function hasDesktopCode() {
  const r = spawnSync('code', ['--version'], {
    stdio: 'ignore',
    shell: process.platform === 'win32',
    timeout: 15_000,
  });
  return r.status === 0;
}

function openInDesktop(vsix, folder) {
  const shell = process.platform === 'win32';
  const install = spawnSync('code', ['--install-extension', vsix, '--force'], {
    stdio: 'inherit',
    shell,
  });
  if (install.status !== 0) throw new Error('code --install-extension failed');
  spawnSync('code', [folder], { stdio: 'inherit', shell });
  console.log(`\nMQTT Scope is installed in VS Code; opened ${folder}.`);
}

async function serveInBrowser(vsix, folder) {
  const port = await freePortFrom(Number(opts.port));
  console.log('[start] starting code-server (first run installs it, ~2 min)…');
  // fresh: false keeps this profile (layout, your settings) between runs; one per port so two
  // instances never share a user-data dir.
  const server = await startCodeServer({
    workspace: folder,
    smokeTestDriver: false,
    label: `start-${port}`,
    fresh: false,
    port,
    installVsix: vsix,
    gallery: true,
    // The demo starts with VS Code. It is a machine setting (it opens a port), so it lives in
    // this profile's user settings: a folder's settings cannot start it.
    userSettings: { 'mqttScope.demo.autoStart': true },
  });
  const url = `${server.url}?folder=${encodeURI(folder)}`;
  const line = '─'.repeat(Math.min(url.length + 4, 100));
  console.log(`\n${line}\n  MQTT Scope is running in VS Code for the Web:\n\n  ${url}\n${line}`);
  console.log(`  folder: ${folder}\n  log:    ${server.logFile}\n  Press Ctrl+C to stop.\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[start] stopping code-server…');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await server.exited;
  if (!stopping) {
    console.error(`[start] code-server exited unexpectedly (${code}); see ${server.logFile}`);
    process.exit(1);
  }
}

const folder = path.resolve(opts.folder ?? defaultFolder());
let vsix = opts.vsix && path.resolve(opts.vsix);
if (!vsix) {
  console.log('[start] building and packaging the extension…');
  vsix = await packageVsix();
}
if (!opts.browser && hasDesktopCode()) openInDesktop(vsix, folder);
else await serveInBrowser(vsix, folder);
