/**
 * Runs one `.mqtt` file from the command line: read, parse (errors become `file:line:col`
 * lines and the file does not run), then `runMqttFile` over plain MQTT.js clients, closed at the
 * end whatever happened.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { MqttFile } from '../core/mqttFile/mqttFileAst';
import { mqttJsRunClients } from '../core/mqttFile/mqttJsRunClients';
import { parseMqttFile } from '../core/mqttFile/parser';
import { runMqttFile } from '../core/mqttFile/runner';
import type { BlockResult, RunOptions } from '../core/mqttFile/runTypes';
import { realScheduler } from '../core/ports';
import { blockLabel, type FileError, type FileReport } from './fileReport';

/** A `.mqtt` file and a `< path` body are read up to this size. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

export type ClientDefaults = Parameters<typeof mqttJsRunClients>[0];

export interface FileRunSettings {
  clients: ClientDefaults;
  /** The environment's variables. */
  variables: Record<string, string>;
  /** Multiplies every EXPECT and REQUEST window. */
  timeoutScale: number;
  /** `{{$env NAME}}` and, in the CLI, `{{$secret NAME}}`. */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
}

export interface FileRunListener {
  /** After parsing: the warnings (1-based places). */
  parsed?(warnings: FileError[]): void;
  blockEnded?(result: BlockResult, label: string): void;
}

export interface FileRun {
  report: FileReport;
  /** Per block index, its label in reports. */
  labels: string[];
}

export async function runFile(
  file: string,
  displayPath: string,
  settings: FileRunSettings,
  listener: FileRunListener = {},
): Promise<FileRun> {
  const started = Date.now();
  const done = (errors: FileError[], labels: string[], result?: FileReport['result']) => ({
    report: { path: displayPath, errors, result, durationMs: Date.now() - started },
    labels,
  });
  let text: string;
  try {
    text = new TextDecoder().decode(await readBounded(file));
  } catch (error) {
    return done([{ line: 1, column: 1, message: (error as Error).message }], []);
  }
  const parsed = parseMqttFile(text, {
    knownVariables: Object.keys(settings.variables),
  });
  const lines = text.split(/\r?\n/);
  const labels = parsed.blocks.map((block) => blockLabel(block, lines));
  const place = (p: MqttFile['problems'][number]): FileError => ({
    line: p.range.line + 1,
    column: p.range.column + 1,
    message: p.message,
  });
  listener.parsed?.(parsed.problems.filter((p) => p.severity === 'warning').map(place));
  const errors = parsed.problems.filter((p) => p.severity === 'error').map(place);
  if (errors.length > 0) return done(errors, labels);
  scaleWindows(parsed, settings.timeoutScale);

  const clients = mqttJsRunClients(settings.clients);
  const dir = path.dirname(file);
  const options: RunOptions = {
    clients,
    scheduler: realScheduler,
    variables: settings.variables,
    env: (name) => settings.env[name],
    secret: async (name) => settings.env[name],
    readFile: (relative) => readBounded(path.resolve(dir, relative)),
    signal: settings.signal,
    reporter: {
      blockEnded: (result) => listener.blockEnded?.(result, labels[result.block.index] ?? ''),
    },
  };
  try {
    const result = await runMqttFile(parsed, options);
    return done([], labels, result);
  } catch (error) {
    // The runner reports failures in its results; this is a fault of the runner itself.
    return done([{ line: 1, column: 1, message: `the run stopped: ${errorText(error)}` }], labels);
  } finally {
    await clients.closeAll().catch(() => undefined);
  }
}

/** Every EXPECT and REQUEST window times `scale` (a slow CI machine). */
function scaleWindows(file: MqttFile, scale: number): void {
  if (scale === 1) return;
  for (const block of file.blocks) {
    if (block.kind === 'expect' || block.kind === 'request') {
      block.withinMs = Math.round(block.withinMs * scale);
    }
  }
}

/** A regular file's bytes, refused when larger than MAX_READ_BYTES. */
export async function readBounded(file: string): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
    );
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`cannot read ${file}: not a file`);
    if (stat.size > MAX_READ_BYTES) {
      throw new Error(`cannot read ${file}: ${stat.size} bytes, more than the 16 MiB allowed`);
    }
    const buffer = Buffer.alloc(stat.size);
    let filled = 0;
    while (filled < stat.size) {
      const { bytesRead } = await handle.read(buffer, filled, stat.size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, filled);
  } finally {
    await handle.close();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
