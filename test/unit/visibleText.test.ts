/**
 * The one rule for showing device text (src/shared/visibleText): each class of invisible
 * character and its marker, line breaks in the multi-line form, emoji sequences kept whole,
 * markers that cannot be forged, and cutting without splitting a character.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  cutText,
  describeCharacter,
  markerFor,
  visibleLine,
  visibleLines,
  visibleParts,
} from '../../src/shared/visibleText';

const cp = (code: number) => String.fromCodePoint(code);

describe('visibleLine: each class of invisible character gets a distinct marker', () => {
  for (const [label, input, expected] of [
    ['NUL', '\u0000', '⟨NUL⟩'],
    ['tab', '\t', '⟨TAB⟩'],
    ['line feed', '\n', '⟨LF⟩'],
    ['carriage return', '\r', '⟨CR⟩'],
    ['CRLF', '\r\n', '⟨CR⟩⟨LF⟩'],
    ['escape', '\u001b[2J', '⟨ESC⟩[2J'],
    ['unit separator', '\u001f', '⟨US⟩'],
    ['DEL', '\u007f', '⟨DEL⟩'],
    ['C1: NEL', '\u0085', '⟨U+0085⟩'],
    ['C1: CSI', '\u009b', '⟨U+009B⟩'],
    ['Arabic letter mark', '\u061c', '⟨U+061C⟩'],
    ['left-to-right / right-to-left marks', '\u200e\u200f', '⟨U+200E⟩⟨U+200F⟩'],
    [
      'bidi embeddings and overrides',
      '\u202a\u202b\u202c\u202d\u202e',
      '⟨U+202A⟩⟨U+202B⟩⟨U+202C⟩⟨U+202D⟩⟨U+202E⟩',
    ],
    ['bidi isolates', '\u2066\u2067\u2068\u2069', '⟨U+2066⟩⟨U+2067⟩⟨U+2068⟩⟨U+2069⟩'],
    [
      'zero-width space, non-joiner, joiner',
      'a\u200bb\u200cc\u200dd',
      'a⟨U+200B⟩b⟨U+200C⟩c⟨U+200D⟩d',
    ],
    [
      'word joiner, invisible operators',
      '\u2060\u2061\u2062\u2063\u2064',
      '⟨U+2060⟩⟨U+2061⟩⟨U+2062⟩⟨U+2063⟩⟨U+2064⟩',
    ],
    ['unassigned default-ignorable U+2065', '\u2065', '⟨U+2065⟩'],
    ['byte-order mark', '\ufeff', '⟨U+FEFF⟩'],
    ['soft hyphen', 'co\u00adop', 'co⟨U+00AD⟩op'],
    ['Mongolian vowel separator', '\u180e', '⟨U+180E⟩'],
    ['interlinear annotation', '\ufff9\ufffa\ufffb', '⟨U+FFF9⟩⟨U+FFFA⟩⟨U+FFFB⟩'],
    ['line and paragraph separators', '\u2028\u2029', '⟨U+2028⟩⟨U+2029⟩'],
    ['Hangul fillers', '\u115f\u1160\u3164\uffa0', '⟨U+115F⟩⟨U+1160⟩⟨U+3164⟩⟨U+FFA0⟩'],
    ['braille blank', '\u2800', '⟨U+2800⟩'],
    ['combining grapheme joiner', 'a\u034fb', 'a⟨U+034F⟩b'],
    ['Khmer inherent vowels', '\u17b4\u17b5', '⟨U+17B4⟩⟨U+17B5⟩'],
    ['lone high surrogate', 'a\ud800b', 'a⟨U+D800⟩b'],
    ['lone low surrogate', 'a\udc00b', 'a⟨U+DC00⟩b'],
    ['a high surrogate at the end', 'a\ud83d', 'a⟨U+D83D⟩'],
    ['noncharacters', `\ufdd0\ufffe${cp(0x1ffff)}`, '⟨U+FDD0⟩⟨U+FFFE⟩⟨U+1FFFF⟩'],
    ['a tag character outside a flag', `a${cp(0xe0041)}`, 'a⟨U+E0041⟩'],
    ['a variation selector after a letter that has no emoji form', 'a\ufe0f', 'a⟨U+FE0F⟩'],
    ['a variation selector at the start', '\ufe0fx', '⟨U+FE0F⟩x'],
    ['a second variation selector', '\u2764\ufe0f\ufe0f', '\u2764\ufe0f⟨U+FE0F⟩'],
    ['an ideographic variation selector after an emoji', `😀${cp(0xe0100)}`, `😀⟨U+E0100⟩`],
    ['a joiner after an emoji but before a letter', '😀\u200dx', '😀⟨U+200D⟩x'],
    ['a joiner at the start', '\u200d😀', '⟨U+200D⟩😀'],
    ['a literal ⟨ (so ⟨U+…⟩ is always a marker)', '⟨U+202E⟩', '⟨U+27E8⟩U+202E⟩'],
    ['a forged marker', '⟨LF⟩', '⟨U+27E8⟩LF⟩'],
  ] as const) {
    it(`${label}: ${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(visibleLine(input), expected);
    });
  }
});

describe('visibleLine: what stays as it is', () => {
  for (const [label, text] of [
    ['ASCII and spaces', 'sensors/dev 1/temp {"t": 21.5}'],
    ['scripts', 'Ελληνικά עברית العربية 日本語 한국어 हिन्दी'],
    ['combining marks', 'e\u0301 n\u0303 a\u0308'],
    ['emoji with presentation selectors and keycaps', '❤️ ☺︎ 1️⃣ #️⃣'],
    ['emoji ZWJ sequences', '👨‍👩‍👧 🏳️‍🌈 🧑🏽‍💻 👁️‍🗨️ ❤️‍🔥'],
    ['skin tones', '👍🏿'],
    [
      'a flag tag sequence',
      `🏴${[0x67, 0x62, 0x65, 0x6e, 0x67].map((c) => cp(0xe0000 + c)).join('')}${cp(0xe007f)}`,
    ],
    ['regional indicator flags', '🇩🇪 🇯🇵'],
    ['an ideographic variation sequence', `葛${cp(0xe0100)}`],
    ['a standardized variation sequence', '≩\ufe00'],
    ['surrogate pairs', '𝄞 𝕏 😀'],
    ['the Arabic number sign, which draws a sign', '\u0600١٢'],
    ['control pictures, which draw a sign', '\u240a \u240d \u2400'],
    ['no-break and ideographic spaces', 'a\u00a0b\u3000c'],
  ] as const) {
    it(label, () => assert.equal(visibleLine(text), text));
  }
});

describe('visibleLines: the multi-line form', () => {
  it('keeps line feeds as line breaks and marks the rest the same way', () => {
    assert.equal(visibleLines('a\nb'), 'a\nb');
    assert.equal(visibleLines('a\r\nb\r\n'), 'a⟨CR⟩\nb⟨CR⟩\n', 'the CR of CRLF shows');
    assert.equal(visibleLines('a\rb'), 'a⟨CR⟩b', 'a lone CR is not a line break');
    assert.equal(visibleLines('\tx\u2028y'), '⟨TAB⟩x⟨U+2028⟩y');
    assert.equal(visibleLines('a\u202eb\n👨‍👩‍👧'), 'a⟨U+202E⟩b\n👨‍👩‍👧');
  });

  it('marks like visibleLine everywhere but at line feeds', () => {
    const text = 'x\u0000\u200b\u00ad\ud800\r\n\u3164😀\u200d😀\n';
    assert.equal(visibleLines(text).split('\n').join('⟨LF⟩'), visibleLine(text));
  });
});

describe('visibleParts', () => {
  it('splits text into plain runs and markers with their code points', () => {
    assert.deepEqual(visibleParts('a\u202eb\r\nc', { multiline: true }), [
      { text: 'a' },
      { text: '⟨U+202E⟩', code: 0x202e },
      { text: 'b' },
      { text: '⟨CR⟩', code: 0x0d },
      { text: '\nc' },
    ]);
    assert.deepEqual(visibleParts(''), []);
    assert.deepEqual(visibleParts(`a${cp(0xe0041)}`), [
      { text: 'a' },
      { text: '⟨U+E0041⟩', code: 0xe0041 },
    ]);
  });

  it('joins to the one-line and multi-line forms', () => {
    const text = 'k\u0007\u2066v\u2069\r\n\u00ad';
    const join = (multiline: boolean) =>
      visibleParts(text, { multiline })
        .map((p) => p.text)
        .join('');
    assert.equal(join(false), visibleLine(text));
    assert.equal(join(true), visibleLines(text));
  });
});

describe('markers and names', () => {
  it('gives every invisible character a marker of its own', () => {
    const seen = new Map<string, number>();
    for (let code = 0; code <= 0x10ffff; code++) {
      const text = cp(code);
      const shown = visibleLine(text);
      if (shown === text) continue;
      assert.equal(shown, markerFor(code));
      assert.equal(seen.get(shown), undefined, `U+${code.toString(16)} shares its marker`);
      seen.set(shown, code);
    }
    assert.ok(seen.size > 4000, `${seen.size} characters marked`);
  });

  it('names characters for tooltips', () => {
    assert.equal(describeCharacter(0x202e), 'RIGHT-TO-LEFT OVERRIDE (U+202E)');
    assert.equal(describeCharacter(0x0a), 'LINE FEED (U+000A)');
    assert.equal(describeCharacter(0xd800), 'LONE SURROGATE (U+D800)');
    assert.equal(describeCharacter(0xfe0f), 'VARIATION SELECTOR-16 (U+FE0F)');
    assert.equal(describeCharacter(0x9b), 'U+009B');
  });
});

describe('cutting', () => {
  it('never cuts a surrogate pair in half', () => {
    assert.equal(cutText('ab😀', 3), 'ab');
    assert.equal(cutText('ab😀', 4), 'ab😀');
    assert.equal(visibleLine('ab😀cd', 3), 'ab…');
    assert.equal(visibleLine('ab😀cd', 4), 'ab😀…');
    assert.equal(visibleLine('abc', 3), 'abc');
  });

  it('counts the text as sent, not the markers', () => {
    assert.equal(visibleLine('\u202e\u202e\u202e', 2), '⟨U+202E⟩⟨U+202E⟩…');
  });
});
