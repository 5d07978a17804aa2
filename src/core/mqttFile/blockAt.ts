/**
 * The block a 0-based line belongs to (its range runs from its `###` line to the line before
 * the next `###`), or undefined before the first block and in a block left out for an error.
 */
import type { MqttBlock, MqttFile } from './mqttFileAst';

export function blockAt(file: MqttFile, line: number): MqttBlock | undefined {
  const { blocks } = file;
  let lo = 0;
  let hi = blocks.length - 1;
  let found: MqttBlock | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (blocks[mid].range.line <= line) {
      found = blocks[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found && line <= found.range.endLine ? found : undefined;
}
