// Waiting on a condition in UI tests, like Playwright's expect.poll: the probe runs until it
// gives a value (not undefined/false), and a timeout names what never came.
import type { FrameLocator, Page } from 'playwright-core';

/** Runs `probe` every `interval` ms until it returns a value other than undefined/false. */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  o: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (o.timeout ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error; // a frame or element that is being replaced: try again
    }
    if (Date.now() > deadline)
      throw new Error(
        `Timed out waiting for ${what}${last instanceof Error ? ` (last error: ${last.message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, o.interval ?? 100));
  }
}

/**
 * The Message Log webview in `mode`: 'panel' (the editor tab) or 'view' (docked in the panel
 * area). Webviews are overlaid at the workbench level in no fixed order, so this finds the one
 * whose app runs in that mode.
 */
export async function messageLogFrame(
  page: Page,
  mode: 'panel' | 'view',
  o: { timeout?: number } = {},
): Promise<{ frame: FrameLocator; index: number }> {
  return pollUntil(
    `the Message Log (${mode}) to show`,
    async () => {
      const count = await page.locator('iframe.webview.ready').count();
      for (let i = 0; i < count; i++) {
        const frame = page
          .frameLocator('iframe.webview.ready')
          .nth(i)
          .frameLocator('iframe#active-frame');
        if ((await frame.locator(`#app[data-mode="${mode}"] [role="grid"]`).count()) > 0)
          return { frame, index: i };
      }
      return undefined;
    },
    o,
  );
}

/**
 * Empties the log's topic and payload filters and sets "All connections", which an earlier
 * test may have changed ("Show Messages" sets a topic and a connection).
 */
export async function clearLogFilters(log: FrameLocator): Promise<void> {
  for (const field of [
    log.getByRole('textbox', { name: 'Topic filter' }),
    log.getByRole('textbox', { name: 'Payload text' }),
  ]) {
    if ((await field.inputValue()) !== '') await field.fill('');
  }
  // By class, not role: folded away, it is hidden and has no role to look up.
  const connection = log.locator('select.connection-filter');
  if ((await connection.inputValue()) === '') return;
  // Where the toolbar has no room, the connection filter folds behind the Filters button.
  const more = log.locator('.filters-button');
  const folded = !(await connection.isVisible());
  if (folded) await more.click();
  await connection.selectOption('');
  if (folded) await more.click();
}
