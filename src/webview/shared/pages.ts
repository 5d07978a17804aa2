/**
 * Page fetching for a virtualised grid, for any view: the rows in view are asked for by index
 * range, only the pages not cached or in flight, each request's reply routed back by its id.
 */

/** A view's row cache, by page (e.g. the Message Log's RowModel). */
export interface PagedRows {
  /** The requests that cover the missing rows of [from, to), with the pages each fills. */
  missing(
    from: number,
    to: number,
  ): { pages: number[]; request: { start: number; count: number } }[];
  /** A request for `pages` went out with this id. */
  sent(requestId: number, pages: number[], count: number): void;
}

/** Asks the host, through `ask`, for the rows of [from, to) that `rows` lacks. */
export function fetchMissing<Reply>(
  rows: PagedRows,
  from: number,
  to: number,
  ask: (start: number, count: number) => { requestId: number; reply: Promise<Reply> },
  onReply: (reply: Reply) => void,
): void {
  for (const m of rows.missing(from, to)) {
    const { requestId, reply } = ask(m.request.start, m.request.count);
    rows.sent(requestId, m.pages, m.request.count);
    void reply.then(onReply);
  }
}
