/**
 * Runs the real Eclipse Paho Python client (test/support/paho_client.py) as a subprocess, as an
 * independent MQTT implementation to check the core against. Only node builtins, no import.meta:
 * this file is also bundled into dist/test/integration/ and run in a VS Code extension host.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Debian's Paho is installed for the system Python; a python3 earlier on PATH may lack it. */
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface PahoMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  retain: boolean;
}

interface Common {
  port: number;
  host?: string;
  topic: string;
  qos: 0 | 1 | 2;
  count: number;
  protocol: 4 | 5;
  timeoutMs: number;
  username?: string;
  password?: string;
}

export interface PahoSubscribeOptions extends Common {
  /** Keep listening this long after `count` messages, so extra deliveries are caught too. */
  lingerMs?: number;
}

export interface PahoPublishOptions extends Common {
  /** "{i}" is replaced by the message index (0-based). */
  payload: string;
  retain?: boolean;
}

export interface PahoSubscriber {
  /** Resolves with the granted QoS codes once the SUBACK arrived: publish after this. */
  ready: Promise<number[]>;
  /** Resolves with every message received once `count` arrived (and the linger passed). */
  messages: Promise<PahoMessage[]>;
  /** Ends the subprocess early; safe to call at any time. */
  kill(): void;
}

/**
 * A script of test/support/ under the repo root, found by walking up to the package.json of
 * mqtt-scope, from source or bundle.
 */
export function findScript(name = 'paho_client.py'): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(manifest) && readName(manifest) === 'mqtt-scope') {
        return path.join(dir, 'test', 'support', name);
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new Error(`${name} not found: no mqtt-scope package.json above ${__dirname}`);
}

function readName(manifest: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

interface PahoEvent {
  event: 'ready' | 'message' | 'published' | 'error';
  granted?: number[];
  topic?: string;
  payload_hex?: string;
  qos?: number;
  retain?: boolean;
  message?: string;
  count?: number;
}

/** Spawns the script; `onEvent` sees each stdout line; resolves on exit 0, rejects otherwise. */
function runPaho(
  options: Record<string, unknown>,
  timeoutMs: number,
  onEvent: (e: PahoEvent) => void,
): { exited: Promise<void>; kill(): void } {
  const child = spawn(PYTHON, [findScript(), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let errorEvent: string | undefined;
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let event: PahoEvent;
      try {
        event = JSON.parse(line) as PahoEvent;
      } catch {
        stderr += `\nunexpected output: ${line}`;
        continue;
      }
      if (event.event === 'error') errorEvent = event.message;
      onEvent(event);
    }
  });
  // The script enforces its own timeout; this is the backstop if Python itself hangs.
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 3_000);
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`cannot run ${PYTHON}: ${error.message}`)));
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const why = errorEvent ?? (signal ? `killed by ${signal}` : `exit code ${code}`);
        reject(
          new Error(`Paho ${String(options.mode)} failed: ${why}${stderr ? `\n${stderr}` : ''}`),
        );
      }
    });
  });
  return { exited, kill: () => child.kill('SIGKILL') };
}

export function pahoSubscribe(opts: PahoSubscribeOptions): PahoSubscriber {
  const messages: PahoMessage[] = [];
  let onReady: (granted: number[]) => void = () => undefined;
  const readyEvent = new Promise<number[]>((resolve) => (onReady = resolve));
  const { lingerMs, timeoutMs, ...rest } = opts;
  const run = runPaho(
    { ...rest, mode: 'sub', timeout: timeoutMs / 1000, linger: (lingerMs ?? 0) / 1000 },
    timeoutMs,
    (e) => {
      if (e.event === 'ready') onReady(e.granted ?? []);
      if (e.event === 'message') {
        const payload = Buffer.from(e.payload_hex ?? '', 'hex');
        messages.push({ topic: e.topic ?? '', payload, qos: e.qos ?? -1, retain: !!e.retain });
      }
    },
  );
  const ready = Promise.race([readyEvent, run.exited.then(() => readyEvent)]);
  const done = run.exited.then(() => messages);
  // A caller awaiting only one of them must not leave the other as an unhandled rejection.
  ready.catch(() => undefined);
  done.catch(() => undefined);
  return { ready, messages: done, kill: run.kill };
}

/** Publishes `count` messages and resolves once every one was acknowledged (wait_for_publish). */
export function pahoPublish(opts: PahoPublishOptions): Promise<void> {
  const { timeoutMs, ...rest } = opts;
  let published = -1;
  const run = runPaho({ ...rest, mode: 'pub', timeout: timeoutMs / 1000 }, timeoutMs, (e) => {
    if (e.event === 'published') published = e.count ?? -1;
  });
  return run.exited.then(() => {
    if (published !== opts.count) {
      throw new Error(`Paho reported ${published} of ${opts.count} publishes acknowledged`);
    }
  });
}
