/**
 * Reads the PEM files a TLS profile names (tls.ca, tls.cert, tls.key) without ever blocking the
 * host: asynchronously, only regular files (a FIFO, a device such as /dev/zero or a folder is
 * refused before a byte is read), and at most 1 MiB each. A wrong file is named with its setting,
 * its resolved path and why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionProfile } from '../profile/profile';
import { MqttError } from '../mqttError';
import { formatBytes } from '../../shared/byteSize';

/** The contents of the files a profile's `tls` names; absent ones stay undefined. */
export interface TlsFileContents {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Where relative paths, `${workspaceFolder}` and `~` point. */
export interface TlsPathContext {
  /** The workspace folder; relative paths resolve against it. */
  baseDir?: string;
  /** The user's home folder (`~`); os.homedir() when absent. */
  homeDir?: string;
}

/** A PEM file of CA certificates is a few KiB, a system bundle about 200 KiB. */
export const MAX_TLS_FILE_BYTES = 1024 * 1024;

const TLS_FILE_KEYS = ['ca', 'cert', 'key'] as const;
type TlsFileKey = (typeof TLS_FILE_KEYS)[number];

/** Expands `${workspaceFolder}` and a leading `~`, then resolves a relative path. */
export function resolveTlsPath(file: string, context: TlsPathContext): string {
  let expanded = file;
  if (expanded.includes('${workspaceFolder}')) {
    if (!context.baseDir)
      throw new MqttError(`"${file}" uses \${workspaceFolder}, but no folder is open.`);
    expanded = expanded.split('${workspaceFolder}').join(context.baseDir);
  }
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith(`~${path.sep}`))
    expanded = path.join(context.homeDir ?? os.homedir(), expanded.slice(1));
  if (path.isAbsolute(expanded) || !context.baseDir) return expanded;
  return path.join(context.baseDir, expanded);
}

/** Whether the profile names TLS files to read (mqtts://, wss:// with tls.ca, cert or key). */
export function hasTlsFiles(profile: ConnectionProfile): boolean {
  const tls = profile.tls;
  if (!tls || (profile.protocol !== 'mqtts' && profile.protocol !== 'wss')) return false;
  return TLS_FILE_KEYS.some((key) => tls[key] !== undefined);
}

/** Reads the files of a TLS profile (mqtts://, wss://); nothing for a plain one. */
export async function readTlsFiles(
  profile: ConnectionProfile,
  context: TlsPathContext,
): Promise<TlsFileContents> {
  const tls = profile.tls;
  if (!tls || (profile.protocol !== 'mqtts' && profile.protocol !== 'wss')) return {};
  const contents: TlsFileContents = {};
  for (const key of TLS_FILE_KEYS) {
    const file = tls[key];
    if (file !== undefined) contents[key] = await readTlsFile(file, key, context);
  }
  return contents;
}

/** Reads one TLS file; throws an MqttError naming the setting, the path and what is wrong. */
export async function readTlsFile(
  file: string,
  key: TlsFileKey,
  context: TlsPathContext,
): Promise<Buffer> {
  let resolved = file;
  const fail = (why: string) => new MqttError(`Cannot read tls.${key} "${resolved}": ${why}.`);
  try {
    resolved = resolveTlsPath(file, context);
  } catch (error) {
    throw new MqttError(`Cannot read tls.${key}: ${(error as Error).message}`);
  }
  // Checked before opening: opening a FIFO for reading waits for a writer.
  const before = await fs.promises.stat(resolved).catch((error: NodeJS.ErrnoException) => {
    throw fail(errnoText(error));
  });
  const kind = fileKind(before);
  if (kind) throw fail(`${kind}, not a regular file; point it at a PEM file`);
  if (before.size > MAX_TLS_FILE_BYTES) throw fail(tooLarge(before.size));
  // O_NONBLOCK: a file swapped for a FIFO after the check above cannot make the open wait.
  const handle = await fs.promises
    .open(resolved, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
    .catch((error: NodeJS.ErrnoException) => {
      throw fail(errnoText(error));
    });
  try {
    const stat = await handle.stat();
    const swapped = fileKind(stat);
    if (swapped) throw fail(`${swapped}, not a regular file; point it at a PEM file`);
    // One byte more than allowed tells a file that grew past the cap since the check.
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_TLS_FILE_BYTES) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_TLS_FILE_BYTES) throw fail(tooLarge(length));
      if (length === buffer.length) break;
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof MqttError) throw error;
    throw fail(errnoText(error as NodeJS.ErrnoException));
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function fileKind(stat: fs.Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'it is a folder';
  if (stat.isFIFO()) return 'it is a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'it is a character device';
  if (stat.isBlockDevice()) return 'it is a block device';
  if (stat.isSocket()) return 'it is a socket';
  return 'it is a special file';
}

function tooLarge(size: number): string {
  return `it is ${formatBytes(size)}, more than the 1 MiB a TLS file may have (a PEM file is a few KiB)`;
}

function errnoText(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    default:
      return error.code ?? String(error);
  }
}
