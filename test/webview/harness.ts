/**
 * Runs the Message Log webview in headless Chromium the way VS Code would: the host's HTML
 * shell with its real Content-Security-Policy and a nonce, the bundled script and stylesheets
 * served over http from 127.0.0.1, and `acquireVsCodeApi` bridged to the real Message Log binding
 * (src/host/messageLog, over a real MessageStore: see logHost.ts) in this Node process. Console errors, page errors and CSP violations are recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HostToWebview } from '../../src/protocol/messageLog';
import { LogHost } from './logHost';
import { DARK_MODERN } from './theme';
import { webviewShell } from '../../src/host/webviewShell';

export const repoRoot = path.resolve(__dirname, '../..');
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

// ---- static server -----------------------------------------------------------------------

const FILES: Record<string, string[]> = {
  '/webview/messageLog.js': ['dist/webview/messageLog.js'],
  '/webview/messageLog.js.map': ['dist/webview/messageLog.js.map'],
  '/webview/messageLog.css': ['media/messageLog.css', 'dist/webview/messageLog.css'],
  '/webview/shared.css': ['media/shared.css', 'dist/webview/shared.css'],
  '/webview/codicon.css': [
    'dist/webview/codicon.css',
    'node_modules/@vscode/codicons/dist/codicon.css',
  ],
  '/webview/codicon.ttf': [
    'dist/webview/codicon.ttf',
    'node_modules/@vscode/codicons/dist/codicon.ttf',
  ],
};
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.html': 'text/html; charset=utf-8',
};

/** The extension's own shell (src/host/webviewShell.ts) of the Message Log, served from here. */
export function shell(o: {
  cspSource: string;
  nonce: string;
  mode: 'panel' | 'view';
  lang?: string;
  l10n?: Record<string, string>;
}): string {
  const { mode, ...rest } = o;
  return webviewShell({
    ...rest,
    view: 'messageLog',
    title: 'Message Log',
    data: { mode },
    asset: (name) => `${o.cspSource}/webview/${name}`,
  });
}

export interface StaticServer {
  origin: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<StaticServer> {
  const jsPath = path.join(repoRoot, 'dist/webview/messageLog.js');
  if (!fs.existsSync(jsPath))
    throw new Error('dist/webview/messageLog.js is missing: run `node scripts/build.mjs` first.');
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/log.html') {
      const mode = url.searchParams.get('mode') === 'view' ? 'view' : 'panel';
      const nonce = crypto.randomBytes(16).toString('base64');
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      // A translation, as VS Code would hand it over in another display language.
      const lang = url.searchParams.get('lang') ?? undefined;
      const l10n = url.searchParams.get('l10n');
      res.end(
        shell({ cspSource: origin, nonce, mode, lang, l10n: l10n ? JSON.parse(l10n) : undefined }),
      );
      return;
    }
    const candidates = FILES[url.pathname];
    const file = candidates?.map((f) => path.join(repoRoot, f)).find((f) => fs.existsSync(f));
    if (!file) {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
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

// ---- the bridge ----------------------------------------------------------------------------

/** JSON with Uint8Array as {"__u8": base64}, both ways. */
export function encode(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v instanceof Uint8Array ? { __u8: Buffer.from(v).toString('base64') } : v,
  );
}

export function decode<T>(json: string): T {
  return JSON.parse(json, (_k, v: unknown) =>
    v && typeof v === 'object' && typeof (v as { __u8?: unknown }).__u8 === 'string'
      ? new Uint8Array(Buffer.from((v as { __u8: string }).__u8, 'base64'))
      : v,
  ) as T;
}

/**
 * Runs in the page before its scripts: the VS Code API (postMessage to the Node side, state
 * in sessionStorage so it survives a reload like VS Code's does), the theme variables, and the
 * recorders for CSP violations and rendered seqs.
 */
function initScript(theme: Record<string, string>): void {
  const w = window as unknown as Record<string, unknown>;
  const send = w.__mlSend as (json: string) => void;
  const recordState = w.__mlState as (json: string) => void;
  let acquired = false;
  w.__mlCsp = [];
  window.addEventListener('securitypolicyviolation', (e) => {
    const text = `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample}`;
    (w.__mlCsp as string[]).push(text);
    console.error(text);
  });
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m: unknown) => send(JSON.stringify(m)),
      getState: () => {
        const s = sessionStorage.getItem('vscodeState');
        return s ? JSON.parse(s) : undefined;
      },
      setState: (s: unknown) => {
        const json = JSON.stringify(s);
        sessionStorage.setItem('vscodeState', json);
        recordState(json);
        return s;
      },
    };
  };
  w.__mlDeliver = (json: string) => {
    const message = JSON.parse(json, (_k, v) => {
      if (v && typeof v === 'object' && typeof v.__u8 === 'string') {
        const bin = atob(v.__u8);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        return bytes;
      }
      return v;
    });
    window.postMessage(message, '*');
  };
  const applyTheme = () => {
    if (!document.documentElement) return;
    for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
    document.body?.classList.add('vscode-dark');
  };
  applyTheme();
  document.addEventListener('DOMContentLoaded', applyTheme);
}

export interface LogPage {
  page: Page;
  context: BrowserContext;
  host: LogHost;
  /** Console errors, page errors and CSP violations, in order. */
  errors: string[];
  /** Every state the webview saved with setState. */
  states: unknown[];
  close(): Promise<void>;
}

