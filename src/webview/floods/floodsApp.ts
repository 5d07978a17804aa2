/**
 * The Who Floods page: a toolbar (connection, window, sort), a table of the busiest topics with
 * messages/s, bytes/s and a sparkline of the last minute, and an empty state. The host sends a
 * ranking when the view changes and once a second while traffic flows; the page redraws it in
 * place. A click, Enter or Space on a row opens the Message Log filtered to that topic.
 */
import {
  FLOODS_HOST_MESSAGE_TYPES,
  type FloodRanking,
  type FloodSort,
  type FloodView,
  type FloodWindow,
  type FloodsHostToWebview,
  type FloodsReplies,
  type FloodsWebviewToHost,
} from '../../protocol/floods';
import { el } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { formatCount } from '../messageLog/format';
import { l10n } from '../messageLog/l10n';
import { visibleLine } from '../messageLog/visible';
import { createRow, perSecond, rowKey, updateRow, type RowView } from './floodsRows';

const ALL = '';

export class FloodsApp {
  private readonly host: HostClient<FloodsWebviewToHost, FloodsHostToWebview, FloodsReplies>;
  private readonly connection: HTMLSelectElement;
  private readonly window: HTMLSelectElement;
  private readonly sort: HTMLSelectElement;
  private readonly body: HTMLTableSectionElement;
  private readonly table: HTMLTableElement;
  private readonly empty: HTMLDivElement;
  private readonly note: HTMLSpanElement;
  private readonly sortedHeader: { msgs: HTMLElement; bytes: HTMLElement };
  private rows = new Map<string, RowView>();
  private view: FloodView = { window: 10, sort: 'msgs' };

  constructor(root: HTMLElement) {
    root.classList.add('floods');
    const toolbar = el('div', 'toolbar');
    this.connection = select(l10n.t('Connection'), [[ALL, l10n.t('All connections')]]);
    this.window = select(l10n.t('Window'), [
      ['10', l10n.t('Last 10 s')],
      ['60', l10n.t('Last minute')],
    ]);
    this.sort = select(l10n.t('Sort by'), [
      ['msgs', l10n.t('Messages/s')],
      ['bytes', l10n.t('Bytes/s')],
    ]);
    this.note = el('span', 'floods-note muted');
    toolbar.append(
      labelled(l10n.t('Connection'), this.connection),
      labelled(l10n.t('Window'), this.window),
      labelled(l10n.t('Sort by'), this.sort),
      this.note,
    );
    this.table = el('table', 'floods-table');
    this.table.setAttribute('aria-label', l10n.t('Topics by traffic'));
    const head = el('thead');
    const headRow = el('tr');
    const msgs = el('th', 'col-num', l10n.t('Msgs/s'));
    msgs.title = l10n.t('Messages per second');
    const bytes = el('th', 'col-num', l10n.t('Bytes/s'));
    bytes.title = l10n.t('Bytes per second');
    this.sortedHeader = { msgs, bytes };
    headRow.append(
      el('th', 'col-topic', l10n.t('Topic')),
      el('th', 'col-connection', l10n.t('Connection')),
      msgs,
      bytes,
      el('th', 'col-spark', l10n.t('Last minute')),
    );
    head.append(headRow);
    this.body = el('tbody');
    this.table.append(head, this.body);
    const scroller = el('div', 'floods-scroller');
    scroller.append(this.table);
    this.empty = el('div', 'floods-empty');
    root.append(toolbar, scroller, this.empty);

    for (const control of [this.connection, this.window, this.sort])
      control.addEventListener('change', () => this.changed());
    this.body.addEventListener('click', (e) => this.open(rowOf(e.target)));
    this.body.addEventListener('keydown', (e) => this.key(e));
    this.host = new HostClient<FloodsWebviewToHost, FloodsHostToWebview, FloodsReplies>(
      { hostMessageTypes: FLOODS_HOST_MESSAGE_TYPES, replyTypes: {} },
      (m) => this.receive(m),
    );
    this.host.send({ type: 'ready' });
  }

  private receive(m: FloodsHostToWebview): void {
    if (m.type === 'init') {
      // A reload keeps what the user picked; the host answers with its ranking.
      const saved = this.host.getState<{ view: FloodView }>()?.view;
      this.view = saved?.window && saved.sort ? saved : m.ranking.view;
      if (!sameView(this.view, m.ranking.view)) {
        this.host.send({ type: 'setView', view: this.view });
        return;
      }
    }
    if (m.type === 'show') {
      this.view = m.ranking.view;
      this.host.setState({ view: this.view });
      // A view this page asked for may still be on its way (a restored one, after `init`):
      // asking for the shown one again makes the host end on it, not on the older one.
      this.host.send({ type: 'setView', view: this.view });
    }
    // A ranking made for the view before the last change (already on its way) is skipped.
    if (sameView(this.view, m.ranking.view)) this.render(m.ranking);
  }

