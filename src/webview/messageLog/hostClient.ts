/**
 * The webview's end of the protocol (src/protocol/messageLog.ts): posts requests with fresh ids,
 * routes replies to whoever asked, everything else to the app. Also the persisted UI state.
 */
import type {
  DetailReply,
  DetailRequest,
  FilterReply,
  HostToWebview,
  LocateReply,
  LocateRequest,
  RowsReply,
  RowsRequest,
  SetFilterRequest,
  WebviewToHost,
} from '../../protocol/messageLog';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Reply = RowsReply | DetailReply | FilterReply | LocateReply;
type ReplyFor<R> = R extends RowsRequest
  ? RowsReply
  : R extends DetailRequest
    ? DetailReply
    : R extends LocateRequest
      ? LocateReply
      : FilterReply;
type Unsent<R> = R extends unknown ? Omit<R, 'requestId'> : never;

const HOST_MESSAGE_TYPES = new Set([
  'init',
  'stats',
  'rows',
  'detail',
  'filter',
  'locate',
  'filterChanged',
  'connections',
  'select',
]);

export class HostClient {
  private readonly api: VsCodeApi;
  private nextId = 1;
  private readonly pending = new Map<number, { type: string; resolve: (r: Reply) => void }>();

  constructor(private readonly onMessage: (message: HostToWebview) => void) {
    this.api = acquireVsCodeApi();
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
  }

  send(message: WebviewToHost): void {
    this.api.postMessage(message);
  }

  /** Sends a request with a new id; the promise resolves with the reply that repeats the id. */
  request<R extends RowsRequest | DetailRequest | SetFilterRequest | LocateRequest>(
    message: Unsent<R>,
  ): { requestId: number; reply: Promise<ReplyFor<R>> } {
    const requestId = this.nextId++;
    const reply = new Promise<ReplyFor<R>>((resolve) => {
      this.pending.set(requestId, {
        type: replyType(message.type),
        resolve: resolve as (r: Reply) => void,
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
    const message = data as HostToWebview;
    if (typeof message.type !== 'string' || !HOST_MESSAGE_TYPES.has(message.type)) return;
    if ('requestId' in message && typeof message.requestId === 'number') {
      const waiting = this.pending.get(message.requestId);
      if (waiting && waiting.type === message.type) {
        this.pending.delete(message.requestId);
        waiting.resolve(message as Reply);
      }
      return;
    }
    this.onMessage(message);
  }
}

function replyType(requestType: string): string {
  return requestType === 'setFilter' ? 'filter' : requestType;
}
