/**
 * The Chart page: a toolbar (what is charted, Pause/Resume, Reset zoom, Export PNG / CSV, the
 * counts) over a uPlot chart with a legend that shows the values under the cursor. Data comes
 * from the host already decimated, at most every 100 ms, and is drawn at most once per frame;
 * dragging across the plot zooms (the host then sends that range in detail), Reset zoom or a
 * double click follows the newest points again. Topics are device text: shown through
 * visible-text rules, as text only.
 */
import uPlot from 'uplot';
import {
  CHART_HOST_MESSAGE_TYPES,
  MAX_CHART_WIDTH,
  type ChartData,
  type ChartHostToWebview,
  type ChartInit,
  type ChartReplies,
  type ChartWebviewToHost,
} from '../../protocol/chart';
import { button, el, oncePerFrame, setPressed } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { l10n } from '../messageLog/l10n';
import { formatCount } from '../messageLog/format';
import { visibleLine } from '../messageLog/visible';
import { chartColors } from './chartTheme';

/** Longest topic a legend label shows. */
const LABEL_CHARS = 120;

export class ChartApp {
  private readonly host: HostClient<ChartWebviewToHost, ChartHostToWebview, ChartReplies>;
  private readonly title = el('span', 'chart-title');
  private readonly status = el('span', 'chart-status muted');
  private readonly empty = el('div', 'chart-empty muted');
  private readonly plotBox = el('div', 'chart-plot');
  private readonly pauseButton: HTMLButtonElement;
  private plot: uPlot | undefined;
  private topics: string[] = [];
  private data: ChartData | undefined;
  private paused = false;
  private zoom: { from: number; to: number } | undefined;
  private draws = 0;
  private sentWidth = 0;
  private readonly render = oncePerFrame(() => this.draw());
  /** The box and the legend: the plot takes the box's height less the legend's. */
  private readonly resizer = new ResizeObserver(() => this.resize());

  constructor(private readonly root: HTMLElement) {
    root.classList.add('chart-page');
    this.pauseButton = button({
      icon: 'debug-pause',
      label: l10n.t('Pause'),
      title: l10n.t('Pause the chart'),
      pressed: false,
    });
    const reset = button({
      icon: 'zoom-out',
      label: l10n.t('Reset Zoom'),
      title: l10n.t('Show the newest points again'),
    });
    const png = button({
      icon: 'file-media',
      label: l10n.t('Export PNG'),
      title: l10n.t('Save the chart as a PNG image'),
    });
    const csv = button({
      icon: 'table',
      label: l10n.t('Export CSV'),
      title: l10n.t('Save every point as CSV'),
    });
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
    reset.addEventListener('click', () => this.resetZoom());
    png.addEventListener('click', () => this.exportPng());
    csv.addEventListener('click', () => this.host.send({ type: 'exportCsv' }));
    const toolbar = el('div', 'toolbar');
    toolbar.append(this.title, this.pauseButton, reset, png, csv, this.status);
    this.empty.textContent = l10n.t('Waiting for numbers…');
    root.append(toolbar, this.plotBox, this.empty);
    this.host = new HostClient(
      { hostMessageTypes: CHART_HOST_MESSAGE_TYPES, replyTypes: {} },
      (message) => this.receive(message),
    );
    this.resizer.observe(this.plotBox);
    this.host.send({ type: 'ready' });
  }

  private receive(message: ChartHostToWebview): void {
    switch (message.type) {
      case 'init':
        this.init(message);
        return;
      case 'data':
        this.data = message;
        this.render();
        return;
    }
  }

  private init(message: ChartInit): void {
    const field = message.field === '' ? l10n.t('payload as a number') : message.field;
    this.title.textContent = `${visibleLine(message.topicFilter, LABEL_CHARS)} · ${visibleLine(field, LABEL_CHARS)}`;
    this.title.title = visibleLine(message.connection, LABEL_CHARS);
    this.paused = message.paused;
    this.showPaused();
    this.sendView();
  }

