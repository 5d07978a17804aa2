/**
 * Charts in VS Code: each chart is an editor panel (one per chart) served by a `ChartBinding`
 * over a core `ChartSeriesSet` fed by the message store (history) and every session's traffic
 * (live). Exports go through a save dialog. "MQTT: Chart Topic…" (chartCommand.ts) opens them.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import { realScheduler } from '../../core/ports';
import { ChartSeriesSet, type ChartSpec } from '../../core/charts/chartSeriesSet';
import type { DecoderRuleOf, MetricAliasOf } from '../../core/charts/payloadFields';
import type { SessionManager } from '../../core/session/sessionManager';
import type { MessageStore } from '../../core/store/messageStore';
import { ChartBinding } from '../../host/chart/chartBinding';
import { visibleLine } from '../../shared/visibleText';
import { Views } from '../constants';
import { showError, showInfo } from '../notify';
import { webviewHtml, webviewOptions } from '../webviewHtml';

export interface OpenChart {
  spec: ChartSpec;
  panel: vscode.WebviewPanel;
  set: ChartSeriesSet;
  binding: ChartBinding;
}

export class ChartController implements vscode.Disposable {
  /** The decoder rule of a topic (`mqttScope.decoders`), when the settings have rules. */
  decoderRule: DecoderRuleOf | undefined;
  /** Sparkplug B metric names of a message on `connection` sent by alias. */
  sparkplugAliases: ((connection: string) => MetricAliasOf) | undefined;
  private readonly charts = new Set<OpenChart>();

  constructor(
    private readonly sessions: SessionManager,
    readonly store: MessageStore,
    private readonly extensionUri: vscode.Uri,
    private readonly logger?: Logger,
  ) {}

  /** The charts open now, oldest first (for tests). */
  get open(): readonly OpenChart[] {
    return [...this.charts];
  }

  /** Opens a new chart panel beside the active editor. */
  show(spec: ChartSpec): OpenChart {
    const set = new ChartSeriesSet(spec, {
      store: this.store,
      onTraffic: this.sessions.onTraffic,
      scheduler: realScheduler,
      decoderRule: (topic) => this.decoderRule?.(topic),
      metricAlias: (message) => this.sparkplugAliases?.(spec.connection)(message),
    });
    const field = spec.field === '' ? vscode.l10n.t('payload') : spec.field;
    const panel = vscode.window.createWebviewPanel(
      Views.chartPanel,
      vscode.l10n.t('Chart: {0} · {1}', visibleLine(spec.topicFilter, 60), visibleLine(field, 40)),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(this.extensionUri),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'mqtt.svg');
    const binding = new ChartBinding(panel.webview, set, {
      save: (kind, bytes) => save(kind, bytes),
      l10n: vscode.l10n,
      showError: (message) => void showError(message),
      isVisible: () => panel.visible,
      logger: this.logger,
    });
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
      name: 'chart',
      title: vscode.l10n.t('Chart'),
    });
    const chart = { spec, panel, set, binding };
    this.charts.add(chart);
    const shown = panel.onDidChangeViewState(({ webviewPanel }) => {
      if (webviewPanel.visible) binding.refresh();
    });
    panel.onDidDispose(() => {
      shown.dispose();
      binding.dispose();
      set.dispose();
      this.charts.delete(chart);
    });
    return chart;
  }

  dispose(): void {
    for (const chart of [...this.charts]) chart.panel.dispose();
  }
}

async function save(kind: 'png' | 'csv', bytes: Uint8Array): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `chart-${new Date().toISOString().replace(/[:.]/g, '-')}.${kind}`;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters:
      kind === 'png'
        ? { [vscode.l10n.t('PNG image')]: ['png'] }
        : { [vscode.l10n.t('CSV table')]: ['csv'] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, bytes);
  void showInfo(vscode.l10n.t('Chart saved to {0}', uri.fsPath || uri.toString()));
  return uri.toString();
}
