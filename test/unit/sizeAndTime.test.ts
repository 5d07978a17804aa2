/**
 * Sizes (src/shared/byteSize.ts) and times of day (src/shared/clockTime.ts) as the topic
 * explorer, the Message Log, the Packet Trace and error messages word them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes } from '../../src/shared/byteSize';
import { formatDateTime, formatTime } from '../../src/shared/clockTime';

describe('formatBytes', () => {
  for (const [n, expected] of [
    [0, '0 B'],
    [1, '1 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024 - 1, '10 KiB'],
    [99.94 * 1024, '99.9 KiB'],
    [256 * 1024, '256 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [1024 * 1024, '1 MiB'],
    [10 * 1024 * 1024, '10 MiB'],
    [256 * 1024 * 1024 + 1, '256 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
    [5000 * 1024 ** 4, '5000 TiB'],
  ] as const) {
    it(`${n} → ${expected}`, () => assert.equal(formatBytes(n), expected));
  }
});

describe('formatTime', () => {
  const t = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();

  it('shows HH:MM:SS.mmm, 24-hour, local time, by default', () => {
    assert.equal(formatTime(t), '03:04:05.006');
    assert.equal(formatTime(new Date(2024, 0, 2, 23, 59, 59, 999).getTime()), '23:59:59.999');
  });

  it('shows seconds or microseconds when asked', () => {
    assert.equal(formatTime(t, 's'), '03:04:05');
    assert.equal(formatTime(t + 0.789, 'us'), '03:04:05.006789');
    assert.equal(formatTime(t, 'us'), '03:04:05.006000');
  });

  it('marks a time it cannot read instead of showing NaN', () => {
    assert.equal(formatTime(Number.NaN), '--:--:--.---');
    assert.equal(formatTime(Number.NaN, 's'), '--:--:--');
    assert.equal(formatTime(Number.POSITIVE_INFINITY, 'us'), '--:--:--.------');
  });
});

describe('formatDateTime', () => {
  it('shows YYYY-MM-DD HH:MM:SS.mmm, local time', () => {
    assert.equal(
      formatDateTime(new Date(2024, 0, 2, 3, 4, 5, 6).getTime()),
      '2024-01-02 03:04:05.006',
    );
    assert.equal(formatDateTime(Number.NaN), 'unknown time');
  });
});
