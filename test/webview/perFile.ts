/**
 * The per-file setup of the webview tests: one browser and one static server for the whole
 * file (node:test hooks), and pages opened on them. Kept apart from harness.ts, which the
 * frame bench imports too.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { LogHost } from './logHost';
import { launch, openLog, withOpenLog, type LogPage, type OpenOptions } from './harness';

export interface PerFile {
  /** Opens the Message Log in a new browser context (see openLog). */
  open(o?: OpenOptions): Promise<LogPage>;
  /**
   * Opens a log on `host`, lets it settle, runs `body`, asserts no console errors, page errors
   * or CSP violations, then closes the page and disposes the host.
   */
  withLog(host: LogHost, body: (log: LogPage) => Promise<void>): Promise<void>;
}

/**
 * One browser and one server for the calling test file: registers the `before` hook that
 * launches them and the `after` hook that closes them, so call it at the top level of the file.
 * Pages open once the launch is done (node 20 starts a file's top-level `before` hooks together).
 */
export function browserPerFile(): PerFile {
  let launching: ReturnType<typeof launch> | undefined;
  before(async () => {
    launching = launch();
    await launching;
  });
  after(async () => {
    const env = await launching?.catch(() => undefined);
    await env?.close();
  });
  const launched = () => {
    if (!launching)
      throw new Error('The browser is not launched yet: open pages in tests or hooks.');
    return launching;
  };
  return {
    async open(o = {}) {
      const env = await launched();
      return openLog(env.browser, env.server, o);
    },
    async withLog(host, body) {
      await withOpenLog(await launched(), host, async (log) => {
        await body(log);
        assert.deepEqual(log.errors, [], 'no console errors, page errors or CSP violations');
      });
    },
  };
}
