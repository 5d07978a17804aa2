/**
 * The Packet Trace's handler set on the generic ViewBinding: it serves one Packet Trace webview
 * from the core's `PacketTrace`, one connection at a time. It answers the webview's requests for
 * rows (by trace index) and for an entry's detail, sends small `stats` notices as the shown
 * trace grows (at most every 100 ms, as the trace announces), and hands "Show in Message Log" to
 * the host. Entries are worded (summary, fields) only when a page is asked for.
 */
import type { Disposable, Event } from '../../core/event';
import type { Logger } from '../../core/ports';
import type { PacketTrace } from '../../core/trace/packetTrace';
import { traceFields, traceSummary } from '../../core/trace/traceText';
import type { TraceEntry } from '../../core/trace/traceTypes';
import type {
  TraceConnection,
  TraceHostToWebview,
  TraceReplies,
  TraceRow,
  TraceStats,
  TraceWebviewToHost,
} from '../../protocol/packetTrace';
import { validatePacketTraceMessage } from '../../protocol/validatePacketTraceMessage';
import { ViewBinding, type ViewHandlers } from '../viewBinding';
import type { Translator, WebviewChannel } from '../webviewChannel';

export interface PacketTraceHost {
  /** Selects a message in the Message Log (opening it). */
  showInLog(seq: number): Promise<void> | void;
  l10n: Translator;
  showError(message: string): void;
  logger?: Logger;
}

export class PacketTraceBinding implements Disposable {
  private readonly binding: ViewBinding<TraceWebviewToHost, TraceHostToWebview, TraceReplies>;
  private readonly disposables: Disposable[] = [];
  private shown: string | undefined;
  /** An entry to select once the webview is ready. */
  private selectFirst: number | undefined;

  constructor(
    channel: WebviewChannel,
    private readonly trace: PacketTrace,
    private readonly host: PacketTraceHost,
    o: { connection?: string; index?: number } = {},
  ) {
    this.shown = o.connection ?? this.defaultConnection();
    this.selectFirst = o.index;
    this.binding = new ViewBinding(channel, {
      name: 'Packet Trace',
      validate: validatePacketTraceMessage,
      init: () => {
        const select = this.selectFirst;
        this.selectFirst = undefined;
        return { type: 'init', connections: this.connections(), stats: this.stats(), select };
      },
      handlers: this.handlers(),
      logger: host.logger,
    });
    this.disposables.push(
      trace.onDidChange((names) => {
        const stats = this.stats();
        if (stats && names.includes(stats.connection)) this.binding.post({ type: 'stats', stats });
      }),
      trace.onDidChangeTraced(() => {
        this.shown ??= this.defaultConnection();
        this.binding.post({ type: 'connections', connections: this.connections() });
        const stats = this.stats();
        if (stats) this.binding.post({ type: 'stats', stats });
      }),
    );
  }

  /** Every well-formed message from the webview, before it is handled. */
  get onDidReceive(): Event<TraceWebviewToHost> {
    return this.binding.onDidReceive;
  }

  get isReady(): boolean {
    return this.binding.isReady;
  }

  /** The connection shown. */
  get connection(): string | undefined {
    return this.shown;
  }

  /** Shows a connection's trace, with one of its entries selected when given ("Show in Packet Trace"). */
  select(connection: string, index?: number): void {
    this.shown = connection;
    if (!this.binding.isReady) this.selectFirst = index;
    else this.binding.post({ type: 'select', stats: this.statsOf(connection), index });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.binding.dispose();
  }

  private defaultConnection(): string | undefined {
    const names = this.trace.connections();
    return names.find((n) => this.trace.isTraced(n)) ?? names[0];
  }

  private connections(): TraceConnection[] {
    return this.trace.connections().map((name) => ({ name, traced: this.trace.isTraced(name) }));
  }

  private stats(connection = this.shown): TraceStats | undefined {
    return connection === undefined ? undefined : this.statsOf(connection);
  }

  private statsOf(connection: string): TraceStats {
    const { start, end } = this.trace.range(connection);
    return { connection, start, end, traced: this.trace.isTraced(connection) };
  }

  private handlers(): ViewHandlers<TraceWebviewToHost, TraceReplies> {
    const { trace, host } = this;
    return {
      showConnection: ({ connection }) => {
        this.shown = connection;
        return { type: 'connection', stats: this.statsOf(connection) };
      },
      rows: ({ connection, start, count }) => ({
        type: 'rows',
        connection,
        start,
        rows: trace.page(connection, start, count).map(toRow),
        stats: this.stats(connection) as TraceStats,
      }),
      detail: ({ connection, index }) => {
        const entry = trace.get(connection, index);
        if (!entry)
          return { type: 'detail', error: host.l10n.t('This packet is no longer in the trace.') };
        return { type: 'detail', detail: { ...toRow(entry), fields: traceFields(entry) } };
      },
      showInLog: async ({ seq }) => {
        try {
          await host.showInLog(seq);
        } catch (error) {
          host.showError(error instanceof Error ? error.message : String(error));
        }
      },
    };
  }
}

function toRow(e: TraceEntry): TraceRow {
  const row: TraceRow = {
    index: e.index,
    time: e.time,
    direction: e.direction,
    type: e.type,
    summary: traceSummary(e),
  };
  if (e.packetId !== undefined) row.packetId = e.packetId;
  if (e.size !== undefined) row.size = e.size;
  if (e.rttMs !== undefined) row.rttMs = e.rttMs;
  if (e.seq !== undefined) row.seq = e.seq;
  return row;
}
