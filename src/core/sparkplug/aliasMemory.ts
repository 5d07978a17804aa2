/**
 * The byte budget of every alias map kept, across all edge nodes and devices: births are kept
 * oldest first, and the oldest are let go when the maps together would pass the budget (their
 * aliases then read "its birth is no longer kept"). Metric names longer than a limit are kept cut.
 */
import type { AliasGeneration, DeviceState } from './sparkplugState';

/** What one alias → name entry costs, roughly: two UTF-16 strings and a map slot. */
const ENTRY_OVERHEAD = 80;

export function aliasEntryBytes(alias: string, name: string): number {
  return 2 * (alias.length + name.length) + ENTRY_OVERHEAD;
}

/** A metric name as kept: at most `max` characters, a longer one cut with "…". */
export function keptName(name: string, max: number): string {
  return name.length <= max ? name : `${name.slice(0, max - 1)}…`;
}

export class AliasMemory {
  private readonly kept = new Map<AliasGeneration, DeviceState>();
  private total = 0;

  constructor(private readonly budget: number) {}

  /** The bytes all kept alias maps take, by the estimate above. */
  get bytes(): number {
    return this.total;
  }

  /** Records a birth just kept by `holder`, letting go of the oldest beyond the budget. */
  add(holder: DeviceState, birth: AliasGeneration): void {
    this.kept.set(birth, holder);
    this.total += birth.bytes;
    for (const [oldest, owner] of this.kept) {
      if (this.total <= this.budget || oldest === birth) break;
      const at = owner.births.indexOf(oldest);
      if (at >= 0) owner.births.splice(at, 1);
      owner.birthsDropped = (owner.birthsDropped ?? 0) + 1;
      this.forget(oldest);
    }
  }

  /** A birth no longer kept (dropped by count, or its holder removed). */
  forget(birth: AliasGeneration): void {
    if (this.kept.delete(birth)) this.total -= birth.bytes;
  }
}
