// The quick input of the workbench as a person uses it: the command palette, quick picks and
// input boxes (selectors measured on VS Code 1.139).
import type { Locator, Page } from 'playwright-core';
import { pollUntil } from './waits';

export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The quick input's text box (command palette, quick pick or input box). */
function quickInputBox(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** Quick-input rows whose label is exactly `label`, or `<Category>: label` for commands. */
export function quickInputRow(page: Page, label: string): Locator {
  const exact = new RegExp(`^(?:[^:]+: )?${escapeRe(label)}$`);
  // Visible ones only: the list keeps rows of an earlier quick pick, hidden.
  return page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }), visible: true });
}

/**
 * Runs a command through the palette, as a user would: F1, type the title, click the row.
 * `title` may include the category ("MQTT: Connect") or not ("Connect").
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  const box = quickInputBox(page);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape'); // close a quick input left open by an earlier step
    // A key pressed while a webview is still taking the focus can be lost, and a palette that
    // opened can close again when the webview takes the focus after all; the title bar's
    // command center opens the same quick input by a click.
    if (attempt === 1) await page.keyboard.press('F1');
    else await page.locator('.part.titlebar .command-center').first().click();
    try {
      await box.waitFor({ state: 'visible', timeout: 5_000 });
      // fill() instead of keyboard typing: no race with the palette still opening, and the
      // '>' prefix (which selects "commands" mode) stays.
      await box.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await quickInputRow(page, title).first().click();
  // Wait until the palette is gone (or replaced by the command's own quick pick / input box),
  // so the next step does not read the palette's rows.
  await page.waitForFunction(() => {
    const input = document.querySelector<HTMLInputElement>(
      '.quick-input-widget .quick-input-box input',
    );
    return !input || input.offsetParent === null || !input.value.startsWith('>');
  });
}

/** Types into the open quick input (input box or quick pick filter); Enter submits it. */
export async function typeInQuickInput(
  page: Page,
  text: string,
  o: { submit?: boolean } = {},
): Promise<void> {
  const box = quickInputBox(page);
  await box.waitFor({ state: 'visible' });
  await box.fill(text);
  if (o.submit ?? true) await box.press('Enter');
}

/** Clicks the quick pick item labelled `label` (waits for it to appear). */
export async function pickQuickInputItem(page: Page, label: string): Promise<void> {
  await quickInputRow(page, label).first().click();
}

/** Labels of the rows of the open quick pick, once the list has stopped changing. */
export async function quickInputItems(page: Page): Promise<string[]> {
  const labels = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
  await labels.first().waitFor({ state: 'visible' });
  let last = await labels.allTextContents();
  for (let i = 0; i < 20; i++) {
    // About time: "stopped changing" means the same rows 100 ms apart (the list fills in steps).
    await page.waitForTimeout(100);
    const now = await labels.allTextContents();
    if (now.join('\n') === last.join('\n')) return now;
    last = now;
  }
  return last;
}

/**
 * After a command that asks "which connection?" only when several would do: picks `name` when
 * the quick pick shows, and returns once `next` (what the command shows then) is visible.
 */
export async function pickConnectionIfAsked(
  page: Page,
  name: string,
  next: Locator,
): Promise<void> {
  const row = quickInputRow(page, name).first();
  const asked = await pollUntil(`"${name}" to pick, or what the command shows next`, async () =>
    (await next.isVisible()) ? 'no' : (await row.isVisible()) ? 'yes' : undefined,
  );
  if (asked === 'yes') await row.click();
  await next.waitFor();
}

/** The title of Publish's step `n` of 4 (each step is a new quick input). */
export function publishStep(page: Page, n: number): Locator {
  return page.locator('.quick-input-widget .quick-input-title', { hasText: `(${n}/4)` });
}

/**
 * Answers Publish's four steps (topic, payload, QoS, retain), waiting for each one's title so
 * typing cannot land in the last, then — on an MQTT 5 connection — publishes without properties.
 */
export async function answerPublishSteps(
  page: Page,
  o: { topic: string; payload: string; qos: 0 | 1 | 2; retain?: boolean; mqtt5?: boolean },
): Promise<void> {
  await publishStep(page, 1).waitFor();
  await typeInQuickInput(page, o.topic);
  await publishStep(page, 2).waitFor();
  await typeInQuickInput(page, o.payload);
  await publishStep(page, 3).waitFor();
  await pickQuickInputItem(page, String(o.qos));
  await publishStep(page, 4).waitFor();
  await pickQuickInputItem(page, o.retain ? 'Retained' : 'Not retained');
  if (o.mqtt5 !== false) await pickQuickInputItem(page, 'Publish');
}
