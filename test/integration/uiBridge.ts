// The harness side of test/integration/ui.ts: a suite inside the extension host cannot type into
// a password into an input box, so it prints a request line, the harness (which drives
// the workbench page with Playwright) does it, and writes what it saw to the file the request
// names. Texts to type travel hex-encoded, so a test password never appears in a log verbatim.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const UI_REQUEST = '[mqtt-scope-test:ui] ';

export interface UiRequest {
  id: string;
  /** Folder where the answer file `<id>.json` goes. */
  dir: string;
  /**
   * `passwordPrompt`: answer (hex) or cancel (no answer) an input box for a password.
   * `panelText`: wait until the panel area shows `containsHex`, and give what it shows.
   */
  action: 'passwordPrompt' | 'panelText';
  answerHex?: string;
  containsHex?: string;
  /** How long to wait for the prompt to show. */
  waitMs: number;
}

export interface UiAnswer {
  shown: boolean;
  /** The visible text of the prompt. */
  text?: string;
  error?: string;
}

export async function handleUiRequest(page: Page, line: string): Promise<void> {
  const request = JSON.parse(line.slice(UI_REQUEST.length)) as UiRequest;
  let answer: UiAnswer;
  try {
    answer =
      request.action === 'panelText'
        ? await panelText(page, request)
        : await answerPrompt(page, request);
  } catch (error) {
    answer = { shown: false, error: String(error) };
  }
  fs.mkdirSync(request.dir, { recursive: true });
  // Written aside and renamed, so the test never reads a half-written answer.
  const file = path.join(request.dir, `${request.id}.json`);
  fs.writeFileSync(`${file}.part`, JSON.stringify(answer));
  fs.renameSync(`${file}.part`, file);
}

async function answerPrompt(page: Page, request: UiRequest): Promise<UiAnswer> {
  const input = page.locator('.quick-input-widget input[type="password"]');
  const shown = await input.waitFor({ state: 'visible', timeout: request.waitMs }).then(
    () => true,
    () => false,
  );
  if (!shown) return { shown: false };
  const text = (await page.locator('.quick-input-widget').innerText()).replace(/\s+/g, ' ');
  if (request.answerHex === undefined) {
    await input.press('Escape');
  } else {
    await input.fill(Buffer.from(request.answerHex, 'hex').toString('utf8'));
    await input.press('Enter');
  }
  await input.waitFor({ state: 'hidden', timeout: 5_000 });
  return { shown: true, text };
}

/** What the visible panel (Output, Problems, …) shows, once it contains the text asked for. */
async function panelText(page: Page, request: UiRequest): Promise<UiAnswer> {
  const wanted = Buffer.from(request.containsHex ?? '', 'hex').toString('utf8');
  const panel = page.locator('.part.panel');
  const deadline = Date.now() + request.waitMs;
  let text = '';
  for (;;) {
    const visible = await panel.isVisible();
    text = visible ? (await panel.innerText()).replace(/\s+/g, ' ') : '';
    if (visible && text.includes(wanted)) return { shown: true, text };
    if (Date.now() > deadline) return { shown: false, text };
    await page.waitForTimeout(100);
  }
}
