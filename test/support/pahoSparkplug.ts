/**
 * Runs test/support/paho_sparkplug.py: a Sparkplug B edge node or subscriber made of the real
 * Paho Python client and Google's protobuf, independent of MQTT Scope's own encoding.
 */
import { spawn } from 'node:child_process';
import { findScript, PYTHON } from './paho';

export interface SparkplugPahoEvent {
  event: 'ready' | 'published' | 'message' | 'error';
  topic?: string;
  payload?: {
    seq?: string;
    metrics?: { name?: string; datatype?: number; boolean_value?: boolean }[];
  };
  message?: string;
}

/** Spawns the script; resolves with its events once it exits 0, rejects otherwise. */
export function runSparkplugPaho(
  options: Record<string, unknown>,
  onEvent: (e: SparkplugPahoEvent) => void = () => undefined,
): Promise<SparkplugPahoEvent[]> {
  const child = spawn(PYTHON, [findScript('paho_sparkplug.py'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: SparkplugPahoEvent[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      const event = JSON.parse(line) as SparkplugPahoEvent;
      events.push(event);
      onEvent(event);
    }
  });
  const timeoutMs = Number(options.timeout ?? 10) * 1000 + 3_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(error));
    child.once('close', (code) => {
      clearTimeout(timer);
      const failed = events.find((e) => e.event === 'error');
      if (code === 0) resolve(events);
      else reject(new Error(`paho_sparkplug.py: ${failed?.message ?? `exit ${code}`}\n${stderr}`));
    });
  });
}
