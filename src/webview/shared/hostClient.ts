/**
 * A webview's end of its view's protocol (see src/protocol/viewProtocol.ts), for any view:
 * posts requests with fresh ids and routes each reply to whoever asked, hands every other
 * message of a known type to the view, drops anything else. Also the state VS Code keeps for
 * the webview across reloads.
 */
import type { MessageOf, RequestType, Unsent, ViewMessage } from '../../protocol/viewProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface ClientProtocol<ToWebview extends ViewMessage, Replies> {
  /** Every message type the host may send; others are dropped. */
  hostMessageTypes: readonly ToWebview['type'][];
  /** The type of the reply to each request type (e.g. setFilter → 'filter'). */
  replyTypes: { [K in keyof Replies]: Replies[K] extends { type: infer T } ? T : never };
}

export class HostClient<ToHost extends ViewMessage, ToWebview extends ViewMessage, Replies> {
  private readonly api: VsCodeApi;
  private readonly known: Set<string>;
  private nextId = 1;
  private readonly pending = new Map<number, { type: string; resolve: (r: unknown) => void }>();

  constructor(
    private readonly protocol: ClientProtocol<ToWebview, Replies>,
    private readonly onMessage: (message: ToWebview) => void,
  ) {
    this.known = new Set(protocol.hostMessageTypes);
    this.api = acquireVsCodeApi();
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  send(message: ToHost): void {
    this.api.postMessage(message);
  }

  /** Sends a request with a new id; the promise resolves with the reply that repeats the id. */
  request<K extends RequestType<ToHost, Replies>>(
    message: Unsent<MessageOf<ToHost, K>> & { type: K },
  ): { requestId: number; reply: Promise<Replies[K]> } {
    const requestId = this.nextId++;
    const reply = new Promise<Replies[K]>((resolve) => {
      this.pending.set(requestId, {
        type: String(this.protocol.replyTypes[message.type]),
        resolve: resolve as (r: unknown) => void,
      });
    });
    this.api.postMessage({ ...message, requestId });
    return { requestId, reply };
  }

  getState<T>(): Partial<T> | undefined {
    const state = this.api.getState();
    return state && typeof state === 'object' ? (state as Partial<T>) : undefined;
  }

  setState(state: unknown): void {
    this.api.setState(state);
  }

  private receive(data: unknown): void {
    if (!data || typeof data !== 'object') return;
    const message = data as ToWebview;
    if (typeof message.type !== 'string' || !this.known.has(message.type)) return;
    if ('requestId' in message && typeof message.requestId === 'number') {
      const waiting = this.pending.get(message.requestId);
      if (waiting && waiting.type === message.type) {
        this.pending.delete(message.requestId);
        waiting.resolve(message);
      }
      return;
    }
    this.onMessage(message);
  }
}
