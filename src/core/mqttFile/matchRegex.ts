/**
 * The regular expression of `match:`, compiled with RE2 (re2js): matching takes time linear in
 * the payload, so no pattern can hang a run (a JavaScript RegExp like `/^(a+)+$/` backtracks for
 * ever). RE2 has no backreferences and no lookaround; such a pattern is refused when the file is
 * parsed, with the reason.
 */
import { RE2JS } from 're2js';

/** A compiled `match:` expression. */
export interface MatchRegex {
  /** Whether the pattern matches somewhere in the text. */
  test(text: string): boolean;
  /** As written in the file: `/source/flags`. */
  readonly text: string;
}

const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** The flags a `match:` may carry (anything else is refused). */
export const MATCH_FLAGS = Object.keys(FLAGS);

/** Compiles `/source/flags`; throws an Error saying why RE2 refuses it. */
export function compileMatchRegex(source: string, flags: string): MatchRegex {
  let bits = 0;
  for (const f of flags) {
    const bit = FLAGS[f];
    if (bit === undefined)
      throw new Error(`the flag "${f}" is not supported (use ${MATCH_FLAGS.join(', ')})`);
    bits |= bit;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (error) {
    const why = (error as Error).message.replace(/^error parsing regexp: /, '');
    throw new Error(
      `the regular expression is not valid RE2 syntax (no backreferences or lookaround): ${why}`,
      { cause: error },
    );
  }
  return { test: (text) => re.test(text), text: `/${source}/${flags}` };
}
