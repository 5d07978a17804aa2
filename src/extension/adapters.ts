/**
 * VS Code implementations of the ports the core declares (src/core/ports.ts); the credentials
 * port is `secretCredentials.ts`.
 */
import type * as vscode from 'vscode';
import type { KeyValueStore, Logger } from '../core/ports';

export function outputLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
    debug: (m) => channel.debug(m),
  };
}

export function mementoStore(memento: vscode.Memento): KeyValueStore {
  return { get: (key) => memento.get(key), update: (key, value) => memento.update(key, value) };
}
