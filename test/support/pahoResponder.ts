/**
 * A real Paho Python MQTT 5 responder (test/support/paho_responder.py) for request/response
 * tests: it answers each request on its response topic, echoing the correlation data (or, with
 * `wrong`, answering with other correlation data). Only node builtins, no import.meta: this file
 * is also bundled into the integration and e2e tiers.
 */
import { spawn } from 'node:child_process';
import { findScript, PYTHON } from './paho';

export interface ResponderOptions {
  port: number;
  host?: string;
  /** The request topic it subscribes to. */
  topic: string;
  qos?: 0 | 1 | 2;
  /** Replies per request (default 1). */
  replies?: number;
  /** Answer with correlation data that is not the request's. */
  wrong?: boolean;
  /** A JSON value sent as every reply's payload (instead of `reply:<request payload>`). */
  replyJson?: unknown;
  timeoutMs: number;
}

export interface Answer {
  responseTopic: string;
  /** The request's correlation data, hex; null when it carried none. */
  correlationHex: string | null;
  /** What the reply carried, hex. */
  sentHex: string | null;
}

export interface PahoResponder {
  /** Resolves once its SUBACK arrived: send requests after this. */
  ready: Promise<void>;
  readonly answers: Answer[];
  /** Resolves with the next answer given (or an earlier one not yet waited for). */
  nextAnswer(): Promise<Answer>;
  stop(): void;
}

export function startPahoResponder(options: ResponderOptions): PahoResponder {
  const { timeoutMs, ...rest } = options;
  const child = spawn(
    PYTHON,
    [findScript('paho_responder.py'), JSON.stringify({ ...rest, timeout: timeoutMs / 1000 })],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const answers: Answer[] = [];
  let waited = 0;
  let wake: () => void = () => undefined;
  let onReady: () => void = () => undefined;
  let onFail: (error: Error) => void = () => undefined;
  let stderr = '';
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  ready.catch(() => undefined);
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim())) {
      const e = JSON.parse(line) as {
        event: string;
        message?: string;
        response_topic?: string;
        correlation_hex?: string | null;
        sent_hex?: string | null;
      };
      if (e.event === 'ready') onReady();
      if (e.event === 'error') onFail(new Error(`Paho responder: ${e.message}`));
      if (e.event === 'answered') {
        answers.push({
          responseTopic: e.response_topic ?? '',
          correlationHex: e.correlation_hex ?? null,
          sentHex: e.sent_hex ?? null,
        });
        wake();
      }
    }
  });
  child.once('error', (error) => onFail(new Error(`cannot run ${PYTHON}: ${error.message}`)));
  child.once('close', (code) =>
    onFail(new Error(`Paho responder exited (${code}) before it was ready\n${stderr}`)),
  );
  const backstop = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 3_000);
  return {
    ready,
    answers,
    async nextAnswer() {
      const deadline = Date.now() + timeoutMs;
      while (answers.length <= waited) {
        if (Date.now() > deadline) throw new Error('the Paho responder answered no request');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return answers[waited++];
    },
    stop() {
      clearTimeout(backstop);
      child.kill('SIGKILL');
    },
  };
}
