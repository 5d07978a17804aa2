/**
 * Bench helpers for child processes: each measured client runs in a process of its own so the
 * JIT sees only its code (sharing one process made the variants slow each other down by 10-20 %
 * through polymorphic call sites), and the replay server gets the other core.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface Child {
  /** Sends a request and resolves with the child's next message. */
  ask<T>(request: unknown): Promise<T>;
  close(): void;
}

/** Longest wait for a child's answer: a run that lost messages must fail, not hang the bench. */
const ANSWER_TIMEOUT_MS = 120_000;

/** Forks a .ts file with the same loader (tsx) and GC access as the bench itself. */
export function forkTs(file: string, args: string[]): Child {
  const child: ChildProcess = fork(file, args, {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let failed: Error | undefined;
  const waiters: { resolve(v: unknown): void; reject(e: Error): void }[] = [];
  const fail = (error: Error) => {
    failed ??= error;
    for (const w of waiters.splice(0)) w.reject(error);
  };
  child.on('message', (m) => {
    const w = waiters.shift();
    const error = (m as { error?: string }).error;
    if (error !== undefined) w?.reject(new Error(error));
    else w?.resolve(m);
  });
  child.on('error', fail);
  child.on('exit', (code) => fail(new Error(`${file} ${args[0]} exited (${code})`)));
  return {
    ask<T>(request: unknown): Promise<T> {
      if (failed) return Promise.reject(failed);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => fail(new Error(`${file} ${args[0]} gave no answer in ${ANSWER_TIMEOUT_MS} ms`)),
          ANSWER_TIMEOUT_MS,
        );
        const settle =
          <V>(f: (v: V) => void) =>
          (v: V) => {
            clearTimeout(timer);
            f(v);
          };
        waiters.push({ resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
        child.send(request as object);
      });
    },
    close: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}

/** In a child: answers each request with handle(request), or with { error } when it throws. */
export function serveRequests(handle: (request: unknown) => Promise<object>): void {
  process.on('message', (request) => {
    handle(request).then(
      (reply) => process.send?.(reply),
      (error: unknown) => process.send?.({ error: String((error as Error)?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
