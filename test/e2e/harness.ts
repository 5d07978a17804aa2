// Helpers for UI (end-to-end) tests: the packaged VSIX installed into a real code-server, the
// workbench driven in headless Chromium the way a person would (command palette, quick picks,
// activity bar, tree views, notifications), with screenshots saved to test-artifacts/.
//
// The server runs WITHOUT VS Code's smoke-test driver: that driver hides notification toasts.
// Selectors are the ones measured on VS Code 1.139 (code-server 4.139.1).
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { startMosquitto, type MosquittoBroker, type MosquittoOptions } from '../support/mosquitto';
import { freePort } from '../support/ports';
import { escapeRe, runCommand } from './quickInput';
import { clearLogFilters, messageLogFrame } from './waits';

export { test } from './order';
export * from './quickInput';

export const repoRoot = path.resolve(__dirname, '../..');
export const artifactsDir = path.join(repoRoot, 'test-artifacts');

interface CodeServerHandle {
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServerHandle;
  workspace: string;
  /** Closes the browser and stops code-server with all its processes. Safe to call twice. */
  close(): Promise<void>;
}

let vsixPromise: Promise<string> | undefined;

/**
 * The VSIX under test: `$MQTT_SCOPE_E2E_VSIX` when the runner (test/e2e/run.ts) already built
 * it, otherwise `node scripts/build.mjs --production` + `vsce package` once per process.
 */
export function ensureVsix(): Promise<string> {
  const prebuilt = process.env.MQTT_SCOPE_E2E_VSIX;
  if (prebuilt && fs.existsSync(prebuilt)) return Promise.resolve(prebuilt);
  vsixPromise ??= import('../../scripts/vscode-host/vsix.mjs').then((m) => m.packageVsix());
  return vsixPromise;
}

/** A fresh folder `.vscode-test/run/e2e-<name>-ws` whose `.vscode/settings.json` is `settings`. */
export function createWorkspace(name: string, settings: Record<string, unknown> = {}): string {
  const ws = path.join(repoRoot, '.vscode-test', 'run', `e2e-${name}-ws`);
  fs.rmSync(ws, { recursive: true, force: true });
  writeWorkspaceSettings(ws, settings);
  return ws;
}

