/**
 * Device text in the Message Log, shown by the one rule of src/shared/visibleText: topics,
 * connection names, property values and payload text reach the webview as sent and pass through
 * here, so "\u202E" shows as a ⟨U+202E⟩ chip instead of reversing what follows it, and the grid,
 * the detail pane and the topic explorer show the same markers.
 */
import { describeCharacter, visibleLine as line, visibleParts } from '../../shared/visibleText';
import { el } from './dom';

/** Longest text a single-line cell shows; a 65,535-byte topic is cut, not laid out whole. */
export const CELL_CHARS = 512;

/** One-line text for a grid cell or a title: every invisible character (newlines too) marked. */
export function visibleLine(text: string, max = CELL_CHARS): string {
  return line(text, max);
}

export interface AppendOptions {
  /** Keep line feeds as line breaks (payload text in a <pre>). */
  multiline?: boolean;
  /**
   * Most chips to create; further markers are still shown, as plain text, so a payload full of
   * control bytes cannot create a node per byte.
   */
  chipBudget?: { left: number };
}

/**
 * Appends `text` to `parent` as text nodes, with each marker as a chip
 * (`<span class="chip" title="RIGHT-TO-LEFT OVERRIDE (U+202E)">⟨U+202E⟩</span>`). Returns the
 * number of chips made.
 */
export function appendVisible(parent: Node, text: string, o: AppendOptions = {}): number {
  const budget = o.chipBudget ?? { left: 2000 };
  let chips = 0;
  let plain = '';
  for (const part of visibleParts(text, { multiline: o.multiline })) {
    if (part.code === undefined || budget.left <= 0) {
      plain += part.text;
      continue;
    }
    if (plain) parent.appendChild(document.createTextNode(plain));
    plain = '';
    const chip = el('span', 'chip', part.text);
    chip.title = describeCharacter(part.code);
    parent.appendChild(chip);
    budget.left--;
    chips++;
  }
  if (plain) parent.appendChild(document.createTextNode(plain));
  return chips;
}
