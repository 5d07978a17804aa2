/**
 * Finds text whose glyphs are cut off by the box that holds it. For each element, the box that
 * clips it is the intersection of its own box and its clipping ancestors' boxes (overflow other
 * than visible, or paint containment), up to the pane that scrolls it. The element is then
 * painted alone, with nothing clipped, and the screenshot's pixel rows that carry its ink are
 * compared with that box: ink above or below the box is ink the user does not see.
 *
 * Form fields draw their text in an inner box the page cannot unclip, so for them the check is
 * the other one: the content box is at least as tall as the line box of the field's font.
 */
import type { Page } from 'playwright-core';

export interface Clipped {
  what: string;
  text: string;
  /** Rows of ink (device pixels) above and below the clipping box. */
  above: number;
  below: number;
}

/** The panes whose scrolling legitimately hides text: the search for clippers stops there. */
const PANES = '.detail, .grid-rows, body';
const PROBE_CLASS = 'ink-probe';

/** Installs the probe stylesheet (a constructed sheet: the page's CSP allows no <style>). */
async function installProbe(page: Page): Promise<void> {
  await page.evaluate((cls) => {
    const doc = document as Document & { __inkSheet?: CSSStyleSheet };
    if (doc.__inkSheet) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(`
      html.${cls} * { visibility: hidden !important; transition: none !important; }
      html.${cls} [data-ink-target], html.${cls} [data-ink-target] * {
        visibility: visible !important;
      }
      html.${cls} [data-ink-open] { overflow: visible !important; contain: none !important; }
      html.${cls}.ink-blank [data-ink-target],
      html.${cls}.ink-blank [data-ink-target] * { visibility: hidden !important; }
    `);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    doc.__inkSheet = sheet;
  }, PROBE_CLASS);
}

interface Target {
  what: string;
  text: string;
  /** The clipping box, relative to the element's own top (CSS px). */
  clipTop: number;
  clipBottom: number;
  left: number;
  right: number;
  /** The element's top now (CSS px), set while it is probed. */
  top: number;
}

/**
 * Measures every element of `selector`: its clipping box (undefined when a pane has scrolled it
 * partly out of view, or it is not rendered). Numbers the elements with data-ink-index.
 */
function measureTargets(page: Page, selector: string): Promise<(Target | undefined)[]> {
  return page.evaluate(
    ({ selector, panes }) => {
      const clips = (n: HTMLElement) => {
        const cs = getComputedStyle(n);
        return (
          cs.overflowX !== 'visible' ||
          cs.overflowY !== 'visible' ||
          /paint|strict|content/.test(cs.contain)
        );
      };
      return Array.from(document.querySelectorAll<HTMLElement>(selector)).map((el, index) => {
        el.setAttribute('data-ink-index', String(index));
        const own = el.getBoundingClientRect();
        if (own.height === 0 || own.width === 0) return undefined;
        let top = -Infinity;
        let bottom = Infinity;
        let left = own.left;
        let right = own.right;
        for (let n: HTMLElement | null = el; n; n = n.parentElement) {
          if (n !== el && n.matches(panes)) {
            // Text the pane has scrolled (partly) out of view is not clipped text.
            const pane = n.getBoundingClientRect();
            if (own.top < pane.top || own.bottom > pane.bottom) return undefined;
            break;
          }
          if (clips(n)) {
            const b = n.getBoundingClientRect();
            const boxTop = b.top + n.clientTop;
            top = Math.max(top, boxTop);
            bottom = Math.min(bottom, boxTop + (n.clientHeight || b.height));
            left = Math.max(left, b.left);
            right = Math.min(right, b.right);
          }
        }
        return {
          what: `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} #${index}`,
          text: (el.textContent ?? '').slice(0, 60),
          clipTop: top - own.top,
          clipBottom: bottom - own.top,
          left,
          right,
          top: own.top,
        };
      });
    },
    { selector, panes: PANES },
  );
}

/** Paints only the elements numbered `indexes`, with their clippers opened; their tops now. */
function probe(page: Page, selector: string, indexes: number[] | undefined): Promise<number[]> {
  return page.evaluate(
    ({ selector, indexes, panes, cls }) => {
      const html = document.documentElement;
      for (const n of Array.from(document.querySelectorAll('[data-ink-target], [data-ink-open]'))) {
        n.removeAttribute('data-ink-target');
        n.removeAttribute('data-ink-open');
      }
      if (!indexes) {
        html.classList.remove(cls, 'ink-blank');
        return [];
      }
      const all = Array.from(document.querySelectorAll<HTMLElement>(selector));
      const els = indexes.map((i) => all[i]);
      for (const el of els) {
        el.setAttribute('data-ink-target', '');
        for (
          let n: HTMLElement | null = el;
          n && !(n !== el && n.matches(panes));
          n = n.parentElement
        )
          n.setAttribute('data-ink-open', '');
      }
      html.classList.add(cls);
      html.classList.remove('ink-blank');
      return els.map((el) => el.getBoundingClientRect().top);
    },
    { selector, indexes, panes: PANES, cls: PROBE_CLASS },
  );
}

interface Region {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  boxTop: number;
  boxBottom: number;
}

