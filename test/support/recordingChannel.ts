/**
 * A WebviewChannel in memory, for host bindings under test: the test plays the webview with
 * `send` (what a page would post), and every message the binding posts is recorded in `posted`
 * and handed to `deliver` (the browser tests forward it into a real page).
 */
import type { Disposable } from '../../src/core/event';
import type { WebviewChannel } from '../../src/host/webviewChannel';

export class RecordingChannel<ToWebview = unknown> implements WebviewChannel {
  /** Every message the binding posted, in order. */
  readonly posted: ToWebview[] = [];
  /** Where posted messages go (in order); the promise is what postMessage returns. */
  deliver: (message: ToWebview) => Promise<unknown> = async () => undefined;
  private readonly listeners = new Set<(data: unknown) => void>();
  private delivered: Promise<unknown> = Promise.resolve();

  postMessage(message: unknown): PromiseLike<boolean> {
    this.posted.push(message as ToWebview);
    this.delivered = this.deliver(message as ToWebview);
    return this.delivered.then(() => true);
  }

  onDidReceiveMessage(listener: (data: unknown) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** What the webview posts: goes to the binding as the page's message would. */
  send(data: unknown): void {
    for (const listener of [...this.listeners]) listener(data);
  }

  /** Resolves once everything posted so far was delivered. */
  idle(): Promise<void> {
    return this.delivered.then(() => undefined);
  }

  /** How many listeners the binding still holds (none after dispose). */
  get listening(): number {
    return this.listeners.size;
  }
}

/** A Logger that keeps its lines, by level. */
export class RecordingLogger {
  readonly lines: { level: 'info' | 'warn' | 'error' | 'debug'; message: string }[] = [];
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  at(level: 'info' | 'warn' | 'error' | 'debug'): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}
