/**
 * How a broker string a user wrote (a `url`, a `host`) is echoed in a problem, a notification,
 * the Connections view or the log: whatever sits between `//` and the *last* `@` is a user name
 * and password, so it is replaced by `…` even when the string is not a valid URL
 * (`mqtt://user:pa/ss@host:99999`, `mqtt://u:p@ss@host`); and, as everywhere device or user
 * text is shown, control and invisible characters become visible markers (`⟨LF⟩`), so a
 * string cannot forge extra lines in the log.
 */
import { visibleLine } from '../../shared/visibleText';

/** `text` with any credentials replaced by `…`: between `//` and the last `@`, or, without `//`, before the last `@`. */
export function redactCredentials(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const slashes = text.indexOf('//');
  if (slashes >= 0 && slashes < at) return `${text.slice(0, slashes + 2)}…${text.slice(at)}`;
  return `…${text.slice(at)}`;
}

/** A broker string as it may be shown or logged: credentials redacted, one visible line, at most `maxChars`. */
export function brokerText(text: string, maxChars = 120): string {
  return visibleLine(redactCredentials(text), maxChars);
}
