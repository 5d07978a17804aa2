/**
 * The Chart's handler set on the generic ViewBinding: it serves one Chart webview from a core
 * `ChartSeriesSet`. It sends what to draw, decimated to the width the webview reported and to
 * the range it shows, whenever the set announces new points (at most every 100 ms) unless the
 * user paused the chart or the panel is hidden (it is sent once when shown again); and it hands the exports to the host (a save dialog there): the PNG the
 * webview drew, and the CSV built here from every point kept.
 */
import type { Disposable, Event } from '../../core/event';
import type { Logger } from '../../core/ports';
import { alignedData, chartCsv } from '../../core/charts/chartData';
import type { ChartSeries, ChartSeriesSet } from '../../core/charts/chartSeriesSet';
import type {
  ChartData,
  ChartHostToWebview,
  ChartReplies,
  ChartWebviewToHost,
} from '../../protocol/chart';
import { MAX_CHART_TOPIC_CHARS } from '../../protocol/chart';
import { validateChartMessage } from '../../protocol/validateChartMessage';
import { ViewBinding } from '../viewBinding';
import type { Translator, WebviewChannel } from '../webviewChannel';

export interface ChartHost {
  /** Asks where to save and writes the file; resolves with where, or undefined (cancelled). */
  save(kind: 'png' | 'csv', bytes: Uint8Array): Promise<string | undefined>;
  l10n: Translator;
  showError(message: string): void;
  /** Whether the panel is on screen; nothing is sent to a hidden one. */
  isVisible?(): boolean;
  logger?: Logger;
}

/** The width decimated for until the webview says how wide it is. */
const DEFAULT_WIDTH = 1000;

export class ChartBinding implements Disposable {
  private readonly binding: ViewBinding<ChartWebviewToHost, ChartHostToWebview, ChartReplies>;
  private readonly subscription: Disposable;
  private width = DEFAULT_WIDTH;
  private range: { from: number; to: number } | undefined;
  private paused = false;
  /** The newest point's time when the chart was paused: what it shows ends there. */
  private pausedAt = -Infinity;
  /** Data messages posted, for tests and the frame measurement. */
  posted = 0;

  constructor(
    channel: WebviewChannel,
    private readonly set: ChartSeriesSet,
    private readonly host: ChartHost,
  ) {
    const { spec } = set;
    this.binding = new ViewBinding(channel, {
      name: 'Chart',
      validate: validateChartMessage,
      init: () => {
        queueMicrotask(() => this.postData());
        return { type: 'init', ...spec, paused: this.paused };
      },
      handlers: {
        view: ({ width, range }) => {
          this.width = width;
          this.range = range;
          this.postData();
        },
        pause: ({ paused }) => {
          if (paused && !this.paused) this.pausedAt = newestTime(set.series());
          this.paused = paused;
          if (!paused) this.postData();
        },
        exportCsv: () => this.export('csv', Buffer.from(chartCsv(set.series(), spec.field))),
        exportPng: ({ png }) => this.export('png', Buffer.from(png, 'base64')),
      },
      logger: host.logger,
    });
    this.subscription = set.onDidChange(() => {
      if (!this.paused) this.postData();
    });
  }

  get onDidReceive(): Event<ChartWebviewToHost> {
    return this.binding.onDidReceive;
  }

  get isReady(): boolean {
    return this.binding.isReady;
  }

  whenReady(): Promise<boolean> {
    return this.binding.whenReady();
  }

  dispose(): void {
    this.subscription.dispose();
    this.binding.dispose();
  }

  /** Sends the data now (the panel came back on screen). */
  refresh(): void {
    this.postData();
  }

  /** What the webview is sent now. */
  data(): ChartData {
    const series = this.set.series();
    const aligned = alignedData(series, this.width, this.shownRange());
    let points = 0;
    for (const s of series) points += s.ring.length;
    return {
      type: 'data',
      // Sent up to 10 times a second: a long topic is cut, as Who Floods does.
      topics: series.map((s) => s.topic.slice(0, MAX_CHART_TOPIC_CHARS)),
      times: aligned.times,
      values: aligned.values,
      stats: {
        points,
        skippedTopics: this.set.skippedTopics,
        unreadable: this.set.unreadable,
      },
    };
  }

  /** The range asked for; while paused, never past the pause (a resize or reset keeps it). */
  private shownRange(): { from: number; to: number } | undefined {
    if (!this.paused) return this.range;
    const to = Math.min(this.range?.to ?? Infinity, this.pausedAt);
    return { from: this.range?.from ?? oldestTime(this.set.series()), to };
  }

  private postData(): void {
    if (!this.binding.isReady || this.host.isVisible?.() === false) return;
    this.posted++;
    this.binding.post(this.data());
  }

  private async export(kind: 'png' | 'csv', bytes: Uint8Array): Promise<void> {
    try {
      if (kind === 'png' && !isPng(bytes))
        throw new Error(this.host.l10n.t('The chart image is not a PNG.'));
      await this.host.save(kind, bytes);
    } catch (error) {
      this.host.showError(
        this.host.l10n.t(
          'Could not export the chart: {0}',
          error instanceof Error ? error.message : String(error),
        ),
      );
    }
  }
}

function isPng(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length > 8 && signature.every((b, i) => bytes[i] === b);
}

function newestTime(series: readonly ChartSeries[]): number {
  let newest = -Infinity;
  for (const { ring } of series)
    if (ring.length > 0) newest = Math.max(newest, ring.timeAt(ring.length - 1));
  return newest;
}

function oldestTime(series: readonly ChartSeries[]): number {
  let oldest = Infinity;
  for (const { ring } of series) if (ring.length > 0) oldest = Math.min(oldest, ring.timeAt(0));
  return oldest;
}
