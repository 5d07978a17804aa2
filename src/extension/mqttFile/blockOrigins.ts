/**
 * Which `.mqtt` block produced a Message Log entry: the seqs a run's blocks published and the
 * messages their EXPECTs matched, each linked to its file, line and title, so the log's detail
 * says "From lab-check.mqtt:12 · QoS 1 arrives" and opens the block. Bounded: the oldest links
 * go first once `capacity` seqs are linked. Pure, tested without VS Code.
 */
import type { BlockResult } from '../../core/mqttFile/runTypes';

export interface BlockOrigin {
  /** The file's URI, as text. */
  uri: string;
  /** 0-based line of the block's request line. */
  line: number;
  /** The block's title (may be empty). */
  title: string;
}

export const DEFAULT_ORIGIN_CAPACITY = 20_000;

export class BlockOrigins {
  private readonly bySeq = new Map<number, BlockOrigin>();

  constructor(private readonly capacity = DEFAULT_ORIGIN_CAPACITY) {}

  get size(): number {
    return this.bySeq.size;
  }

  /** Links every seq of each result to its block in the file `uri`. */
  addResults(uri: string, results: readonly BlockResult[]): void {
    for (const result of results) {
      if (!result.seqs?.length) continue;
      const origin: BlockOrigin = {
        uri,
        line: result.block.requestRange.line,
        title: result.block.title,
      };
      for (const seq of result.seqs) this.add(seq, origin);
    }
  }

  add(seq: number, origin: BlockOrigin): void {
    // Re-inserted at the end: the newest link is the last to go.
    this.bySeq.delete(seq);
    this.bySeq.set(seq, origin);
    while (this.bySeq.size > this.capacity) {
      const oldest = this.bySeq.keys().next().value as number;
      this.bySeq.delete(oldest);
    }
  }

  get(seq: number): BlockOrigin | undefined {
    return this.bySeq.get(seq);
  }
}

/** "lab-check.mqtt:12 · QoS 1 arrives": the file's name, the 1-based line, the title. */
export function originLabel(origin: BlockOrigin): string {
  const tail = origin.uri.slice(origin.uri.lastIndexOf('/') + 1);
  let name = tail;
  try {
    name = decodeURIComponent(tail);
  } catch {
    // A malformed escape: the name as written.
  }
  const place = `${name}:${origin.line + 1}`;
  return origin.title ? `${place} · ${origin.title}` : place;
}
