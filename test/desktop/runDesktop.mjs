// `npm run test:desktop`: the same in-host suites (dist/test/integration/index.js) in a desktop
// VS Code (Electron) via @vscode/test-electron, for machines with a display and internet (it
// downloads VS Code into .vscode-test/ on first use). The default runner,
// test/integration/run.ts, needs neither.
// Set VSCODE_EXECUTABLE_PATH to use an already installed VS Code instead of downloading one.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const extensionTestsPath = path.join(repoRoot, 'dist/test/integration/index.js');
const workspace = path.join(repoRoot, '.vscode-test/run/desktop-ws');

if (!fs.existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} is missing: run \`npm run build\` first.`);
  process.exit(1);
}
// A fresh empty folder, like the code-server runner, so no state leaks between runs.
fs.rmSync(workspace, { recursive: true, force: true });
fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
fs.writeFileSync(path.join(workspace, '.vscode/settings.json'), '{}\n');

try {
  const code = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    ...(process.env.VSCODE_EXECUTABLE_PATH
      ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH }
      : {}),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
  process.exit(code);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`\nDesktop VS Code tests could not run: ${message}`);
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|download/i.test(message)) {
    console.error(
      '@vscode/test-electron downloads VS Code from update.code.visualstudio.com, which is not ' +
        'reachable here. Set VSCODE_EXECUTABLE_PATH to an installed VS Code, or use ' +
        '`npm run test:integration` (code-server, works offline).',
    );
  }
  console.log('0 passed, 1 failed');
  process.exit(1);
}
