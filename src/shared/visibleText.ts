/**
 * The one rule for showing text that came from a device (topics, payloads, property values,
 * client and connection names) anywhere: in the Message Log, the topic explorer, tooltips and
 * notifications. A character that draws nothing, or that reorders or hides its neighbours, is
 * replaced by a visible marker, so what is shown reads exactly as what was sent.
 *
 * Markers are plain text in angle brackets (U+27E8, U+27E9), so they read the same in a tree
 * row, a notification and the webview:
 * - C0 controls and DEL by their ASCII names: ⟨NUL⟩ ⟨BEL⟩ ⟨TAB⟩ ⟨LF⟩ ⟨CR⟩ ⟨ESC⟩ ⟨DEL⟩ …
 *   (Unicode's control pictures ␊ ␍ would be shorter, but many fonts lack them, and where none
 *   does, every one of them is the same empty box.)
 * - Every other such character by its code point: ⟨U+202E⟩, ⟨U+200B⟩, ⟨U+D800⟩ (a lone
 *   surrogate), ⟨U+E0041⟩.
 * - So that a marker is never mistaken for text, a ⟨ sent by a device is itself marked
 *   (⟨U+27E8⟩): every ⟨ on screen begins a marker.
 *
 * What is marked: general categories Cc (controls, C1 included), Cf (format: bidi controls,
 * zero-width characters, the soft hyphen, U+FFF9–U+FFFB…), Zl and Zp (U+2028, U+2029), Cs (lone
 * surrogates), every Default_Ignorable_Code_Point (Hangul fillers, variation selectors, tags,
 * CGJ…), noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF), and the braille blank U+2800. Not
 * marked: the prepended concatenation marks (U+0600–U+0605, U+06DD, U+070F, U+0890, U+0891,
 * U+08E2, U+110BD, U+110CD), which are Cf but draw a visible sign; spaces, which show as spaces.
 *
 * Kept as sent, so emoji still draw as one picture: a zero-width joiner between two pictographs
 * (👨‍👩‍👧), U+FE0E/U+FE0F right after an emoji-capable character (❤️, 1️⃣), other variation
 * selectors right after a letter, number or symbol they can vary (one per character; a second one
 * is marked), and the tag characters of an emoji tag sequence (🏴 + tags + U+E007F, the flags of
 * England, Scotland, Wales). A joiner or selector anywhere else is marked.
 *
 * The one-line form marks line breaks too (⟨LF⟩). The multi-line form keeps U+000A as a line
 * break and marks everything else, so the carriage return of a CRLF shows as ⟨CR⟩ at the end of
 * its line.
 *
 * Pure TypeScript: imported by the core, the extension and the webview alike.
 */

/** Characters kept as they are, each alternative consuming first and looking back after. */
const KEPT = [
  // An emoji tag sequence: 🏴, tag characters, CANCEL TAG.
  '\\u{1F3F4}[\\u{E0020}-\\u{E007E}]{1,32}\\u{E007F}',
  // A zero-width joiner between two pictographs (the first may carry VS16 or a skin tone).
  '\\u200D(?<=\\p{Extended_Pictographic}[\\uFE0F\\p{Emoji_Modifier}]?\\u200D)(?=\\p{Extended_Pictographic})',
  // Text or emoji presentation selectors after an emoji-capable character.
  '[\\uFE0E\\uFE0F](?<=\\p{Emoji}[\\uFE0E\\uFE0F])',
  // Standardized variation sequences (maths symbols, CJK compatibility, Myanmar…).
  '[\\uFE00-\\uFE0D](?<=[\\p{L}\\p{N}\\p{S}][\\uFE00-\\uFE0D])',
  // Ideographic variation sequences.
  '[\\u{E0100}-\\u{E01EF}](?<=\\p{Ideographic}[\\u{E0100}-\\u{E01EF}])',
  // Mongolian free variation selectors.
  '[\\u180B-\\u180D\\u180F](?<=\\p{Script=Mongolian}[\\u180B-\\u180D\\u180F])',
].join('|');

/** Format characters that draw a visible sign over the digits that follow them. */
const PREPENDED_MARKS = '[\\u0600-\\u0605\\u06DD\\u070F\\u0890\\u0891\\u08E2\\u{110BD}\\u{110CD}]';

