/**
 * The files named on the command line: each argument is a file or a glob (`tests/*.mqtt`,
 * `tests/**\/*.mqtt`), expanded here so a quoted glob works the same in every shell.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

export interface ExpandedFiles {
  /** Absolute paths, in order of the arguments, each once. */
  files: string[];
  /** The arguments that matched nothing. */
  unmatched: string[];
}

export async function expandFiles(
  patterns: readonly string[],
  cwd: string,
): Promise<ExpandedFiles> {
  const files: string[] = [];
  const seen = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const literal = path.resolve(cwd, pattern);
    let matches: string[];
    if (isRegularFile(literal)) matches = [literal];
    else if (isDynamicPattern(pattern.replace(/\\/g, '/'))) {
      const found = await glob(pattern.replace(/\\/g, '/'), {
        cwd,
        absolute: true,
        onlyFiles: true,
        expandDirectories: false,
        ignore: ['**/node_modules/**'],
      });
      matches = found.map((f) => path.resolve(f)).sort();
    } else matches = [];
    if (matches.length === 0) unmatched.push(pattern);
    for (const file of matches) {
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }
  }
  return { files, unmatched };
}

/** How a file is named in reports: relative to the working folder, with `/`. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative && !relative.startsWith('..') ? relative : file;
  return shown.split(path.sep).join('/');
}

function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
