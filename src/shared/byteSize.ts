/** Sizes as the topic explorer, the Message Log and error messages word them. */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** 512 B, 1.5 KiB, 256 KiB, 10 MiB: binary units, one decimal below 100, none from 100 on. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${n} B`;
  let value = n / 1024;
  let unit = 0;
  for (;;) {
    const text = value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
    // 1,048,575 bytes would otherwise read "1024 KiB".
    if (Number(text) < 1024 || unit === UNITS.length - 1) return `${text} ${UNITS[unit]}`;
    value /= 1024;
    unit++;
  }
}