const MARKED =
  `(?!${PREPENDED_MARKS})` +
  '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}\\p{Default_Ignorable_Code_Point}' +
  '\\p{Noncharacter_Code_Point}\\u2800\\u27E8]';

const pattern = (multiline: boolean) =>
  new RegExp(`(${KEPT})|${multiline ? '(?!\\n)' : ''}${MARKED}`, 'gu');
const ONE_LINE = pattern(false);
const MULTI_LINE = pattern(true);

/** ASCII's names for its controls, U+0000 to U+001F (U+0009 as TAB, the name people know). */
const C0 = (
  'NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI ' +
  'DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US'
).split(' ');

/** The marker shown for code point `code`: ⟨LF⟩ for a C0 control or DEL, else ⟨U+XXXX⟩. */
export function markerFor(code: number): string {
  if (code < C0.length) return `⟨${C0[code]}⟩`;
  if (code === 0x7f) return '⟨DEL⟩';
  return `⟨U+${hex(code)}⟩`;
}

/** One piece of shown text: plain text, or the marker of the character `code`. */
export interface VisiblePart {
  text: string;
  /** Set when `text` is a marker: the code point it stands for. */
  code?: number;
}

/**
 * `text` split into plain runs and markers, for a view that styles markers (the webview shows
 * each as a chip). Joining the parts' text gives visibleLine / visibleLines.
 */
export function visibleParts(text: string, o: { multiline?: boolean } = {}): VisiblePart[] {
  const re = o.multiline ? MULTI_LINE : ONE_LINE;
  const parts: VisiblePart[] = [];
  let plain = '';
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[1] !== undefined) continue;
    plain += text.slice(last, m.index);
    if (plain) parts.push({ text: plain });
    plain = '';
    const code = m[0].codePointAt(0)!;
    parts.push({ text: markerFor(code), code });
    last = m.index + m[0].length;
  }
  plain += text.slice(last);
  if (plain) parts.push({ text: plain });
  return parts;
}

function mark(text: string, re: RegExp): string {
  return text.replace(re, (c: string, kept: string | undefined) =>
    kept !== undefined ? c : markerFor(c.codePointAt(0)!),
  );
}

/**
 * The one-line form: every invisible character marked, line breaks and tabs included. With
 * `maxChars`, at most that many UTF-16 units of `text` are shown (never half a surrogate pair),
 * followed by … when some were left out.
 */
export function visibleLine(text: string, maxChars = Infinity): string {
  const cut = cutText(text, maxChars);
  const shown = mark(cut, ONE_LINE);
  return cut.length < text.length ? `${shown}…` : shown;
}

/** The multi-line form: line feeds kept as line breaks, every other invisible character marked. */
export function visibleLines(text: string): string {
  return mark(text, MULTI_LINE);
}

/** The first `maxChars` UTF-16 units of `text`, one fewer rather than half a surrogate pair. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const end = Math.max(0, Math.floor(maxChars));
  const high = text.charCodeAt(end - 1);
  return text.slice(0, high >= 0xd800 && high <= 0xdbff ? end - 1 : end);
}

const NAMES: Record<number, string> = {
  0x00: 'NULL',
  0x07: 'BELL',
  0x08: 'BACKSPACE',
  0x09: 'CHARACTER TABULATION',
  0x0a: 'LINE FEED',
  0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0x7f: 'DELETE',
  0x85: 'NEXT LINE',
  0xad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
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
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x2800: 'BRAILLE PATTERN BLANK',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** What a marker stands for, for a tooltip: "RIGHT-TO-LEFT OVERRIDE (U+202E)", or "U+0085". */
export function describeCharacter(code: number): string {
  const name =
    NAMES[code] ??
    (code >= 0xd800 && code <= 0xdfff ? 'LONE SURROGATE' : undefined) ??
    (code >= 0xfe00 && code <= 0xfe0f ? `VARIATION SELECTOR-${code - 0xfe00 + 1}` : undefined);
  return name ? `${name} (U+${hex(code)})` : `U+${hex(code)}`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
