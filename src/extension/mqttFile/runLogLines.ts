/**
 * The output channel's line for a block's result: where it is, what it is and how it ended.
 * The reason only (its first line), never the expected or received payloads. Pure.
 */
import type { BlockResult } from '../../core/mqttFile/runTypes';

export function describeResult(result: BlockResult): string {
  const { block } = result;
  const title = block.title ? ` "${block.title}"` : '';
  const where = `line ${block.requestRange.line + 1} ${block.kind.toUpperCase()}${title}`;
  const ms = Math.round(result.latencyMs ?? result.durationMs);
  if (result.status === 'passed') return `${where}: passed in ${ms} ms`;
  const reason = (result.message ?? '').split('\n')[0];
  return `${where}: ${result.status}${reason ? `: ${reason}` : ''}`;
}
