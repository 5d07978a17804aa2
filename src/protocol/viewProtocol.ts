/**
 * What every view's protocol has in common, so one host binding (src/host/viewBinding.ts) and
 * one webview client (src/webview/shared/hostClient.ts) serve any view:
 * - every message is plain data with a `type`;
 * - the webview's first message is `{ type: 'ready' }`, answered by the view's init message;
 * - a request carries a `requestId` that its reply repeats. Which reply answers which request
 *   is a map from request type to reply type (e.g. `LogReplies` in messageLog.ts).
 */

export interface ViewMessage {
  type: string;
}

export interface ReadyMessage {
  type: 'ready';
}

/** The message of `Union` whose type is `K`. */
export type MessageOf<Union extends ViewMessage, K extends Union['type']> = Extract<
  Union,
  { type: K }
>;

/** Request types (keys) and the reply each gets; both carry `requestId`. */
export type ReplyMap<ToHost extends ViewMessage, ToWebview extends ViewMessage> = {
  [K in ToHost['type']]?: ToWebview & { requestId: number };
};

/** The request types of a view: those its reply map names. */
export type RequestType<ToHost extends ViewMessage, Replies> = Extract<
  ToHost['type'],
  keyof Replies
>;

/** A message without the id the binding (or the client) fills in. */
export type Unsent<M> = M extends unknown ? Omit<M, 'requestId'> : never;

/** The result of checking what a webview posted at run time. */
export type WebviewMessageCheckOf<ToHost> =
  { ok: true; message: ToHost } | { ok: false; problem: string };
