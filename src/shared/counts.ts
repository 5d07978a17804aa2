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

function numberFormat(locale: string, maximumFractionDigits = 0): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits, useGrouping: true });
  } catch {
    // An unknown or malformed tag: group as English rather than fail to show a count.
    return new Intl.NumberFormat('en', { maximumFractionDigits, useGrouping: true });
  }
}

/** A rate as its views show it, before "/s": one decimal under 10 ("2.5"), grouped above ("1,234"). */
export function formatRate(perSecond: number, locale: string): string {
  if (perSecond >= 10) return formatCount(Math.round(perSecond), locale);
  let format = rateFormats.get(locale);
  if (!format) {
    format = numberFormat(locale, 1);
    rateFormats.set(locale, format);
  }
  return format.format(Math.round(perSecond * 10) / 10);
}

const rateFormats = new Map<string, Intl.NumberFormat>();