/** Rows of ink above and below each region's box, from a painted and a blank screenshot. */
function inkOutside(
  page: Page,
  painted: Buffer,
  blank: Buffer,
  regions: Region[],
): Promise<{ above: number; below: number }[]> {
  return page.evaluate(
    async ({ a, b, regions }) => {
      const decode = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bmp.width, bmp.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bmp, 0, 0);
        return ctx.getImageData(0, 0, bmp.width, bmp.height);
      };
      const [pa, pb] = await Promise.all([decode(a), decode(b)]);
      const inkAt = (x: number, y: number) => {
        const i = (y * pa.width + x) * 4;
        // Faint anti-aliasing fringes are not glyphs.
        return (
          Math.max(
            Math.abs(pa.data[i] - pb.data[i]),
            Math.abs(pa.data[i + 1] - pb.data[i + 1]),
            Math.abs(pa.data[i + 2] - pb.data[i + 2]),
          ) > 40
        );
      };
      return regions.map((r) => {
        let above = 0;
        let below = 0;
        for (let y = Math.max(0, r.y0); y < Math.min(pa.height, r.y1); y++) {
          // Half a device pixel of slack: box edges fall between pixel rows.
          const out = y + 1 <= r.boxTop + 0.5 ? 'above' : y >= r.boxBottom - 0.5 ? 'below' : '';
          if (!out) continue;
          let ink = false;
          for (let x = Math.max(0, r.x0); x < Math.min(pa.width, r.x1) && !ink; x++)
            ink = inkAt(x, y);
          if (ink && out === 'above') above++;
          if (ink && out === 'below') below++;
        }
        return { above, below };
      });
    },
    { a: painted.toString('base64'), b: blank.toString('base64'), regions },
  );
}

const MARGIN = 24;

/** Splits targets into groups whose examined regions do not overlap: each group is one shot. */
function groups(targets: (Target | undefined)[]): number[][] {
  const out: { members: number[]; rects: { x0: number; x1: number; y0: number; y1: number }[] }[] =
    [];
  targets.forEach((t, i) => {
    if (!t) return;
    const r = {
      x0: t.left,
      x1: t.right,
      y0: t.top + Math.max(t.clipTop, -MARGIN) - MARGIN,
      y1: t.top + Math.min(t.clipBottom, 400) + MARGIN,
    };
    const free = out.find((g) =>
      g.rects.every((o) => r.x1 <= o.x0 || r.x0 >= o.x1 || r.y1 <= o.y0 || r.y0 >= o.y1),
    );
    if (free) {
      free.members.push(i);
      free.rects.push(r);
    } else out.push({ members: [i], rects: [r] });
  });
  return out.map((g) => g.members);
}

/** Field text: its content box must hold a line box of its font. */
async function fieldShortfall(page: Page, selector: string): Promise<Clipped[]> {
  return page.evaluate((selector) => {
    const out: { what: string; text: string; above: number; below: number }[] = [];
    document.querySelectorAll<HTMLElement>(selector).forEach((el, i) => {
      if (el.getClientRects().length === 0) return;
      const cs = getComputedStyle(el);
      const probe = document.createElement('span');
      probe.textContent = 'Ag_|y';
      probe.style.font = cs.font;
      probe.style.lineHeight = 'normal';
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'pre';
      document.body.appendChild(probe);
      const line = probe.getBoundingClientRect().height;
      probe.remove();
      const content = el.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
      if (content + 0.5 < line)
        out.push({
          what: `${el.tagName.toLowerCase()}.${Array.from(el.classList).join('.')} #${i}`,
          text: (el as HTMLInputElement).value || (el as HTMLInputElement).placeholder || '',
          above: 0,
          below: Math.ceil(line - content),
        });
    });
    return out;
  }, selector);
}

/**
 * Every element of `selector` (fields: input, select) whose text is cut off. Leaves the page
 * as it found it.
 */
export async function clippedText(page: Page, selector: string): Promise<Clipped[]> {
  // The functions below are bundled by tsx with keepNames: the page needs its __name helper.
  await page.evaluate('window.__name = window.__name || ((f) => f)');
  const fields = `:is(${selector}):is(input:not([type=checkbox], [type=radio]), select, textarea)`;
  const found = await fieldShortfall(page, fields);
  await installProbe(page);
  const texts = `:is(${selector}):not(input, select, textarea)`;
  const targets = await measureTargets(page, texts);
  const dpr = await page.evaluate(() => devicePixelRatio);
  try {
    for (const group of groups(targets)) {
      const tops = await probe(page, texts, group);
      const painted = await page.screenshot({ animations: 'disabled', caret: 'hide' });
      await page.evaluate(() => document.documentElement.classList.add('ink-blank'));
      const blank = await page.screenshot({ animations: 'disabled', caret: 'hide' });
      const regions = group.map((i, k): Region => {
        const t = targets[i]!;
        // Unclipped, the element may sit elsewhere (a scrollbar gone): its top as probed.
        const top = tops[k];
        return {
          x0: Math.floor(t.left * dpr),
          x1: Math.ceil(t.right * dpr),
          y0: Math.floor((top + Math.max(t.clipTop, -MARGIN) - MARGIN) * dpr),
          y1: Math.ceil((top + Math.min(t.clipBottom, 400) + MARGIN) * dpr),
          boxTop: (top + t.clipTop) * dpr,
          boxBottom: (top + t.clipBottom) * dpr,
        };
      });
      const ink = await inkOutside(page, painted, blank, regions);
      group.forEach((i, k) => {
        const { above, below } = ink[k];
        const t = targets[i]!;
        if (above > 0 || below > 0) found.push({ what: t.what, text: t.text, above, below });
      });
    }
  } finally {
    await probe(page, texts, undefined);
  }
  return found;
}
