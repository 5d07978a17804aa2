/**
 * Where JSON text goes wrong: the offset of the first error, for a message with its line and
 * column (JSON.parse does not say where in every Node version). Iterative, linear.
 */

export function jsonErrorOffset(text: string): number | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return locate(text);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

function locate(s: string): number {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  // what the scanner expects next
  let want: 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' = 'value';
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const string = (): boolean => {
    i++;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i++;
          return false;
        }
      } else i++;
    }
    return false;
  };
  for (;;) {
    ws();
    if (i >= s.length) return i;
    const c = s[i];
    if (want === 'value' || want === 'valueOrClose') {
      if (want === 'valueOrClose' && c === ']') {
        stack.pop();
        i++;
        want = 'commaOrClose';
      } else if (c === '{') {
        stack.push('{');
        i++;
        want = 'keyOrClose';
        continue;
      } else if (c === '[') {
        stack.push('[');
        i++;
        want = 'valueOrClose';
        continue;
      } else if (c === '"') {
        if (!string()) return i;
        want = 'commaOrClose';
      } else {
        NUMBER.lastIndex = i;
        LITERAL.lastIndex = i;
        if (NUMBER.test(s)) i = NUMBER.lastIndex;
        else if (LITERAL.test(s)) i = LITERAL.lastIndex;
        else return i;
        want = 'commaOrClose';
      }
    } else if (want === 'key' || want === 'keyOrClose') {
      if (want === 'keyOrClose' && c === '}') {
        stack.pop();
        i++;
        want = 'commaOrClose';
      } else if (c === '"') {
        if (!string()) return i;
        want = 'colon';
        continue;
      } else return i;
    } else if (want === 'colon') {
      if (c !== ':') return i;
      i++;
      want = 'value';
      continue;
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) return i; // text after the value
      if (c === ',') {
        i++;
        want = top === '{' ? 'key' : 'value';
        continue;
      }
      if ((c === '}' && top === '{') || (c === ']' && top === '[')) {
        stack.pop();
        i++;
      } else return i;
    }
    if (want === 'commaOrClose' && stack.length === 0) {
      ws();
      return i; // a complete value: anything left is the error
    }
  }
}
