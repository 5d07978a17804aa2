/**
 * The payload views of the detail pane. Each renders a chunk at a time (renderMore), so a
 * 10 MB payload shows its beginning at once and the rest only on "Show more".
 */
import { el } from './dom';
import { HEX_BYTES_PER_LINE, hexDumpLines, type HexLine } from '../../shared/hex';
import type { DecodedNode } from '../../protocol/decoded';
import { DecodedTokens } from './decodedTokens';
import { JsonScanner } from './json';
import { DEFAULT_JSON_LIMITS, TreeRenderer, type TokenSource } from './treeRenderer';
import { l10n } from './l10n';
import { appendVisible } from './visible';
import type { DiffHunkItem } from './diff';

export interface Progressive {
  /** Renders the next chunk; returns whether more is left. */
  renderMore(): boolean;
  /** What "Show more" would add, e.g. "next 4,096 lines". */
  readonly moreLabel: string;
  /** Lets go of what the view holds outside the DOM (an image's Blob URL). */
  dispose?(): void;
}

export const TEXT_CHUNK_CHARS = 256 * 1024;
export const HEX_CHUNK_LINES = 4096;

export class TextView implements Progressive {
  private offset = 0;
  private readonly pre: HTMLPreElement;
  readonly moreLabel = l10n.t('Show more text');

  constructor(
    private readonly text: string,
    parent: HTMLElement,
    wrap: boolean,
  ) {
    this.pre = el('pre', `payload-text${wrap ? ' wrap' : ''}`);
    parent.appendChild(this.pre);
    if (text.length === 0) this.pre.appendChild(el('span', 'muted', '(empty payload)'));
  }

  renderMore(): boolean {
    let end = Math.min(this.text.length, this.offset + TEXT_CHUNK_CHARS);
    // Never split a surrogate pair across chunks.
    if (end < this.text.length && /[\ud800-\udbff]/.test(this.text.charAt(end - 1))) end--;
    appendVisible(this.pre, this.text.slice(this.offset, end), {
      multiline: true,
      chipBudget: { left: 2000 },
    });
    this.offset = end;
    return this.offset < this.text.length;
  }
}

export class HexView implements Progressive {
  private offset = 0;
  private readonly offsets: HTMLPreElement;
  private readonly hex: HTMLPreElement;
  private readonly ascii: HTMLPreElement;
  readonly moreLabel = l10n.t(
    'Show the next {0} KiB',
    (HEX_CHUNK_LINES * HEX_BYTES_PER_LINE) / 1024,
  );

  constructor(
    private readonly bytes: Uint8Array,
    parent: HTMLElement,
  ) {
    const box = el('div', 'hexdump');
    this.offsets = el('pre', 'hex-offset');
    this.hex = el('pre', 'hex-bytes');
    this.ascii = el('pre', 'hex-ascii');
    this.offsets.setAttribute('aria-label', l10n.t('Offsets'));
    this.hex.setAttribute('aria-label', l10n.t('Bytes'));
    this.ascii.setAttribute('aria-label', 'ASCII');
    box.append(this.offsets, this.hex, this.ascii);
    parent.appendChild(box);
    if (bytes.byteLength === 0) this.hex.textContent = '(empty payload)';
  }

  renderMore(): boolean {
    const to = Math.min(this.bytes.byteLength, this.offset + HEX_CHUNK_LINES * HEX_BYTES_PER_LINE);
    if (to > this.offset) {
      const lines = hexDumpLines(this.bytes, this.offset, to);
      const sep = this.offset > 0 ? '\n' : '';
      const column = (pick: (l: HexLine) => string) =>
        document.createTextNode(sep + lines.map(pick).join('\n'));
      this.offsets.appendChild(column((l) => l.offset));
      this.hex.appendChild(column((l) => l.hex));
      this.ascii.appendChild(column((l) => l.ascii));
    }
    this.offset = to;
    return this.offset < this.bytes.byteLength;
  }
}

/** Structured data as foldable lines: JSON text as sent, or a decoded value tree. */
class StructuredView implements Progressive {
  private readonly renderer: TreeRenderer;
  readonly moreLabel = l10n.t(
    'Show the next {0} lines',
    DEFAULT_JSON_LIMITS.linesPerChunk.toLocaleString('en-US'),
  );

  constructor(
    tokens: TokenSource,
    parent: HTMLElement,
    className: string,
    limits = DEFAULT_JSON_LIMITS,
  ) {
    const root = el('div', className);
    parent.appendChild(root);
    this.renderer = new TreeRenderer(tokens, root, limits);
  }

  renderMore(): boolean {
    return this.renderer.renderMore();
  }
}

/** JSON text formatted as sent (numbers, key order and duplicate keys as they were). */
export class JsonView extends StructuredView {
  constructor(text: string, parent: HTMLElement) {
    super(new JsonScanner(text), parent, 'payload-json');
  }
}

/** The depth at which the host's decoders cut a value tree (src/core/decoders/decodedTree.ts). */
const MAX_DECODED_DEPTH = 64;

/** The value tree a decoder on the host made (CBOR, MessagePack, Protobuf, …). */
export class DecodedView extends StructuredView {
  constructor(value: DecodedNode, parent: HTMLElement) {
    // The host already cut the tree at its depth limit, and says so where it did.
    super(new DecodedTokens(value), parent, 'payload-json payload-tree', {
      ...DEFAULT_JSON_LIMITS,
      maxDepth: MAX_DECODED_DEPTH,
    });
  }
}

export const DIFF_CHUNK_LINES = 3000;

export class DiffView implements Progressive {
  private index = 0;
  private readonly box: HTMLDivElement;
  private readonly chipBudget = { left: 2000 };
  readonly moreLabel = l10n.t('Show more of the diff');

  constructor(
    private readonly items: DiffHunkItem[],
    parent: HTMLElement,
    wrap: boolean,
  ) {
    this.box = el('div', `diff${wrap ? ' wrap' : ''}`);
    this.box.setAttribute('role', 'table');
    this.box.setAttribute('aria-label', l10n.t('Differences with the previous message'));
    parent.appendChild(this.box);
  }

  renderMore(): boolean {
    const end = Math.min(this.items.length, this.index + DIFF_CHUNK_LINES);
    const frag = document.createDocumentFragment();
    for (; this.index < end; this.index++) {
      const item = this.items[this.index];
      const line = el('div', `diff-line diff-${item.kind}`);
      line.setAttribute('role', 'row');
      if (item.kind === 'skip') {
        line.textContent = `⋯ ${item.count === 1 ? l10n.t('1 unchanged line') : l10n.t('{0} unchanged lines', item.count)}`;
      } else {
        const sign = el(
          'span',
          'diff-sign',
          item.kind === 'add' ? '+' : item.kind === 'del' ? '-' : ' ',
        );
        sign.setAttribute(
          'aria-label',
          item.kind === 'add'
            ? l10n.t('added')
            : item.kind === 'del'
              ? l10n.t('removed')
              : l10n.t('unchanged'),
        );
        const text = el('span', 'diff-text');
        appendVisible(text, item.text, { multiline: true, chipBudget: this.chipBudget });
        line.append(sign, text);
      }
      frag.appendChild(line);
    }
    this.box.appendChild(frag);
    return this.index < this.items.length;
  }
}