  private changed(): void {
    const view: FloodView = {
      window: Number(this.window.value) as FloodWindow,
      sort: this.sort.value as FloodSort,
    };
    if (this.connection.value !== ALL) view.connection = this.connection.value;
    this.view = view;
    this.host.setState({ view });
    this.host.send({ type: 'setView', view });
  }

  private render(r: FloodRanking): void {
    const v = r.view;
    this.setConnections(r.connections, v.connection);
    this.window.value = String(v.window);
    this.sort.value = v.sort;
    this.sortedHeader.msgs.classList.toggle('sorted', v.sort === 'msgs');
    this.sortedHeader.bytes.classList.toggle('sorted', v.sort === 'bytes');
    this.sortedHeader.msgs.setAttribute('aria-sort', v.sort === 'msgs' ? 'descending' : 'none');
    this.sortedHeader.bytes.setAttribute('aria-sort', v.sort === 'bytes' ? 'descending' : 'none');
    // One connection shown, or only one with traffic: its name on every row says nothing.
    this.table.classList.toggle(
      'one-connection',
      v.connection !== undefined || r.connections.length <= 1,
    );
    this.renderRows(r);
    this.note.textContent =
      r.untrackedPerSecond > 0
        ? l10n.t(
            '{0} on topics not tracked (more than {1} topics)',
            perSecond(r.untrackedPerSecond),
            formatCount(r.maxTopics),
          )
        : '';
    const quiet = r.rows.length === 0;
    this.table.hidden = quiet;
    this.empty.hidden = !quiet;
    if (quiet) {
      this.empty.replaceChildren(
        el(
          'p',
          undefined,
          v.window === 10
            ? l10n.t('No messages in the last 10 seconds.')
            : l10n.t('No messages in the last minute.'),
        ),
        el(
          'p',
          'muted',
          l10n.t(
            'Topics show here, busiest first, as soon as a connection receives or publishes messages. Start the demo (MQTT: Start Demo Devices) to try it.',
          ),
        ),
      );
    }
  }

  private renderRows(r: FloodRanking): void {
    const focused = document.activeElement;
    const focusKey = [...this.rows.values()].find((v) => v.element === focused)?.key;
    const next = new Map<string, RowView>();
    const elements: HTMLTableRowElement[] = [];
    for (const row of r.rows) {
      const key = rowKey(row);
      let view = this.rows.get(key);
      if (view) updateRow(view, row);
      else view = createRow(row);
      next.set(key, view);
      elements.push(view.element);
    }
    this.rows = next;
    this.body.replaceChildren(...elements);
    // Exactly one row is reachable with Tab: the focused one, or the first.
    const target = (focusKey && next.get(focusKey)) || undefined;
    elements.forEach((e, i) => (e.tabIndex = (target ? e === target.element : i === 0) ? 0 : -1));
    if (target && focused !== document.body) target.element.focus();
  }

  private setConnections(names: string[], shown: string | undefined): void {
    const wanted = [...names];
    if (shown !== undefined && !wanted.includes(shown)) wanted.push(shown);
    const current = Array.from(this.connection.options)
      .slice(1)
      .map((o) => o.value);
    if (current.join('\u0000') !== wanted.join('\u0000')) {
      const options = wanted.map((name) => {
        const o = el('option', undefined, visibleLine(name, 80));
        o.value = name;
        return o;
      });
      this.connection.replaceChildren(this.connection.options[0], ...options);
    }
    this.connection.value = shown ?? ALL;
  }

  private key(e: KeyboardEvent): void {
    const row = rowOf(e.target);
    if (!row) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      this.open(row);
      return;
    }
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const sibling = (
      step > 0 ? row.nextElementSibling : row.previousElementSibling
    ) as HTMLElement | null;
    if (!sibling) return;
    row.tabIndex = -1;
    sibling.tabIndex = 0;
    sibling.focus();
  }

  private open(element: HTMLTableRowElement | undefined): void {
    const view = element && [...this.rows.values()].find((v) => v.element === element);
    if (!view) return;
    this.host.send({ type: 'openTopic', connection: view.row.connection, topic: view.row.topic });
  }
}

function sameView(a: FloodView, b: FloodView): boolean {
  return a.window === b.window && a.sort === b.sort && a.connection === b.connection;
}

function rowOf(target: EventTarget | null): HTMLTableRowElement | undefined {
  const row = target instanceof Element ? target.closest('tr.flood-row') : null;
  return row instanceof HTMLTableRowElement ? row : undefined;
}

function select(label: string, options: [string, string][]): HTMLSelectElement {
  const s = el('select');
  s.setAttribute('aria-label', label);
  for (const [value, text] of options) {
    const o = el('option', undefined, text);
    o.value = value;
    s.append(o);
  }
  return s;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = el('label', 'picker-label', text);
  label.append(control);
  return label;
}
