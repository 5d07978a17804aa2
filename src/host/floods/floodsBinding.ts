/**
 * Who Floods' handler set on the generic ViewBinding: it serves one Who Floods webview from the
 * core's `TopicRates`. The webview says which connection, window and sort it shows; the host
 * answers with the top rows at once and then once a second while the rates roll (only while
 * the view is visible). A click on a row is handed to the host: the Message Log filtered to the
 * topic and its connection.
 */
import type { Disposable, Event } from '../../core/event';
import type { Logger } from '../../core/ports';
import type { RankedTopic, TopicRates } from '../../core/rates/topicRates';
import {
  MAX_FLOOD_ROWS,
  MAX_FLOOD_TOPIC_CHARS,
  type FloodRanking,
  type FloodView,
  type FloodsHostToWebview,
  type FloodsReplies,
  type FloodsWebviewToHost,
} from '../../protocol/floods';
import { validateFloodsMessage } from '../../protocol/validateFloodsMessage';
import { ViewBinding } from '../viewBinding';
import type { WebviewChannel } from '../webviewChannel';

export interface FloodsHost {
  /** Opens the Message Log filtered to a topic on a connection. */
  openLog(connection: string, topic: string): Promise<void> | void;
  showError(message: string): void;
  /** Whether the webview is on screen; rankings are not built for a hidden one. */
  isVisible?(): boolean;
  logger?: Logger;
}

export const DEFAULT_FLOOD_VIEW: FloodView = { window: 10, sort: 'msgs' };

export class FloodsBinding implements Disposable {
  private readonly binding: ViewBinding<FloodsWebviewToHost, FloodsHostToWebview, FloodsReplies>;
  private readonly subscription: Disposable;
  private view: FloodView = DEFAULT_FLOOD_VIEW;
  /** The rows last sent, whole: a row whose topic was cut opens the whole topic. */
  private sent: RankedTopic[] = [];

  constructor(
    channel: WebviewChannel,
    private readonly rates: TopicRates,
    private readonly host: FloodsHost,
  ) {
    this.binding = new ViewBinding(channel, {
      name: 'Who Floods',
      validate: validateFloodsMessage,
      init: () => ({ type: 'init', ranking: this.ranking() }),
      handlers: {
        setView: ({ view }) => {
          this.view = view;
          this.binding.post({ type: 'ranking', ranking: this.ranking() });
        },
        openTopic: async ({ connection, topic }) => {
          const row = this.sent.find((r) => r.connection === connection && cut(r.topic) === topic);
          try {
            await host.openLog(connection, row?.topic ?? topic);
          } catch (error) {
            host.showError(error instanceof Error ? error.message : String(error));
          }
        },
      },
      logger: host.logger,
    });
    this.subscription = rates.onDidRoll(() => this.refresh());
  }

  /** Every well-formed message from the webview, before it is handled. */
  get onDidReceive(): Event<FloodsWebviewToHost> {
    return this.binding.onDidReceive;
  }

  get isReady(): boolean {
    return this.binding.isReady;
  }

  whenReady(): Promise<boolean> {
    return this.binding.whenReady();
  }

  /** What the webview shows now. */
  get shown(): FloodView {
    return this.view;
  }

  /** Shows another connection, window or sort (the webview follows). */
  show(view: FloodView): void {
    this.view = view;
    this.binding.post({ type: 'show', ranking: this.ranking() });
  }

  /** Sends the current ranking (the rates rolled, or the view came back on screen). */
  refresh(): void {
    if (!this.binding.isReady || this.host.isVisible?.() === false) return;
    this.binding.post({ type: 'ranking', ranking: this.ranking() });
  }

  dispose(): void {
    this.subscription.dispose();
    this.binding.dispose();
  }

  private ranking(): FloodRanking {
    const { view, rates } = this;
    this.sent = rates.ranking({ ...view, limit: MAX_FLOOD_ROWS });
    return {
      view,
      // A topic may be 65,535 characters long: a hundred of those each second would be megabytes.
      rows: this.sent.map((r) =>
        r.topic.length > MAX_FLOOD_TOPIC_CHARS ? { ...r, topic: cut(r.topic) } : r,
      ),
      connections: rates.connectionNames(),
      untrackedPerSecond: rates.untracked(view.connection, view.window),
      maxTopics: rates.maxTopics,
    };
  }
}

function cut(topic: string): string {
  return topic.length > MAX_FLOOD_TOPIC_CHARS ? topic.slice(0, MAX_FLOOD_TOPIC_CHARS) : topic;
}
