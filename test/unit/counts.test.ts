// Counts read alike in the topic explorer (host, src/shared/counts.ts) and the Message Log
// (webview, src/webview/messageLog/format.ts): grouped as the user's locale groups them.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatRate } from '../../src/shared/counts';
import { formatCount as webviewFormatCount } from '../../src/webview/messageLog/format';

describe('formatCount', () => {
  it('groups thousands as the locale does', () => {
    assert.equal(formatCount(1_000_000, 'en'), '1,000,000');
    assert.equal(formatCount(1_000_000, 'de'), '1.000.000');
    assert.equal(formatCount(1_234, 'fr').replace(/\s/gu, ' '), '1 234');
    assert.equal(formatCount(999, 'en'), '999');
  });

  it('falls back to English grouping for a tag Intl does not accept', () => {
    assert.equal(formatCount(12_345, 'not a locale!'), '12,345');
  });

  it('is the same rule in the webview, for the same locale', () => {
    for (const locale of ['en', 'de', 'fr', 'hi', 'pt-br']) {
      for (const n of [0, 7, 1_234, 100_000, 1_000_000, 123_456_789])
        assert.equal(webviewFormatCount(n, locale), formatCount(n, locale), `${locale} ${n}`);
    }
  });
});

describe('formatRate', () => {
  it('keeps one decimal under 10 and groups above, in the locale', () => {
    assert.equal(formatRate(2.46, 'en'), '2.5');
    assert.equal(formatRate(2.46, 'de'), '2,5');
    assert.equal(formatRate(3, 'en'), '3');
    assert.equal(formatRate(12_345.4, 'de'), '12.345');
  });

  it('falls back to English for a tag Intl does not accept, instead of throwing', () => {
    assert.equal(formatRate(1.25, 'not a locale!'), '1.3');
  });
});
