// Builds the production bundle and packages the extension as a .vsix with @vscode/vsce, the
// same artefact a user installs. Shared by `npm start` and the UI (e2e) tests.
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './install.mjs';

const require = createRequire(import.meta.url);

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    // stdin closed: vsce asks y/N questions (missing LICENSE, repository, ...) and would wait.
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${path.basename(args[0] ?? cmd)} failed (${code}):\n${out}`)),
    );
  });
}

function vsceBin() {
  const pkgFile = require.resolve('@vscode/vsce/package.json', { paths: [repoRoot] });
  const { bin } = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  return path.join(path.dirname(pkgFile), typeof bin === 'string' ? bin : bin.vsce);
}

/**
 * @param {object} [o]
 * @param {string} [o.extensionDir] defaults to the repo root
 * @param {string} [o.out] defaults to <extensionDir>/dist/mqtt-scope.vsix
 * @param {boolean} [o.build] run `scripts/build.mjs --production` first (default: only for the
 *   repo root)
 * @returns {Promise<string>} absolute path of the .vsix
 */
export async function packageVsix(o = {}) {
  const dir = path.resolve(o.extensionDir ?? repoRoot);
  const out = path.resolve(o.out ?? path.join(dir, 'dist', 'mqtt-scope.vsix'));
  const started = Date.now();
  if (o.build ?? dir === repoRoot) {
    await run(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--production'], dir);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // --no-dependencies: esbuild already bundled the runtime dependencies into dist/.
  // --allow-missing-repository: the package has no public repository field, so vsce's y/N
  // prompt is answered up front; relative README links (screenshots) stay relative.
  await run(
    process.execPath,
    [
      vsceBin(),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--no-rewrite-relative-links',
      '--out',
      out,
    ],
    dir,
  );
  console.log(`[vsix] ${path.relative(process.cwd(), out)} (${sec(started)} s)`);
  return out;
}

function sec(started) {
  return ((Date.now() - started) / 1000).toFixed(1);
}

// `npm run package`: node scripts/vscode-host/vsix.mjs
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageVsix().then(
    (out) => console.log(`Install it with: code --install-extension ${out}`),
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
