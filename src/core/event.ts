/**
 * A vscode-shaped event emitter for the core, which must not import `vscode`.
 * The host can pass these events straight to code that expects `vscode.Event`.
 */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();
  /**
   * The listeners as an array, made again only after one was added or removed: a fire calls
   * those registered when it began, without copying them on every fire (a message event fires
   * for every message of a flood).
   */
  private snapshot: ((e: T) => void)[] | undefined;

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    this.snapshot = undefined;
    return {
      dispose: () => {
        if (this.listeners.delete(listener)) this.snapshot = undefined;
      },
    };
  };

  fire(value: T): void {
    const listeners = (this.snapshot ??= [...this.listeners]);
    for (let i = 0; i < listeners.length; i++) listeners[i](value);
  }

  dispose(): void {
    this.listeners.clear();
    this.snapshot = undefined;
  }
}

/** Collects disposables and disposes them in reverse order of registration. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];

  add<D extends Disposable>(item: D): D {
    this.items.push(item);
    return item;
  }

  dispose(): void {
    for (const item of this.items.splice(0).reverse()) item.dispose();
  }
}
