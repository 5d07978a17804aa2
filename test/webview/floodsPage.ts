/**
 * The Who Floods webview in headless Chromium as VS Code would run it: the extension's own shell
 * (src/host/webviewShell.ts, real CSP and nonce), the bundled dist/webview/floods.js and its
 * stylesheets served from 127.0.0.1, and `acquireVsCodeApi` bridged to the real FloodsBinding
 * over real TopicRates fed by a TrafficEmitter, on a fake clock the test advances.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { TopicRates } from '../../src/core/rates/topicRates';
import { TrafficEmitter } from '../../src/core/traffic/trafficEmitter';
import { FloodsBinding } from '../../src/host/floods/floodsBinding';
import { webviewShell } from '../../src/host/webviewShell';
import type { FloodsHostToWebview, FloodsWebviewToHost } from '../../src/protocol/floods';
import { FakeScheduler } from '../unit/fakeScheduler';
import { RecordingChannel } from '../support/recordingChannel';
import { repoRoot } from './harness';
import { DARK_MODERN } from './theme';

const FILES: Record<string, string> = {
  '/webview/floods.js': 'dist/webview/floods.js',
  '/webview/floods.css': 'media/floods.css',
  '/webview/shared.css': 'media/shared.css',
  '/webview/codicon.css': 'dist/webview/codicon.css',
  '/webview/codicon.ttf': 'dist/webview/codicon.ttf',
};

export interface FloodsPage {
  page: Page;
  scheduler: FakeScheduler;
  rates: TopicRates;
  binding: FloodsBinding;
  /** What the page posted, checked or not. */
  received: FloodsWebviewToHost[];
  opened: [string, string][];
  /** What the page posted and the host has not been handed yet (`hold`), oldest first. */
  held: FloodsWebviewToHost[];
  /** Keeps the page's messages of these types from the host until `release`. */
  hold(...types: FloodsWebviewToHost['type'][]): void;
  /** Hands the held messages to the host, in order, and holds no more. */
  release(): void;
  /** Console errors, page errors and CSP violations. */
  errors: string[];
  receive(connection: string, topic: string, n: number, bytes?: number): void;
  close(): Promise<void>;
}

export async function openFloods(browser: Browser): Promise<FloodsPage> {
  if (!fs.existsSync(path.join(repoRoot, FILES['/webview/floods.js'])))
    throw new Error('dist/webview/floods.js is missing: run `node scripts/build.mjs` first.');
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/floods.html') {
      const nonce = crypto.randomBytes(16).toString('base64');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        webviewShell({
          view: 'floods',
          title: 'Who Floods',
          cspSource: origin,
          nonce,
          lang: 'en',
          asset: (name) => `${origin}/webview/${name}`,
        }),
      );
      return;
    }
    const file = FILES[url.pathname];
    if (!file) {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
      res.end();
      return;
    }
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.css')
        ? 'text/css'
        : 'font/ttf';
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(path.join(repoRoot, file)).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const scheduler = new FakeScheduler();
  const hub = new TrafficEmitter<{ name: string }>();
  const rates = new TopicRates(hub.event, { scheduler });
  const channel = new RecordingChannel<FloodsHostToWebview>();
  const opened: [string, string][] = [];
  const binding = new FloodsBinding(channel, rates, {
    openLog: (connection, topic) => void opened.push([connection, topic]),
    showError: () => undefined,
  });
  const received: FloodsWebviewToHost[] = [];
  const context = await browser.newContext({ viewport: { width: 1000, height: 420 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  let chain = Promise.resolve();
  channel.deliver = (message) => {
    const json = JSON.stringify(message);
    chain = chain
      .then(() => page.evaluate((j) => window.postMessage(JSON.parse(j), '*'), json))
      .catch((e: Error) => void (page.isClosed() || errors.push(`deliver: ${e.message}`)));
    return chain;
  };
  const held: FloodsWebviewToHost[] = [];
  const holding = new Set<string>();
  await page.exposeFunction('__floodsSend', (json: string) => {
    const data = JSON.parse(json) as FloodsWebviewToHost;
    received.push(data);
    if (holding.has(data.type)) held.push(data);
    else channel.send(data);
  });
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript((theme: Record<string, string>) => {
    const w = window as unknown as Record<string, unknown>;
    window.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
    // Kept across a reload, as VS Code keeps a webview's state.
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__floodsSend as (j: string) => void)(JSON.stringify(m)),
      getState: (): unknown => JSON.parse(sessionStorage.getItem('state') ?? 'null'),
      setState: (s: unknown) => sessionStorage.setItem('state', JSON.stringify(s)),
    });
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add('vscode-dark');
    });
  }, DARK_MODERN);
  await page.goto(`${origin}/floods.html`);
  return {
    page,
    scheduler,
    rates,
    binding,
    received,
    opened,
    held,
    hold: (...types) => types.forEach((t) => holding.add(t)),
    release: () => {
      holding.clear();
      for (const m of held.splice(0)) channel.send(m);
    },
    errors,
    receive: (connection, topic, n, bytes = 20) => {
      for (let i = 0; i < n; i++)
        hub.fire(
          {
            kind: 'in',
            topic,
            payload: new Uint8Array(bytes),
            qos: 0,
            retain: false,
            dup: false,
            receivedAt: 0,
          },
          { name: connection },
        );
    },
    close: async () => {
      binding.dispose();
      rates.dispose();
      await context.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
