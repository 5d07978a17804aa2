/**
 * The Chart webview in headless Chromium as VS Code would show it: the extension's own shell
 * (src/host/webviewShell.ts) with its CSP and a nonce, the built chart.js and stylesheets (uPlot's
 * included) served from 127.0.0.1, and `acquireVsCodeApi` bridged to the REAL ChartBinding over
 * a real ChartSeriesSet, message store and traffic hub (test/support/chartRig.ts) in this Node
 * process. Console errors, page errors and CSP violations are recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { ChartSpec } from '../../src/core/charts/chartSeriesSet';
import { ChartBinding } from '../../src/host/chart/chartBinding';
import { untranslated } from '../../src/host/webviewChannel';
import { webviewShell } from '../../src/host/webviewShell';
import type { ChartData, ChartHostToWebview, ChartWebviewToHost } from '../../src/protocol/chart';
import { type ChartRig } from '../support/chartRig';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';
import { DARK_MODERN } from './theme';
import { repoRoot } from './harness';

const ASSETS = [
  'chart.js',
  'chart.js.map',
  'chart.css',
  'uPlot.css',
  'shared.css',
  'codicon.css',
  'codicon.ttf',
];
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
};

export interface ChartServer {
  origin: string;
  close(): Promise<void>;
}

export async function startChartServer(): Promise<ChartServer> {
  if (!fs.existsSync(path.join(repoRoot, 'dist/webview/chart.js')))
    throw new Error('dist/webview/chart.js is missing: run `node scripts/build.mjs` first.');
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/chart.html') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(
        webviewShell({
          view: 'chart',
          title: 'Chart',
          cspSource: origin,
          nonce: crypto.randomBytes(16).toString('base64'),
          asset: (name) => `${origin}/webview/${name}`,
        }),
      );
      return;
    }
    const name = url.pathname.replace(/^\/webview\//, '');
    if (!ASSETS.includes(name)) {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(name)] ?? 'application/octet-stream' });
    fs.createReadStream(path.join(repoRoot, 'dist/webview', name)).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function initScript(theme: Record<string, string>): void {
  const w = window as unknown as Record<string, unknown>;
  const send = w.__chartSend as (json: string) => void;
  w.__csp = [];
  window.addEventListener('securitypolicyviolation', (e) => {
    const text = `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`;
    (w.__csp as string[]).push(text);
    console.error(text);
  });
  w.acquireVsCodeApi = () => ({
    postMessage: (m: unknown) => send(JSON.stringify(m)),
    getState: () => undefined,
    setState: () => undefined,
  });
  w.__chartDeliver = (json: string) => window.postMessage(JSON.parse(json), '*');
  const applyTheme = () => {
    if (!document.documentElement) return;
    for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
    document.body?.classList.add('vscode-dark');
  };
  applyTheme();
  document.addEventListener('DOMContentLoaded', applyTheme);
}

export interface ChartPage {
  page: Page;
  rig: ChartRig;
  binding: ChartBinding;
  /** What the page sent, as the binding received it. */
  received: ChartWebviewToHost[];
  saved: { kind: string; bytes: Uint8Array }[];
  errors: string[];
  logger: RecordingLogger;
  /** The data messages the binding posted, in order. */
  dataPosted(): ChartData[];
  close(): Promise<void>;
}

/** Opens a chart of `spec` on `rig` (messages already in its store are the history). */
export async function openChart(
  browser: Browser,
  server: ChartServer,
  rig: ChartRig,
  spec: Partial<ChartSpec> & { topicFilter: string },
  o: { width?: number; height?: number } = {},
): Promise<ChartPage> {
  const set = rig.chart(spec);
  const channel = new RecordingChannel<ChartHostToWebview>();
  const saved: { kind: string; bytes: Uint8Array }[] = [];
  const errors: string[] = [];
  const logger = new RecordingLogger();
  const binding = new ChartBinding(channel, set, {
    save: async (kind, bytes) => {
      saved.push({ kind, bytes });
      return `file:///chart.${kind}`;
    },
    l10n: untranslated,
    showError: (m) => errors.push(`shown: ${m}`),
    logger,
  });
  const received: ChartWebviewToHost[] = [];
  binding.onDidReceive((m) => received.push(m));
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1000, height: o.height ?? 560 },
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  let chain: Promise<unknown> = Promise.resolve();
  channel.deliver = (message) => {
    const json = JSON.stringify(message);
    chain = chain
      .then(() =>
        page.evaluate(
          (j) => (window as unknown as { __chartDeliver(j: string): void }).__chartDeliver(j),
          json,
        ),
      )
      .catch((e: Error) => {
        if (!page.isClosed()) errors.push(`deliver: ${e.message}`);
      });
    return chain;
  };
  await page.exposeFunction('__chartSend', (json: string) => channel.send(JSON.parse(json)));
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(initScript, DARK_MODERN);
  await page.goto(`${server.origin}/chart.html`);
  return {
    page,
    rig,
    binding,
    received,
    saved,
    errors,
    logger,
    dataPosted: () => channel.posted.filter((m): m is ChartData => m.type === 'data'),
    close: async () => {
      binding.dispose();
      set.dispose();
      await context.close();
    },
  };
}

/** How many times uPlot drew (the page counts them on #app). */
export async function draws(page: Page): Promise<number> {
  return Number(await page.evaluate(() => document.getElementById('app')?.dataset.draws ?? 0));
}

export async function launchChartBrowser(): Promise<{
  browser: Browser;
  server: ChartServer;
  close(): Promise<void>;
}> {
  const { launchBrowser } = (await import('../../scripts/vscode-host/browser.mjs')) as {
    launchBrowser(o?: { headless?: boolean }): Promise<Browser>;
  };
  const browser = await launchBrowser();
  const server = await startChartServer();
  return {
    browser,
    server,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
