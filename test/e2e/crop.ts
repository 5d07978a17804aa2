// Crops of the workbench for the walkthrough's pictures (media/walkthrough/): a region of the
// page around the UI a step is about, saved to test-artifacts/walkthrough-media/<name>.png.
// Taken at 1.5 device pixels per CSS pixel: the walkthrough shows its images as `srcset … 1.5x`,
// so a 1x picture would be drawn at two thirds of the size of the UI it shows.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir } from './harness';

export async function saveCrop(
  page: Page,
  name: string,
  region: Locator,
  o: { maxHeight?: number; pad?: number } = {},
): Promise<string> {
  const box = await region.boundingBox();
  if (!box) throw new Error(`${name}: the region to crop is not visible`);
  const pad = o.pad ?? 0;
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const x = Math.max(0, box.x - pad);
  const y = Math.max(0, box.y - pad);
  const clip = {
    x,
    y,
    width: Math.min(box.width + 2 * pad, viewport.width - x),
    height: Math.min(box.height + 2 * pad, o.maxHeight ?? Infinity, viewport.height - y),
  };
  const file = path.join(artifactsDir, 'walkthrough-media', `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Page.captureScreenshot draws the clip at `scale` device pixels per CSS pixel.
  const cdp = await page.context().newCDPSession(page);
  try {
    const shot = (await cdp.send('Page.captureScreenshot', {
      format: 'png',
      clip: { ...clip, scale: 1.5 },
    })) as { data: string };
    fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
  } finally {
    await cdp.detach();
  }
  return file;
}
