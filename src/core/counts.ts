/**
 * Counts as the user's locale groups them ("1,000,000" in English, "1.000.000" in German), so
 * the topic explorer and the Message Log read alike. The webview has its own copy of this rule
 * (src/webview/messageLog/format.ts), fed the same locale by the host.
 */

const formats = new Map<string, Intl.NumberFormat>();

/** A grouped integer count in `locale` (a BCP 47 tag such as `en`, `de`, `pt-br`). */
export function formatCount(n: number, locale: string): string {
  let format = formats.get(locale);
  if (!format) {
    format = numberFormat(locale);
    formats.set(locale, format);
  }
  return format.format(n);
}

/** `1 msg`, `1,234 msgs`. */
export function formatMessageCount(n: number, locale: string): string {
  return `${formatCount(n, locale)} ${n === 1 ? 'msg' : 'msgs'}`;
}

function numberFormat(locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: true });
  } catch {
    // An unknown or malformed tag: group as English rather than fail to show a count.
    return new Intl.NumberFormat('en', { maximumFractionDigits: 0, useGrouping: true });
  }
}
