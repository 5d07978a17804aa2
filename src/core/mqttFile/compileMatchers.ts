/**
 * An EXPECT's or a REQUEST reply's matchers with their values expanded once, when the block
 * starts: the expected payload as bytes, the `match:` expression, each `json:` literal parsed.
 */
import { compileRegex, parseConditionValue, type CompiledMatchers } from './messageMatch';
import type { MessageMatchers } from './mqttFileAst';
import { at, RunError, type RunScope } from './runScope';

export async function compileMatchers(
  matchers: MessageMatchers,
  scope: RunScope,
): Promise<CompiledMatchers> {
  const compiled: CompiledMatchers = { json: [] };
  if (matchers.payload && matchers.payload.kind !== 'empty')
    compiled.payload = await scope.payload(matchers.payload);
  if (matchers.regex) {
    try {
      compiled.regex = compileRegex(matchers.regex);
    } catch (error) {
      throw new RunError(at(matchers.regex.range, (error as Error).message), { cause: error });
    }
  }
  for (const condition of matchers.json) {
    if (!condition.value) {
      compiled.json.push({ condition });
      continue;
    }
    try {
      compiled.json.push({
        condition,
        value: parseConditionValue(condition, scope.expand(condition.value)),
      });
    } catch (error) {
      if (error instanceof RunError) throw error;
      throw new RunError(at(condition.range, (error as Error).message), { cause: error });
    }
  }
  return compiled;
}
