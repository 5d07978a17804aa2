/**
 * Serves one webview of any view, whatever its protocol: it checks every message the webview
 * posts before anything acts on it, holds everything back until the webview said 'ready' (then
 * the view's init message goes first), hands each message to the handler of its type, posts a
 * request's reply with the request's id, and contains failures: a malformed message or a
 * throwing handler is logged, never allowed to take the host down. A view is its protocol (the
 * message unions and a reply map), its validator and a handler for every message type; a type
 * without a handler does not compile.
 */
import { Emitter, type Disposable, type Event } from '../core/event';
import type { Logger } from '../core/ports';
import type {
  MessageOf,
  Unsent,
  ViewMessage,
  WebviewMessageCheckOf,
} from '../protocol/viewProtocol';
import type { WebviewChannel } from './webviewChannel';

type Awaitable<T> = T | PromiseLike<T>;

/**
 * One handler per message type the webview may send ('ready', which every protocol has, is the
 * binding's own). A request
 * (a type in `Replies`) returns its reply without the id; any other message returns nothing.
 */
export type ViewHandlers<ToHost extends ViewMessage, Replies> = {
  [K in Exclude<ToHost['type'], 'ready'>]: K extends keyof Replies
    ? (message: MessageOf<ToHost, K>) => Awaitable<Unsent<Replies[K]>>
    : (message: MessageOf<ToHost, K>) => Awaitable<void>;
};

export interface ViewSpec<ToHost extends ViewMessage, ToWebview extends ViewMessage, Replies> {
  /** Names the view in log lines, e.g. "Message Log". */
  name: string;
  /** The run-time check of what the webview posts (type, field shapes, bounds). */
  validate(data: unknown): WebviewMessageCheckOf<ToHost>;
  /** The first message the webview gets, built when it says 'ready' (again after a reload). */
  init(): ToWebview;
  handlers: ViewHandlers<ToHost, Replies>;
  logger?: Logger;
}

export class ViewBinding<
  ToHost extends ViewMessage,
  ToWebview extends ViewMessage,
  Replies = Record<never, never>,
> implements Disposable {
  private ready = false;
  private disposed = false;
  private readyWaiters: ((ready: boolean) => void)[] = [];
  private readonly received = new Emitter<ToHost>();
  /** Every well-formed message from the webview, before its handler runs. */
  readonly onDidReceive: Event<ToHost> = this.received.event;
  private readonly subscription: Disposable;

  constructor(
    private readonly channel: WebviewChannel,
    private readonly spec: ViewSpec<ToHost, ToWebview, Replies>,
  ) {
    this.subscription = channel.onDidReceiveMessage((data) => this.receive(data));
  }

  /** The webview said 'ready' and got its init message. */
  get isReady(): boolean {
    return this.ready;
  }

  /**
   * Resolves once the webview said 'ready' and got its init message (at once if it has): true;
   * false when the binding is disposed first, so a caller never waits for a closed view.
   */
  whenReady(): Promise<boolean> {
    if (this.ready || this.disposed) return Promise.resolve(this.ready && !this.disposed);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Posts a notice; before 'ready' and after dispose it is not posted (init brings the state). */
  post(message: ToWebview): void {
    if (this.ready && !this.disposed) this.send(message);
  }

  dispose(): void {
    this.disposed = true;
    for (const resolve of this.readyWaiters.splice(0)) resolve(false);
    this.subscription.dispose();
    this.received.dispose();
  }

  private receive(data: unknown): void {
    if (this.disposed) return;
    const { name, logger } = this.spec;
    let checked: WebviewMessageCheckOf<ToHost>;
    try {
      checked = this.spec.validate(data);
    } catch (error) {
      logger?.error(`${name}: the check of a webview message failed: ${describe(error)}`);
      return;
    }
    if (!checked.ok) {
      logger?.warn(`${name}: ignored a malformed message from the webview: ${checked.problem}`);
      return;
    }
    const message = checked.message;
    try {
      this.received.fire(message);
      if (message.type === 'ready') {
        this.ready = true;
        this.send(this.spec.init());
        for (const resolve of this.readyWaiters.splice(0)) resolve(true);
        return;
      }
      const handlers = this.spec.handlers as unknown as Record<
        string,
        (m: unknown) => Awaitable<object | void>
      >;
      const result = handlers[message.type](message);
      const requestId = (message as { requestId?: unknown }).requestId;
      const reply = (answer: object | void) => {
        if (typeof requestId === 'number' && answer)
          this.post({ ...answer, requestId } as unknown as ToWebview);
      };
      if (isThenable(result)) {
        (result as PromiseLike<object | void>).then(reply, (error: unknown) =>
          this.failed(message.type, error),
        );
      } else {
        reply(result);
      }
    } catch (error) {
      this.failed(message.type, error);
    }
  }

  private failed(type: string, error: unknown): void {
    this.spec.logger?.error(`${this.spec.name}: a "${type}" request failed: ${describe(error)}`);
  }

  private send(message: ToWebview): void {
    try {
      const posted = this.channel.postMessage(message);
      if (isThenable(posted))
        posted.then(undefined, (error: unknown) => this.postFailed(message, error));
    } catch (error) {
      this.postFailed(message, error);
    }
  }

  private postFailed(message: ToWebview, error: unknown): void {
    this.spec.logger?.debug(
      `${this.spec.name}: a "${message.type}" message did not reach the webview: ${describe(error)}`,
    );
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
