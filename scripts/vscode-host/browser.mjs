// Headless Chromium for driving the code-server workbench. playwright-core never downloads a
// browser; it drives the system one (Debian: `apt-get install chromium`).
import fs from 'node:fs';
import { chromium } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

export function chromiumPath() {
  const found = CANDIDATES.find((p) => p && fs.existsSync(p));
  if (!found) {
    throw new Error(
      'No Chromium found. Install it (Debian: `sudo apt-get install chromium`) or set CHROMIUM_PATH.',
    );
  }
  return found;
}

// --no-sandbox: containers/CI rarely allow Chromium's user-namespace sandbox.
// --disable-dev-shm-usage: /dev/shm is tiny in containers and the workbench is heavy.
// The rest stops Chromium phoning home (there is no internet here, and it only adds noise).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** @param {{ headless?: boolean }} [o] */
export function launchBrowser(o = {}) {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: o.headless ?? process.env.HEADFUL !== '1',
    args: CHROMIUM_ARGS,
  });
}

/** A page sized like a laptop screen so screenshots look like what a person sees. */
export async function newWorkbenchPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}
