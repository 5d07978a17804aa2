/**
 * The Debian mosquitto-clients command-line tools as independent MQTT peers: mosquitto_sub with
 * a readiness signal and a line per message, and mosquitto_pub sending many messages from one
 * process (`-l`: one message per stdin line). Both are killed by a bounded timer if they hang.
 */
import { spawn } from 'node:child_process';

export interface MosquittoSubOptions {
  port: number;
  topic: string;
  qos: 0 | 1 | 2;
  protocol: 4 | 5;
  /** mosquitto_sub exits after this many messages (`-C`). */
  count: number;
  /** mosquitto_sub's own timeout (`-W`), in seconds. */
  timeoutSeconds: number;
}

export interface MosquittoSub {
  /** Resolves once the SUBACK arrived (or the process ended): publish after this. */
  ready: Promise<void>;
  /** Resolves with one "topic q<qos> r<retain> payload" line per message on exit 0. */
  lines: Promise<string[]>;
  /** How many messages it has printed so far. */
  received(): number;
  kill(): void;
}

export function mosquittoSub(o: MosquittoSubOptions): MosquittoSub {
  // `-d` prints "received SUBACK" once subscribed; messages are told apart by an "MSG " prefix.
  const args = ['-h', '127.0.0.1', '-p', String(o.port), '-t', o.topic, '-q', String(o.qos)];
  args.push('-C', String(o.count), '-W', String(o.timeoutSeconds), '-d');
  args.push('-V', o.protocol === 5 ? 'mqttv5' : 'mqttv311', '-F', 'MSG %t q%q r%r %p');
  const child = spawn('mosquitto_sub', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const backstop = setTimeout(() => child.kill('SIGKILL'), o.timeoutSeconds * 1000 + 3_000);
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('received SUBACK')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const lines = new Promise<string[]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(backstop);
      onReady();
      if (code !== 0) {
        reject(new Error(`mosquitto_sub exited with ${code ?? signal}: ${err}\n${out}`));
        return;
      }
      resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('MSG '))
          .map((l) => l.slice(4)),
      );
    });
  });
  lines.catch(() => undefined);
  const received = () => out.split('\n').filter((l) => l.startsWith('MSG ')).length;
  return { ready, lines, received, kill: () => child.kill('SIGKILL') };
}

export interface MosquittoPubOptions {
  port: number;
  topic: string;
  qos: 0 | 1 | 2;
  protocol: 4 | 5;
  /** One message per entry (no newlines inside). */
  messages: string[];
  retain?: boolean;
  timeoutMs: number;
}

export interface MosquittoPubResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs mosquitto_pub -l with the messages on stdin; resolves with how it exited (never rejects
 * for a non-zero exit, so a test can assert a refusal). */
export function mosquittoPub(o: MosquittoPubOptions): Promise<MosquittoPubResult> {
  const args = ['-h', '127.0.0.1', '-p', String(o.port), '-t', o.topic, '-q', String(o.qos)];
  args.push('-V', o.protocol === 5 ? 'mqttv5' : 'mqttv311', '-l');
  if (o.retain) args.push('-r');
  const child = spawn('mosquitto_pub', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A refused connection may close stdin before everything is written.
  child.stdin.on('error', () => undefined);
  child.stdin.end(o.messages.map((m) => `${m}\n`).join(''));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr + (signal ? `\nkilled by ${signal}` : '') });
    });
  });
}