  private draw(): void {
    const data = this.data;
    if (!data) return;
    const { stats } = data;
    const parts = [l10n.t('{0} points', formatCount(stats.points))];
    if (stats.skippedTopics)
      parts.push(l10n.t('{0} more topics not charted', formatCount(stats.skippedTopics)));
    if (stats.unreadable)
      parts.push(l10n.t('{0} messages without a number there', formatCount(stats.unreadable)));
    this.status.textContent = parts.join(' · ');
    this.empty.hidden = data.times.length > 0;
    const aligned = [data.times, ...data.values] as uPlot.AlignedData;
    if (!this.plot || !sameTopics(this.topics, data.topics)) {
      this.plot?.destroy();
      this.topics = data.topics;
      this.plot = this.createPlot(aligned);
      this.resizer.disconnect();
      this.resizer.observe(this.plotBox);
      const legend = this.plot.root.querySelector('.u-legend');
      if (legend) this.resizer.observe(legend);
    } else {
      this.plot.setData(aligned, this.zoom === undefined);
    }
  }

  private createPlot(data: uPlot.AlignedData): uPlot {
    const colors = chartColors();
    const axis: uPlot.Axis = {
      stroke: colors.foreground,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
    };
    const { width, height } = this.size();
    const plot = new uPlot(
      {
        width,
        height,
        ms: 1,
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: 60 }],
        // Hover shows each series' nearest point, not a gap where another series has one.
        cursor: { drag: { x: true, y: false, setScale: true }, dataIdx: nearestPoint },
        legend: { show: true },
        series: [
          { label: l10n.t('Time') },
          ...this.topics.map((topic, i) => ({
            label: visibleLine(topic, LABEL_CHARS),
            stroke: colors.series(i),
            width: 1.5,
            spanGaps: true,
            points: { show: false },
          })),
        ],
        hooks: {
          draw: [() => this.countDraw()],
          setSelect: [(u) => this.zoomed(u)],
        },
      },
      data,
      this.plotBox,
    );
    plot.over.addEventListener('dblclick', () => this.resetZoom());
    return plot;
  }

  private countDraw(): void {
    this.draws++;
    this.root.dataset.draws = String(this.draws);
  }

  private zoomed(u: uPlot): void {
    if (u.select.width < 2) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    if (!(from < to)) return;
    this.zoom = { from, to };
    this.sendView();
  }

  private resetZoom(): void {
    this.zoom = undefined;
    this.sendView();
    if (this.plot && this.data) this.plot.setData([this.data.times, ...this.data.values], true);
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.showPaused();
    this.host.send({ type: 'pause', paused });
  }

  private showPaused(): void {
    const b = this.pauseButton;
    setPressed(b, this.paused);
    b.querySelector('.codicon')!.className =
      `codicon codicon-${this.paused ? 'debug-continue' : 'debug-pause'}`;
    b.querySelector('.btn-label')!.textContent = this.paused ? l10n.t('Resume') : l10n.t('Pause');
    b.title = this.paused ? l10n.t('Resume the chart') : l10n.t('Pause the chart');
  }

  private size(): { width: number; height: number } {
    const box = this.plotBox.getBoundingClientRect();
    // The legend sits under the plot, inside the box: one row per few series.
    const legend = this.plot?.root.querySelector('.u-legend')?.getBoundingClientRect().height ?? 30;
    return {
      width: Math.max(100, Math.floor(box.width)),
      height: Math.max(80, Math.floor(box.height - legend - 8)),
    };
  }

  private resize(): void {
    const size = this.size();
    this.plot?.setSize(size);
    if (size.width !== this.sentWidth) this.sendView();
  }

  private sendView(): void {
    const width = Math.min(MAX_CHART_WIDTH, this.size().width);
    this.sentWidth = width;
    const message: ChartWebviewToHost = { type: 'view', width };
    if (this.zoom) message.range = this.zoom;
    this.host.send(message);
  }

  private exportPng(): void {
    const canvas = this.plot?.ctx.canvas;
    if (!canvas) return;
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d')!;
    ctx.fillStyle = chartColors().background;
    ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.drawImage(canvas, 0, 0);
    const url = copy.toDataURL('image/png');
    this.host.send({ type: 'exportPng', png: url.slice(url.indexOf(',') + 1) });
  }
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

/** The index of the point of series `seriesIndex` nearest to the hovered index (within 500). */
function nearestPoint(u: uPlot, seriesIndex: number, hovered: number): number {
  const values = u.data[seriesIndex];
  if (!values || values[hovered] != null) return hovered;
  for (let d = 1; d < 500; d++) {
    if (hovered - d >= 0 && values[hovered - d] != null) return hovered - d;
    if (hovered + d < values.length && values[hovered + d] != null) return hovered + d;
  }
  return hovered;
}
