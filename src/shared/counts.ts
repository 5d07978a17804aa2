/**
 * Counts as the user's locale groups them ("1,000,000" in English, "1.000.000" in German), so
 * the topic explorer and the Message Log read alike: the host passes VS Code's display language,
 * the webview gets the same from its page (`data-locale`).
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

function numberFormat(locale: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 0, useGrouping: true });
  } catch {
    // An unknown or malformed tag: group as English rather than fail to show a count.
    return new Intl.NumberFormat('en', { maximumFractionDigits: 0, useGrouping: true });
  }
}
