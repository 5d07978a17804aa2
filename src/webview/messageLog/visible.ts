/**
 * Makes characters that could hide or reorder text visible: C0/C1 controls, bidi embeddings,
 * overrides and isolates, zero-width and other invisible format characters. Topics, connection
 * names, property values and payload text reach the webview raw; they pass through here before
 * they are shown, so "\u202E" shows as a chip instead of reversing what follows it.
 */
import { el } from './dom';

const INVISIBLE_SOURCE =
  '[\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u115f\\u1160\\u180e' +
  '\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb]' +
  // Khmer inherent vowels: invisible combining marks, so not inside the class.
  '|\\u17b4|\\u17b5' +
  // Lone surrogates (not valid text; a browser draws them as nothing or a box).
  '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

/** The escape shown for an invisible character, e.g. `\u202e`. */
export function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/** Longest text a single-line cell shows; a 65,535-byte topic is cut, not laid out whole. */
export const CELL_CHARS = 512;

/** One-line text for a grid cell or a title: every invisible character (newlines too) escaped. */
export function visibleLine(text: string, max = CELL_CHARS): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  const shown = cut.replace(new RegExp(INVISIBLE_SOURCE, 'g'), escapeChar);
  return cut.length < text.length ? `${shown}…` : shown;
}

export interface AppendOptions {
  /** Keep line feeds and tabs as they are (payload text in a <pre>). */
  multiline?: boolean;
  /**
   * Most chips to create; further invisible characters are still escaped, as plain text, so a
   * payload full of control bytes cannot create a node per byte.
   */
  chipBudget?: { left: number };
}

/**
 * Appends `text` to `parent` as text nodes, with each invisible character as a chip
 * (`<span class="chip">\u202e</span>`). Returns the number of chips made.
 */
export function appendVisible(parent: Node, text: string, o: AppendOptions = {}): number {
  const re = new RegExp(INVISIBLE_SOURCE, 'g');
  const budget = o.chipBudget ?? { left: 2000 };
  let chips = 0;
  let last = 0;
  let plain = '';
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const c = m[0];
    const code = c.charCodeAt(0);
    if (o.multiline && (code === 0x0a || code === 0x09)) continue;
    if (o.multiline && code === 0x0d && text.charCodeAt(m.index + 1) === 0x0a) continue;
    plain += text.slice(last, m.index);
    last = m.index + c.length;
    if (budget.left <= 0) {
      plain += escapeChar(c);
      continue;
    }
    if (plain) parent.appendChild(document.createTextNode(plain));
    plain = '';
    const chip = el('span', 'chip', escapeChar(c));
    const name = NAMES[code];
    chip.title = name ? `${name} (U+${hex4(code)})` : `U+${hex4(code)}`;
    parent.appendChild(chip);
    budget.left--;
    chips++;
  }
  plain += text.slice(last);
  if (plain) parent.appendChild(document.createTextNode(plain));
  return chips;
}

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
