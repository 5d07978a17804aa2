// Bundles the extension host code, the webview code and the in-host test suites with esbuild.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild problems in the shape VS Code's `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * The webviews, one line per view: its name and entry file. The build makes
 * dist/webview/<name>.js from the entry and copies media/<name>.css to dist/webview/<name>.css;
 * the page (src/host/webviewShell.ts) loads both by the view's name.
 */
const VIEWS = [
  { name: 'messageLog', entry: 'src/webview/messageLog/main.ts' },
  { name: 'packetTrace', entry: 'src/webview/packetTrace/main.ts' },
  { name: 'floods', entry: 'src/webview/floods/main.ts' },
  { name: 'chart', entry: 'src/webview/chart/main.ts' },
];

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // Tests payload filters on a worker thread the host can stop (src/core/log/payloadMatcher.ts).
    ...common,
    entryPoints: ['src/core/log/payloadMatchWorker.ts'],
    outfile: 'dist/payloadMatchWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // The command-line runner (`mqtt-scope`, the package's bin): the core without vscode.
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Some dependencies ship only ESM that reads import.meta.url (fdir, under tinyglobby).
    banner: {
      js: "#!/usr/bin/env node\nconst importMetaUrl = require('url').pathToFileURL(__filename).href;",
    },
    define: { 'import.meta.url': 'importMetaUrl' },
  },
  ...VIEWS.map((view) => ({
    ...common,
    entryPoints: [view.entry],
    outfile: `dist/webview/${view.name}.js`,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  })),
];

if (!production) {
  // The suites that run inside a real VS Code extension host. Mocha stays external: it is
  // resolved from node_modules at run time.
  builds.push({
    ...common,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'dist/test/integration/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}

const fs = await import('node:fs');
const existing = fs.existsSync;

// The webviews' static files: each view's stylesheet and the codicon font, served from
// dist/webview so the VSIX carries only dist/ and media/.
fs.mkdirSync('dist/webview', { recursive: true });
for (const [from, to] of [
  ['node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf'],
  ['media/shared.css', 'dist/webview/shared.css'],
  ['node_modules/uplot/dist/uPlot.min.css', 'dist/webview/uPlot.css'],
  ...VIEWS.map((view) => [`media/${view.name}.css`, `dist/webview/${view.name}.css`]),
]) {
  if (existing(from)) fs.copyFileSync(from, to);
}
const active = builds.filter((b) => b.entryPoints.every((e) => existing(e)));
if (watch) {
  for (const b of active) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(active.map((b) => esbuild.build(b)));
}
// `npx mqtt-scope` runs dist/cli.js directly: it must be executable.
if (existing('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
