/**
 * Counts in the Message Log, grouped as the topic explorer groups them. Times, sizes, UTF-8 and
 * hex dumps come from src/shared (clockTime, byteSize, utf8, hex), as on the host.
 */
import { formatCount as groupedCount } from '../../shared/counts';

/**
 * The locale the host asked for (VS Code's display language, `data-locale` on #app), so counts
 * group as they do in the topic explorer; the browser's own language otherwise.
 */
export function countLocale(): string {
  const fromHost =
    typeof document === 'undefined'
      ? undefined
      : document.getElementById('app')?.dataset.locale?.trim();
  if (fromHost) return fromHost;
  return typeof navigator === 'undefined' ? 'en' : navigator.language || 'en';
}

/** 12,345 in English, 12.345 in German: grouped as the user's locale does (src/shared/counts). */
export function formatCount(n: number, locale: string = countLocale()): string {
  return groupedCount(n, locale);
}
