/**
 * JSON paths as `.mqtt` files write them (`$.a.b[0]`, `$["odd key"]`): one reading for the
 * `json:` matchers and the `{{lastReply.json.…}}` captures.
 */

export type JsonPath = (string | number)[];

const NAME = /^[^.[\]\s]+/;

/** `$.a.b[0]` → ['a', 'b', 0]; the leading `$` may be left out. */
export function parseJsonPath(text: string): { path: JsonPath } | { error: string } {
  const path: JsonPath = [];
  let i = text.startsWith('$') ? 1 : 0;
  if (i === 0 && text !== '' && text[0] !== '.' && text[0] !== '[') {
    const first = NAME.exec(text);
    if (!first) return { error: pathError(text, 0) };
    path.push(first[0]);
    i = first[0].length;
  }
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const name = NAME.exec(text.slice(i + 1, i + 1 + 1024));
      if (!name) return { error: pathError(text, i + 1) };
      path.push(name[0]);
      i += 1 + name[0].length;
    } else if (c === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) return { error: pathError(text, i) };
      const inside = text.slice(i + 1, close).trim();
      if (/^\d{1,9}$/.test(inside)) path.push(Number(inside));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inside) || /^'[^']*'$/.test(inside)) {
        path.push(inside.startsWith("'") ? inside.slice(1, -1) : (JSON.parse(inside) as string));
      } else return { error: pathError(text, i + 1) };
      i = close + 1;
    } else return { error: pathError(text, i) };
  }
  return { path };
}

function pathError(text: string, at: number): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `invalid JSON path \`${shown}\` at character ${at + 1}: use $.name, $.list[0] or $["a key"]`;
}

/** The value at `path`, or undefined when the path is missing (JSON has no undefined). */
export function jsonPathGet(value: unknown, path: JsonPath): unknown {
  let current: unknown = value;
  for (const step of path) {
    if (Array.isArray(current)) {
      if (typeof step !== 'number' || step >= current.length) return undefined;
      current = current[step];
    } else if (current !== null && typeof current === 'object') {
      const key = String(step);
      if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    } else return undefined;
  }
  return current;
}

/** A path written back as text (`$.a[0]`). */
export function formatJsonPath(path: JsonPath): string {
  return (
    '$' +
    path
      .map((p) =>
        typeof p === 'number'
          ? `[${p}]`
          : /^[A-Za-z_$][\w$-]*$/.test(p)
            ? `.${p}`
            : `[${JSON.stringify(p)}]`,
      )
      .join('')
  );
}
