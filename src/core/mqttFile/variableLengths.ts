/**
 * The shortest text each file variable can expand to, computed from the definitions alone
 * (`$env`, `$secret`, captures and other unknown values count as empty, dynamic values at their
 * shortest), so a variable that doubles thirty times is an error before anything runs.
 */
import type { VariableDefinition } from './mqttFileAst';
import { parseExpansion, type Expansion } from './expansionSyntax';
import { MAX_LENGTH } from './expand';
import { scanTemplate } from './templateText';

/** Deeper chains are left to expansion, which stops at 32 levels. */
const MAX_DEPTH = 256;

/** The variables whose value is surely longer than 16 MiB once expanded. */
export function findOverlongVariables(variables: VariableDefinition[]): VariableDefinition[] {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const known = new Map<string, number>();
  const active = new Set<string>();
  const lengthOf = (name: string, depth: number): number => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const v = byName.get(name);
    // Cycles are reported on their own; unknown names and chains too deep count as empty.
    if (!v || active.has(name) || depth > MAX_DEPTH) return 0;
    active.add(name);
    let total = 0;
    for (const part of scanTemplate(v.value.raw)) {
      if (part.kind === 'text') total += part.text.length;
      else if (part.kind === 'expansion') {
        const e = parseExpansion(part.inner);
        if (!('error' in e)) total += shortest(e, (n) => lengthOf(n, depth + 1));
      }
      // Saturate: the exact size of a bomb does not matter.
      if (total > MAX_LENGTH) total = MAX_LENGTH + 1;
    }
    active.delete(name);
    known.set(name, total);
    return total;
  };
  return variables.filter((v) => lengthOf(v.name, 0) > MAX_LENGTH);
}

function shortest(e: Expansion, variable: (name: string) => number): number {
  switch (e.kind) {
    case 'variable':
      return variable(e.name);
    case 'dynamic':
      return e.name === 'uuid' ? 36 : e.name === 'isoTimestamp' ? 24 : 1;
    default:
      return 0;
  }
}
