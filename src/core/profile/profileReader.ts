/**
 * The small helpers the profile checks share: a `ProfileReader` that reads fields of one
 * profile and records a problem (with its setting path) for each mistake, and `describe`, which
 * names a wrong value in a message without echoing more than a short prefix. The shapes and
 * ranges of fields are the schema's business (profileSchema.ts): the getters here return
 * undefined for a value of the wrong type, which the schema has already reported.
 */
import type { ProfileProblem } from './profileTypes';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads one profile; pushes problems and returns undefined when it cannot be used. */
export class ProfileReader {
  constructor(
    private readonly raw: Obj,
    private readonly base: string,
    private readonly problems: ProfileProblem[],
    private readonly profileName?: string,
  ) {}

  problem(key: string, message: string): void {
    const path = key ? `${this.base}.${key}` : this.base;
    this.problems.push({ path, message, profileName: this.profileName });
  }

  string(key: string): string | undefined {
    const v = this.raw[key];
    return typeof v === 'string' ? v : undefined;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    return typeof v === 'boolean' ? v : fallback;
  }

  int(key: string): number | undefined {
    const v = this.raw[key];
    return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
