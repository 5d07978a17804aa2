/**
 * A `.proto` file and the files it imports, parsed into one protobufjs `Root`. Files are read
 * through the caller (the extension reads the workspace); `google/protobuf/*.proto` come with
 * protobufjs. A mistake comes back naming the file and the line.
 */
import * as path from 'node:path';
import protobuf from 'protobufjs';

/** A schema and its imports may not pull in more files than this. */
const MAX_FILES = 64;

export interface ProtoSchema {
  root: protobuf.Root;
  /** Every file read (absolute paths), for watching. */
  files: string[];
}

/** Reads `file` (absolute) and its imports, relative to the importing file or to `roots`. */
export async function loadProtoSchema(
  file: string,
  readText: (absolutePath: string) => Promise<string>,
  roots: readonly string[] = [],
): Promise<ProtoSchema> {
  const root = new protobuf.Root();
  const files: string[] = [];
  const seen = new Set<string>();
  const queue: { candidates: string[]; name: string; from?: string }[] = [
    { candidates: [file], name: file },
  ];
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (next.candidates.some((c) => seen.has(c))) continue;
    if (files.length >= MAX_FILES) throw new Error(`${file}: imports more than ${MAX_FILES} files`);
    const read = await readFirst(next.candidates, readText);
    if (typeof read === 'string') {
      const what = next.from
        ? `${next.from}: cannot read the import "${next.name}"`
        : `cannot read ${file}`;
      throw new Error(`${what}: ${read}`);
    }
    const { text } = read;
    seen.add(read.file);
    files.push(read.file);
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
    } catch (error) {
      throw new Error(`${read.file}: ${(error as Error).message}`);
    }
    for (const name of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      const common = protobuf.common.get(name);
      if (common) {
        if (!seen.has(name)) root.addJSON(common.nested ?? {});
        seen.add(name);
        continue;
      }
      queue.push({ candidates: importCandidates(name, read.file, roots), name, from: read.file });
    }
  }
  try {
    root.resolveAll();
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
  return { root, files };
}

/** Where an import may be: relative to the importing file's folder, then to each root. */
function importCandidates(name: string, from: string, roots: readonly string[]): string[] {
  if (path.isAbsolute(name)) return [name];
  return [path.dirname(from), ...roots].map((dir) => path.resolve(dir, name));
}

/** The first candidate that reads, or the first one's error. */
async function readFirst(
  candidates: string[],
  readText: (absolutePath: string) => Promise<string>,
): Promise<{ file: string; text: string } | string> {
  let firstError: string | undefined;
  for (const candidate of candidates) {
    try {
      return { file: candidate, text: await readText(candidate) };
    } catch (error) {
      firstError ??= (error as Error).message;
    }
  }
  return firstError ?? 'not found';
}

/** The message type `name` in the schema, or an error listing the types it has. */
export function findMessageType(schema: ProtoSchema, name: string, file: string): protobuf.Type {
  try {
    return schema.root.lookupType(name.replace(/^\./, ''));
  } catch {
    const names: string[] = [];
    const walk = (ns: protobuf.NamespaceBase) => {
      for (const child of ns.nestedArray) {
        if (child instanceof protobuf.Type) names.push(child.fullName.slice(1));
        if (child instanceof protobuf.Namespace || child instanceof protobuf.Type) walk(child);
      }
    };
    walk(schema.root);
    const mine = names.filter((n) => !n.startsWith('google.protobuf.'));
    throw new Error(
      `message type "${name}" is not in ${file}` +
        (mine.length
          ? ` (it has ${mine.slice(0, 8).join(', ')}${mine.length > 8 ? ', …' : ''})`
          : ''),
    );
  }
}
