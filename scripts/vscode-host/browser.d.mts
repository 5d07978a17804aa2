// Types for browser.mjs, so the TypeScript harness (test/**) can import it under `strict`.
import type { Browser, Page } from 'playwright-core';

export declare const CHROMIUM_ARGS: string[];
export declare function chromiumPath(): string;
export declare function launchBrowser(o?: { headless?: boolean }): Promise<Browser>;
export declare function newWorkbenchPage(browser: Browser): Promise<Page>;