/** (Re)writes the workspace settings; a running workbench picks the change up live. */
export function writeWorkspaceSettings(ws: string, settings: Record<string, unknown>): void {
  fs.mkdirSync(path.join(ws, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(ws, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Starts code-server with the VSIX installed, opens `workspace` in a new headless Chromium page
 * and waits until the workbench is rendered.
 */
export async function openWorkbench(o: {
  workspace: string;
  /** names the server's state folder `.vscode-test/run/<label>`; use one per test file */
  label?: string;
  /** default: ensureVsix() */
  vsix?: string;
  userSettings?: Record<string, unknown>;
  /** extra environment for code-server and the extension host */
  env?: Record<string, string>;
}): Promise<Workbench> {
  const { startCodeServer } = await import('../../scripts/vscode-host/server.mjs');
  const { launchBrowser, newWorkbenchPage } = await import('../../scripts/vscode-host/browser.mjs');
  const vsix = o.vsix ?? (await ensureVsix());
  const server = await startCodeServer({
    workspace: o.workspace,
    smokeTestDriver: false,
    label: o.label ?? path.basename(o.workspace).replace(/-ws$/, ''),
    installVsix: vsix,
    // reduceMotion: no animations, so what a test sees and screenshots is the settled state.
    userSettings: { 'workbench.reduceMotion': 'on', ...o.userSettings },
    ...(o.env ? { env: o.env } : {}),
  });
  let browser: Browser | undefined;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => {});
    await server.stop();
  };
  try {
    browser = await launchBrowser();
    const page = await newWorkbenchPage(browser);
    page.setDefaultTimeout(20_000);
    await page.goto(`${server.url}?folder=${encodeURIComponent(o.workspace)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    return { page, browser, server, workspace: o.workspace, close };
  } catch (err) {
    await close();
    throw err;
  }
}

export interface BrokerAndWorkbench {
  broker: MosquittoBroker;
  workspace: string;
  wb: Workbench;
}

/**
 * The setup most test files share: a Mosquitto started with `mosquitto`, a workspace `name`
 * whose settings are `settings(<the broker's mqtt:// URL>)`, and a workbench opened on it, in a
 * `before` hook; both closed in an `after` hook. The fields are set once the hook has run: read
 * them in tests, not at the top level.
 */
export function brokerAndWorkbench(
  name: string,
  settings: (url: string) => Record<string, unknown>,
  mosquitto: MosquittoOptions = {},
  /** runs last in the same hook (node:test may start a file's root hooks side by side) */
  ready: (env: BrokerAndWorkbench) => Promise<void> = async () => {},
): BrokerAndWorkbench {
  const env = {} as Partial<BrokerAndWorkbench>;
  before(async () => {
    env.broker = await startMosquitto(mosquitto);
    const values = settings(`mqtt://127.0.0.1:${env.broker.port}`);
    env.workspace = createWorkspace(name, values);
    env.wb = await openWorkbench({ workspace: env.workspace });
    // A profile from the folder's settings connects by itself once the user agreed.
    const profiles = (values['mqttScope.connections'] ?? []) as {
      name: string;
      autoConnect?: boolean;
    }[];
    for (const p of profiles.filter((p) => p.autoConnect))
      await allowAutoConnect(env.wb.page, p.name);
    await ready(env as BrokerAndWorkbench);
  });
  after(async () => {
    await env.wb?.close();
    await env.broker?.stop();
  });
  return env as BrokerAndWorkbench;
}

/**
 * The setup of the files that use the local broker rather than Mosquitto: a workspace `name`
 * with `settings` and a workbench opened on it, the local broker's port a free one (a machine
 * setting: VS Code reads it from the user's settings only), in a `before` hook; closed in an
 * `after` hook. Read `wb` in tests, not at the top level.
 */
export function localBrokerWorkbench(
  name: string,
  settings: Record<string, unknown> = {},
): { readonly wb: Workbench } {
  const env = {} as { wb: Workbench };
  before(async () => {
    env.wb = await openWorkbench({
      workspace: createWorkspace(name, settings),
      userSettings: { 'mqttScope.localBroker.port': await freePort() },
    });
  });
  after(async () => {
    await env.wb?.close();
  });
  return env;
}

/**
 * brokerAndWorkbench with one profile, "plant", that connects by itself and subscribes to
 * `plant/#` at QoS 1: the setup of the Message Log's test files. The hook returns once "plant"
 * is connected, so every test can publish at once, whichever runs first.
 */
export function plantWorkbench(
  name: string,
  more: (url: string) => Record<string, unknown>[] = () => [],
): BrokerAndWorkbench {
  return brokerAndWorkbench(
    name,
    (url) => ({
      'mqttScope.connections': [
        { name: 'plant', url, autoConnect: true, subscriptions: [{ topic: 'plant/#', qos: 1 }] },
        ...more(url),
      ],
    }),
    {},
    async ({ wb }) => {
      await openActivityContainer(wb.page, 'MQTT');
      await waitForTreeRow(wb.page, /plant\s*connected/, { timeout: 30_000 });
    },
  );
}

/**
 * Waits for "plant" to connect, opens the Message Log (the editor tab) from the palette with no
 * topic or payload filter left by an earlier test, and returns its document.
 */
export async function openPlantMessageLog(page: Page): Promise<FrameLocator> {
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /plant\s*connected/);
  await runCommand(page, 'MQTT: Open Message Log');
  const { frame: log } = await messageLogFrame(page, 'panel');
  await clearLogFilters(log);
  return log;
}

/** Saves what a person would see to test-artifacts/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(artifactsDir, `${name}.png`);
  fs.mkdirSync(artifactsDir, { recursive: true });
  // Finish fade-in/out transitions (toasts, quick input) instead of capturing them half-drawn.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}

/**
 * Shows the view container whose activity bar entry is `title` (e.g. 'MQTT'). Clicking an
 * already selected entry would hide the side bar, so it only clicks when not selected.
 */
export async function openActivityContainer(page: Page, title: string): Promise<void> {
  const item = page.locator('.part.activitybar li.action-item').filter({
    has: page.locator(
      `a.action-label[aria-label="${title}"], a.action-label[aria-label^="${title} ("]`,
    ),
  });
  await item.first().waitFor();
  if ((await item.first().getAttribute('aria-selected')) !== 'true') await item.first().click();
  await page
    .locator('.part.sidebar .composite.title h2', { hasText: new RegExp(escapeRe(title), 'i') })
    .first()
    .waitFor();
}

/**
 * Rows of the tree/list views in the side bar (or `scope`) as "label description" strings, e.g.
 * 'local disconnected'. (innerText would glue them: the two spans have no whitespace between.)
 */
export async function treeRowTexts(page: Page, scope = '.part.sidebar'): Promise<string[]> {
  return page.locator(`${scope} .monaco-list-row`).evaluateAll((rows) =>
    rows.map((row) => {
      const parts = ['.label-name', '.label-description']
        .map((sel) => row.querySelector(sel)?.textContent?.trim() ?? '')
        .filter(Boolean);
      const text = parts.length ? parts.join(' ') : ((row as HTMLElement).innerText ?? '');
      return text.replace(/\s+/g, ' ').trim();
    }),
  );
}

/** Waits until a side bar row containing `text` is visible and returns it (to click, expand…). */
export async function waitForTreeRow(
  page: Page,
  text: string | RegExp,
  o: { scope?: string; timeout?: number } = {},
): Promise<Locator> {
  const row = page
    .locator(`${o.scope ?? '.part.sidebar'} .monaco-list-row`, { hasText: text })
    .first();
  await row.waitFor({ state: 'visible', ...(o.timeout ? { timeout: o.timeout } : {}) });
  return row;
}

/**
 * Brings connection `name` (a row of the Connections view, which must be shown) to `state`
 * with the row's inline Connect / Disconnect action, unless it is there already.
 */
export async function setConnectionState(
  page: Page,
  name: string,
  state: 'connected' | 'disconnected',
): Promise<void> {
  const row = page
    .locator('.part.sidebar .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) })
    .first();
  await row.waitFor();
  const reached = new RegExp(`^${escapeRe(name)}\\s*${state}`);
  if (!reached.test(await row.innerText())) {
    await row.hover();
    const action = state === 'connected' ? 'Connect' : 'Disconnect';
    await row.locator(`.action-label[aria-label="${action}"]`).click();
  }
  await waitForTreeRow(page, new RegExp(`${escapeRe(name)}\\s*${state}`));
}

/**
 * Answers Connect to the question asked before a profile from the folder's settings connects by
 * itself for the first time.
 */
export async function allowAutoConnect(page: Page, profileName: string): Promise<void> {
  const toast = await waitForNotification(
    page,
    new RegExp(`connect "${escapeRe(profileName)}" to .* by itself`),
    { timeout: 30_000 },
  );
  await toast.locator('.monaco-button', { hasText: /^Connect$/ }).click();
}

/** Waits for a notification toast containing `text` and returns it. */
export async function waitForNotification(
  page: Page,
  text: string | RegExp,
  o: { timeout?: number } = {},
): Promise<Locator> {
  const toast = page
    .locator('.notifications-toasts .notification-toast', { hasText: text })
    .first();
  await toast.waitFor({ state: 'visible', ...(o.timeout ? { timeout: o.timeout } : {}) });
  return toast;
}

/**
 * The document inside a webview panel: webviews render in `iframe.webview`, which hosts the
 * extension's HTML in a nested `iframe#active-frame`. `index` picks among several webviews.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.frameLocator('iframe.webview.ready').nth(index).frameLocator('iframe#active-frame');
}

/**
 * Right-clicks `row` and picks `label` from its context menu. The menu closes when the workbench
 * moves the focus (a view or editor opening on incoming traffic), and a tooltip can cover the
 * row, so a menu that is gone before the pick, or a row that cannot be clicked, is tried again
 * (after Escape), up to three times.
 */
export async function pickContextMenuItem(page: Page, row: Locator, label: string): Promise<void> {
  const item = page.locator('.context-view .action-label', { hasText: new RegExp(`^${label}$`) });
  for (let attempt = 1; ; attempt++) {
    try {
      // A row's hover (a connection's tooltip) can lie over the row: Escape below closes it.
      await row.click({ button: 'right', timeout: 5_000 });
      await item.waitFor({ state: 'visible', timeout: 5_000 });
      // About time: VS Code ignores a click that comes right after the menu opened (against
      // accidental picks), and no event says when that guard ends; give it the moment a person
      // would take.
      await page.waitForTimeout(400);
      await item.click({ timeout: 2_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
