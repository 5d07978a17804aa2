/** File variables that use each other in a circle (`@a = {{b}}`, `@b = {{a}}`). */
import type { VariableDefinition } from './mqttFileAst';
import { parseExpansion } from './expansionSyntax';
import { scanTemplate } from './templateText';

/** Deeper chains are left to expansion, which stops at 32 levels. */
const MAX_DEPTH = 256;

export function findVariableCycles(
  variables: VariableDefinition[],
): { names: string[]; at: VariableDefinition }[] {
  const byName = new Map(variables.map((v) => [v.name, v]));
  const uses = new Map<string, string[]>();
  for (const v of variables) {
    const names: string[] = [];
    if (v.value.raw.includes('{{')) {
      for (const part of scanTemplate(v.value.raw)) {
        if (part.kind !== 'expansion') continue;
        const e = parseExpansion(part.inner);
        if (!('error' in e) && e.kind === 'variable' && byName.has(e.name)) names.push(e.name);
      }
    }
    uses.set(v.name, names);
  }
  const state = new Map<string, 'active' | 'done'>();
  const cycles: { names: string[]; at: VariableDefinition }[] = [];
  const visit = (name: string, path: string[]): void => {
    state.set(name, 'active');
    for (const next of uses.get(name) ?? []) {
      if (state.get(next) === 'active') {
        const full = [...path, name];
        const loop = [...full.slice(full.indexOf(next)), next];
        cycles.push({ names: loop, at: byName.get(name) as VariableDefinition });
      } else if (!state.has(next) && path.length < MAX_DEPTH) visit(next, [...path, name]);
    }
    state.set(name, 'done');
  };
  for (const v of variables) if (!state.has(v.name)) visit(v.name, []);
  return cycles;
}
