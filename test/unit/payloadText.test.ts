/**
 * Payload previews: UTF-8 or hex, cut safely, with invisible characters made visible by the one
 * rule of src/shared/visibleText (what the topic explorer and notifications show).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inertText, payloadPreview, payloadSnippet } from '../../src/core/payloadText';
import { visibleLine } from '../../src/shared/visibleText';

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('payloadPreview', () => {
  it('shows UTF-8 text as it is', () => {
    assert.equal(payloadPreview(utf8('{"temp":21.5}')), '{"temp":21.5}');
    assert.equal(payloadPreview(utf8('grüße 🌡️')), 'grüße 🌡️');
  });

  it('says (empty) for an empty payload', () => {
    assert.equal(payloadPreview(new Uint8Array(0)), '(empty)');
  });

  it('shows invalid UTF-8 as hex', () => {
    assert.equal(payloadPreview(new Uint8Array([0xde, 0xad, 0xbe, 0xef])), '0x de ad be ef');
    assert.equal(payloadPreview(new Uint8Array([0x00, 0xff])), '0x 00 ff');
  });

  it('bounds hex to maxChars and marks the cut', () => {
    const bytes = new Uint8Array(100).fill(0xff);
    const preview = payloadPreview(bytes, 30);
    assert.equal(preview, `0x ${Array(10).fill('ff').join(' ')}…`);
  });

  it('marks a hex preview as cut only when bytes are left out', () => {
    // maxChars 10 shows up to four bytes
    assert.equal(payloadPreview(new Uint8Array([0xff, 1, 2, 3]), 10), '0x ff 01 02 03');
    assert.equal(payloadPreview(new Uint8Array([0xff, 1, 2, 3, 4]), 10), '0x ff 01 02 03…');
    // all bytes shown, but the payload was longer than the bytes given
    assert.equal(payloadPreview(new Uint8Array([0xff, 1]), 60, 300), '0x ff 01…');
  });

  it('cuts long text at maxChars with an ellipsis', () => {
    assert.equal(payloadPreview(utf8('a'.repeat(100)), 10), `${'a'.repeat(10)}…`);
    assert.equal(payloadPreview(utf8('a'.repeat(10)), 10), 'a'.repeat(10));
    assert.equal(payloadPreview(utf8('a'.repeat(60))), 'a'.repeat(60));
    assert.equal(payloadPreview(utf8('a'.repeat(61))), `${'a'.repeat(60)}…`);
  });

  it('does not cut a surrogate pair in half', () => {
    const preview = payloadPreview(utf8(`${'a'.repeat(9)}😀😀`), 10);
    assert.equal(preview, `${'a'.repeat(9)}…`);
    assert.ok(!/[\ud800-\udfff]/.test(preview.replace(/😀/g, '')), 'no lone surrogate');
    assert.equal(payloadPreview(utf8(`${'a'.repeat(8)}😀😀`), 10), `${'a'.repeat(8)}😀…`);
  });

  it('decodes a prefix that ends inside a multi-byte sequence, and marks it cut', () => {
    const full = utf8('ab€€'); // 61 62 e2 82 ac e2 82 ac
    for (let cut = 3; cut < full.byteLength; cut++) {
      const preview = payloadPreview(full.subarray(0, cut), 60, full.byteLength);
      assert.ok(!preview.startsWith('0x'), `prefix of ${cut} bytes should be text, got ${preview}`);
      assert.ok(preview.endsWith('…'), preview);
      assert.ok(preview.startsWith('ab'), preview);
      assert.ok(!preview.includes('\ufffd'), 'no replacement character');
    }
    assert.equal(payloadPreview(full.subarray(0, 4), 60, 8), 'ab…');
    assert.equal(payloadPreview(full.subarray(0, 5), 60, 8), 'ab€…');
    const emoji = utf8('x😀'); // 78 f0 9f 98 80
    assert.equal(payloadPreview(emoji.subarray(0, 4), 60, 5), 'x…');
  });

  it('shows a cut binary payload as hex even when the bad bytes are its last ones', () => {
    assert.equal(payloadPreview(new Uint8Array([0x61, 0x62, 0xff]), 60, 1000), '0x 61 62 ff…');
    assert.equal(
      payloadPreview(new Uint8Array([0x61, 0x62, 0x63, 0xc0]), 60, 1000),
      '0x 61 62 63 c0…',
    );
    assert.equal(payloadPreview(new Uint8Array([0x61, 0x80]), 60, 1000), '0x 61 80…');
  });

  it('still shows hex when a complete payload ends inside a sequence', () => {
    assert.match(payloadPreview(utf8('ab€').subarray(0, 4)), /^0x 61 62 e2 82$/);
  });

  it('shows a cut preview with the ellipsis even when it is short', () => {
    assert.equal(payloadPreview(utf8('hello'), 60, 10_000), 'hello…');
  });

  for (const [label, input, expected] of [
    ['NUL', 'a\u0000b', 'a⟨NUL⟩b'],
    ['ESC (terminal escapes)', '\u001b[31mred', '⟨ESC⟩[31mred'],
    ['carriage return', 'a\rb', 'a⟨CR⟩b'],
    ['DEL and C1 controls', 'a\u007f\u0085b', 'a⟨DEL⟩⟨U+0085⟩b'],
    ['newline and tab', 'a\nb\tc', 'a⟨LF⟩b⟨TAB⟩c'],
    ['right-to-left override', 'abc\u202Eevil', 'abc⟨U+202E⟩evil'],
    ['the soft hyphen', 'a\u00ADb', 'a⟨U+00AD⟩b'],
    [
      'word joiner and invisible operators',
      '\u2060\u2061\u2064\u2065',
      '⟨U+2060⟩⟨U+2061⟩⟨U+2064⟩⟨U+2065⟩',
    ],
    ['Hangul fillers', '\u3164\uFFA0', '⟨U+3164⟩⟨U+FFA0⟩'],
    ['a byte-order mark inside the text', 'a\uFEFFb', 'a⟨U+FEFF⟩b'],
  ] as const) {
    it(`makes ${label} visible`, () => {
      assert.equal(payloadPreview(utf8(input)), expected);
    });
  }

  it('keeps leading and trailing line breaks, visibly', () => {
    assert.equal(payloadPreview(utf8('\n  {"a":1}\r\n')), '⟨LF⟩  {"a":1}⟨CR⟩⟨LF⟩');
  });

  it('leaves ordinary non-ASCII text and emoji alone', () => {
    const text = 'Ελληνικά עברית العربية 日本語 👨‍👩‍👧 ❤️';
    assert.equal(payloadPreview(utf8(text)), text);
  });
});

describe('the topic explorer and the Message Log show the same markers', () => {
  it('previews a payload as the grid shows it: visibleLine of the text as sent', () => {
    const text = 'a\u0000\t\r\n\u00ad\u061c\u200b\u202e\u2060\u2065\u3164\uffa0\u2800 👨‍👩‍👧';
    assert.equal(payloadPreview(utf8(text), 200), visibleLine(text));
    assert.equal(payloadPreview(utf8(text), 200), visibleLine(payloadSnippet(utf8(text), 200)));
  });
});

describe('payloadSnippet', () => {
  it('is the text as sent, cut, for a view that makes it visible itself', () => {
    assert.equal(payloadSnippet(utf8('a\u202Eb\r\n')), 'a\u202Eb\r\n');
    assert.equal(payloadSnippet(utf8('a'.repeat(100)), 10), `${'a'.repeat(10)}…`);
    assert.equal(payloadSnippet(new Uint8Array([0xff, 0x00])), '0x ff 00');
  });
});

describe('inertText', () => {
  it('breaks up link syntax a notification would turn into a command link', () => {
    const hostile =
      'Not authorized — [Show Log](command:workbench.action.terminal.sendSequence?%7B%7D)';
    const safe = inertText(hostile);
    assert.ok(!safe.includes('](command:'));
    assert.match(safe, /\[Show Log\] \(command:/);
  });

  it('shows invisible characters as the webview does, so none can hide link syntax', () => {
    assert.equal(inertText('a\u202Eb'), 'a⟨U+202E⟩b');
    for (const c of ['\u00AD', '\u2060', '\u2065', '\u3164', '\uFFA0', '\uD800'])
      assert.equal(
        inertText(`x${c}y`),
        `x⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩y`,
      );
    assert.equal(inertText('[a]\n(command:x)'), '[a]⟨LF⟩(command:x)');
    assert.equal(inertText('[a]\u200B(command:x)'), '[a]⟨U+200B⟩(command:x)');
  });
});