export interface OpenOptions {
  host?: LogHost;
  mode?: 'panel' | 'view';
  width?: number;
  height?: number;
  /** Device pixels per CSS pixel, as a zoomed window has (default 1). */
  deviceScaleFactor?: number;
  /** Wait for the grid to render (the webview has received `init`). */
  waitReady?: boolean;
  /** VS Code's display language and its translations (vscode.env.language, vscode.l10n.bundle). */
  lang?: string;
  l10n?: Record<string, string>;
}

export async function openLog(
  browser: Browser,
  server: StaticServer,
  o: OpenOptions = {},
): Promise<LogPage> {
  const host = o.host ?? new LogHost();
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: o.height ?? 800 },
    deviceScaleFactor: o.deviceScaleFactor ?? 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const states: unknown[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));

  let chain = Promise.resolve();
  host.channel.deliver = (message: HostToWebview) => {
    const json = encode(message);
    chain = chain
      .then(() =>
        page.evaluate(
          (j) => (window as unknown as { __mlDeliver(j: string): void }).__mlDeliver(j),
          json,
        ),
      )
      .catch((e: Error) => {
        if (!page.isClosed()) errors.push(`deliver: ${e.message}`);
      });
    return chain;
  };
  await page.exposeFunction('__mlSend', (json: string) => host.channel.send(decode(json)));
  await page.exposeFunction('__mlState', (json: string) => states.push(JSON.parse(json)));
  // tsx (esbuild, keepNames) wraps named functions in __name(): give the page one.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(initScript, DARK_MODERN);
  const query = new URLSearchParams({ mode: o.mode ?? 'panel' });
  if (o.lang) query.set('lang', o.lang);
  if (o.l10n) query.set('l10n', JSON.stringify(o.l10n));
  await page.goto(`${server.origin}/log.html?${query}`);
  if (o.waitReady !== false) await page.waitForSelector('.grid[aria-rowcount]');
  return {
    page,
    context,
    host,
    errors,
    states,
    close: () => context.close(),
  };
}

/**
 * Opens a log on `host`, lets it settle and runs `body`; then closes the page and disposes the
 * host, whatever happened.
 */
export async function withOpenLog<T>(
  env: { browser: Browser; server: StaticServer },
  host: LogHost,
  body: (log: LogPage) => Promise<T>,
): Promise<T> {
  const log = await openLog(env.browser, env.server, { host });
  try {
    await settle(log);
    return await body(log);
  } finally {
    await log.close();
    host.dispose();
  }
}

// ---- page helpers --------------------------------------------------------------------------

export interface RowInfo {
  seq: number;
  rowIndex: number;
  top: number;
  bottom: number;
  height: number;
  right: number;
  selected: boolean;
  text: string[];
}

/** The rows in the DOM, in row order, with their box and cells. */
export function domRows(page: Page): Promise<RowInfo[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.grid-row'))
      .map((r) => {
        const b = r.getBoundingClientRect();
        return {
          seq: Number(r.dataset.seq ?? -1),
          rowIndex: Number(r.getAttribute('aria-rowindex')),
          top: b.top,
          bottom: b.bottom,
          height: b.height,
          right: b.right,
          selected: r.getAttribute('aria-selected') === 'true',
          text: Array.from(r.querySelectorAll('.cell')).map((c) => c.textContent ?? ''),
        };
      })
      .sort((a, b) => a.rowIndex - b.rowIndex),
  );
}

/** How many rows the grid shows, once every one of them has its data (none still loading). */
export async function loadedRowCount(page: Page): Promise<number | undefined> {
  const rows = await domRows(page);
  return rows.every((r) => r.seq > 0) ? rows.length : undefined;
}

/** Seqs of the rows actually inside the grid's viewport (overscan rows left out). */
export async function visibleSeqs(page: Page): Promise<number[]> {
  const box = await page.evaluate(() => {
    const b = document.querySelector('.grid-rows')!.getBoundingClientRect();
    return { top: b.top, bottom: b.bottom };
  });
  return (await domRows(page))
    .filter((r) => r.top >= box.top - 1 && r.bottom <= box.bottom + 1)
    .map((r) => r.seq);
}

/** Polls `probe` until it returns a truthy value, or fails with `what`. */
export async function waitUntil<T>(
  probe: () => Promise<T> | T,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > end)
      throw new Error(`Timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until two animation frames have passed in the page (renders are frame-scheduled). */
export function frames(page: Page, n = 2): Promise<void> {
  return page.evaluate(
    (count) =>
      new Promise<void>((resolve) => {
        let left = count;
        const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Waits until the page rendered and no rows request is pending on the Node side. */
export async function settle(log: LogPage, quietMs = 60): Promise<void> {
  let count = -1;
  for (let i = 0; i < 100; i++) {
    await frames(log.page, 2);
    await new Promise((r) => setTimeout(r, quietMs));
    if (log.host.requests.length === count) {
      await frames(log.page, 2);
      return;
    }
    count = log.host.requests.length;
  }
}

/** Sets the grid's scrollTop (as a user dragging the scrollbar would) and lets it render. */
export async function scrollGridTo(log: LogPage, fraction: number): Promise<void> {
  await log.page.evaluate((f) => {
    const s = document.querySelector<HTMLElement>('.grid-scroller')!;
    s.scrollTop = (s.scrollHeight - s.clientHeight) * f;
  }, fraction);
  await settle(log);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `webview-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** One browser and one server per test file. */
export async function launch(): Promise<{
  browser: Browser;
  server: StaticServer;
  close(): Promise<void>;
}> {
  const { launchBrowser } = (await import('../../scripts/vscode-host/browser.mjs')) as {
    launchBrowser(o?: { headless?: boolean }): Promise<Browser>;
  };
  const browser = await launchBrowser();
  const server = await startServer();
  return {
    browser,
    server,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
