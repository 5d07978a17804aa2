/**
 * How deeply a JSON text nests, found by one linear scan without recursion, so a hostile payload
 * of 200,000 nested `[` is recognised before anything recursive (comparison, JSON.stringify)
 * touches it.
 */

/** JSON nesting deeper than this is compared and shown as text, not as JSON. */
export const MAX_JSON_DEPTH = 1000;

/** Whether the text's arrays and objects nest at most `max` levels deep. */
export function jsonDepthWithin(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return false;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return true;
}
