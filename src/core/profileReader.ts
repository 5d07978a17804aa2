/**
 * The small helpers every profile section reader shares: a `ProfileReader` that reads typed
 * fields of one profile and records a problem (with its setting path) for each mistake, and
 * `describe`, which names a wrong value in a message without echoing more than a short prefix.
 */
import type { ProfileProblem } from './profile';

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

  string(key: string, required = false): string | undefined {
    const v = this.raw[key];
    if (v === undefined) {
      if (required) this.problem(key, `"${key}" is required.`);
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      this.problem(key, `"${key}" must be a non-empty string, not ${describe(v)}.`);
      return undefined;
    }
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.raw[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.problem(key, `"${key}" must be true or false, not ${describe(v)}.`);
      return fallback;
    }
    return v;
  }

  int(key: string, min: number, max: number): number | undefined | null {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.problem(
        key,
        `"${key}" must be a whole number from ${min} to ${max}, not ${describe(v)}.`,
      );
      return null;
    }
    return v;
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}
