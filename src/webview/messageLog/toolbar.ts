/**
 * The toolbar, one line at any width: view controls (Follow, Pause with its arrivals badge,
 * Clear, detail pane), filters (topic filter, payload text with a regex toggle, and the
 * less-used ones: connection, direction, QoS, retained only) and the counts. When the line is
 * too narrow, the less-used filters fold into a menu, then the buttons drop their labels, then
 * the counts go. Typing is debounced; the host's verdict on a filter comes back through
 * showError / clearErrors.
 */
import type { Direction, LogFilter } from '../../protocol/messageLog';
import { button, el, icon, setPressed } from './dom';
import { FiltersMenu } from './filtersMenu';
import { normalizeLogFilter } from '../../protocol/logFilter';
import { l10n } from './l10n';
import { visibleLine } from './visible';

export const FILTER_DEBOUNCE_MS = 200;
/** Narrowest a text field gets before the toolbar folds something else away. */
const ROOMY_FIELD_PX = 170;

export interface ToolbarCallbacks {
  onFilter(filter: LogFilter): void;
  onFollow(): void;
  onPause(): void;
  onClear(): void;
  onToggleDetail(): void;
}

export class Toolbar {
  readonly element: HTMLDivElement;
  private readonly follow: HTMLButtonElement;
  private readonly pause: HTMLButtonElement;
  private readonly pauseIcon: HTMLSpanElement;
  private readonly pauseLabel: HTMLSpanElement;
  private readonly badge: HTMLSpanElement;
  private readonly detailToggle: HTMLButtonElement;
  private readonly status: HTMLSpanElement;
  private readonly topic: HTMLInputElement;
  private readonly topicError: HTMLSpanElement;
  private readonly text: HTMLInputElement;
  private readonly textError: HTMLSpanElement;
  private readonly regex: HTMLButtonElement;
  private readonly connection: HTMLSelectElement;
  private readonly direction: HTMLSelectElement;
  private readonly qos: HTMLInputElement[];
  private readonly retained: HTMLInputElement;
  private readonly menu: FiltersMenu;
  private readonly filters: HTMLDivElement;
  private regexOn = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connections: string[] = [];

  constructor(private readonly cb: ToolbarCallbacks) {
    this.element = el('div', 'toolbars');

    const bar = el('div', 'toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', l10n.t('Message log'));
    this.follow = button({
      icon: 'arrow-down',
      label: l10n.t('Follow'),
      title: l10n.t('Follow: keep the newest message in view'),
      className: 'follow',
      pressed: true,
    });
    this.pause = button({
      title: l10n.t('Pause the view (capture goes on)'),
      className: 'pause',
      pressed: false,
    });
    this.pauseIcon = icon('debug-pause');
    this.pauseLabel = el('span', 'btn-label', l10n.t('Pause'));
    this.badge = el('span', 'badge');
    this.badge.hidden = true;
    this.pause.removeAttribute('aria-label');
    this.pause.append(this.pauseIcon, this.pauseLabel, this.badge);
    const clear = button({
      icon: 'clear-all',
      label: l10n.t('Clear'),
      title: l10n.t('Clear the log'),
      className: 'clear',
    });
    this.detailToggle = button({
      icon: 'layout-panel',
      label: l10n.t('Detail'),
      title: l10n.t('Show or hide the detail pane'),
      className: 'detail-toggle',
      pressed: true,
    });
    this.status = el('span', 'status');
    this.follow.addEventListener('click', () => this.cb.onFollow());
    this.pause.addEventListener('click', () => this.cb.onPause());
    clear.addEventListener('click', () => this.cb.onClear());
    this.detailToggle.addEventListener('click', () => this.cb.onToggleDetail());
    bar.append(this.follow, this.pause, clear, this.detailToggle);

    const filters = el('div', 'filters');
    this.filters = filters;
    filters.setAttribute('role', 'search');
    filters.setAttribute('aria-label', l10n.t('Filters'));

    const topicField = el('div', 'field field-topic');
    this.topic = input(
      l10n.t('Topic filter, e.g. sensors/+/temp'),
      l10n.t('Topic filter'),
      'topic-filter',
    );
    this.topicError = el('span', 'field-error');
    this.topicError.id = 'ml-topic-error';
    this.topicError.setAttribute('role', 'alert');
    topicField.append(icon('filter'), this.topic, this.topicError);

    const textField = el('div', 'field field-text');
    this.text = input(l10n.t('Payload contains…'), l10n.t('Payload text'), 'text-filter');
    this.regex = button({
      icon: 'regex',
      title: l10n.t('Use a regular expression'),
      className: 'regex',
      pressed: false,
    });
    this.textError = el('span', 'field-error');
    this.textError.id = 'ml-text-error';
    this.textError.setAttribute('role', 'alert');
    textField.append(icon('search'), this.text, this.regex, this.textError);

    this.connection = select(l10n.t('Connection'), [['', l10n.t('All connections')]]);
    this.connection.classList.add('connection-filter');
    this.direction = select(l10n.t('Direction'), [
      ['', l10n.t('In and out')],
      ['in', l10n.t('In')],
      ['out', l10n.t('Out')],
    ]);
    this.direction.classList.add('direction-filter');

    const qosBox = el('fieldset', 'qos-filter');
    qosBox.append(el('legend', '', l10n.t('QoS')));
    this.qos = [0, 1, 2].map((q) => {
      const label = el('label', 'check');
      const box = el('input');
      box.type = 'checkbox';
      box.checked = true;
      box.value = String(q);
      box.setAttribute('aria-label', l10n.t('QoS {0}', q));
      label.append(box, document.createTextNode(String(q)));
      qosBox.appendChild(label);
      return box;
    });

    const retainedLabel = el('label', 'check retained-filter');
    this.retained = el('input');
    this.retained.type = 'checkbox';
    retainedLabel.append(this.retained, document.createTextNode(l10n.t('Retained only')));

    this.menu = new FiltersMenu([this.connection, this.direction, qosBox, retainedLabel]);
    filters.append(topicField, textField, this.menu.button, this.menu.panel);
    this.element.append(bar, filters, this.status);
    // Re-fit when the line's width changes, or what it holds does (icon font loaded, counts
    // grown, connection names changed).
    const resize = new ResizeObserver(() => this.fit());
    for (const box of [this.element, bar, this.status]) resize.observe(box);

    this.topic.addEventListener('input', () => this.changed(true));
    this.text.addEventListener('input', () => this.changed(true));
    this.regex.addEventListener('click', () => {
      this.regexOn = !this.regexOn;
      setPressed(this.regex, this.regexOn);
      this.changed(false);
    });
    this.connection.addEventListener('change', () => this.changed(false));
    this.direction.addEventListener('change', () => this.changed(false));
    for (const box of this.qos) {
      box.addEventListener('change', () => {
        // At least one QoS stays on: no QoS at all would mean "no filter" to the host.
        if (!this.qos.some((b) => b.checked)) box.checked = true;
        this.changed(false);
      });
    }
    this.retained.addEventListener('change', () => this.changed(false));
    for (const field of [this.topic, this.text]) {
      field.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') this.changed(false);
        if (e.key === 'Escape' && field.value) {
          field.value = '';
          this.changed(false);
        }
      });
    }
  }

  /** Folds what does not fit, least needed first, until the toolbar fits on one line. */
  private fit(): void {
    const steps: [string, boolean][] = [
      ['', false],
      ['', true],
      ['icons-only', true],
      ['icons-only no-status', true],
      ['icons-only no-status tight', true],
    ];
    // Trying the steps folds and unfolds the menu. Filters in use stay in reach: an open popover
    // that stays folded stays open, and filters the user is setting in the line, once folded,
    // show in the popover.
    const inUse = this.menu.inUse;
    const focused = document.activeElement as HTMLElement | null;
    for (const [i, [classes, collapsed]] of steps.entries()) {
      this.element.classList.remove('icons-only', 'no-status', 'tight');
      if (classes) this.element.classList.add(...classes.split(' '));
      this.menu.setCollapsed(collapsed);
      // Until the last steps, the text fields must keep room to type in.
      const roomy = i >= 3 || this.topic.offsetWidth >= ROOMY_FIELD_PX;
      if (roomy && fits(this.element) && fits(this.filters)) break;
    }
    if (inUse && this.menu.isCollapsed) this.menu.open(false);
    // A control hidden and shown again on the way lost the focus: give it back.
    if (focused && focused !== document.activeElement && focused.isConnected)
      focused.focus({ preventScroll: true });
  }

  /** The filter the fields describe now. */
  currentFilter(): LogFilter {
    const qos = this.qos.filter((b) => b.checked).map((b) => Number(b.value) as 0 | 1 | 2);
    return normalizeLogFilter({
      topicFilter: this.topic.value.trim(),
      text: this.text.value,
      regex: this.regexOn,
      connection: this.connection.value,
      direction: (this.direction.value || undefined) as Direction | undefined,
      qos,
      retainedOnly: this.retained.checked,
    });
  }

  /** Fills the fields from a filter (the host's, or the restored one) without sending it. */
  setFilter(f: LogFilter): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.topic.value = f.topicFilter ?? '';
    this.text.value = f.text ?? '';
    this.regexOn = f.regex === true;
    setPressed(this.regex, this.regexOn);
    if (f.connection && !this.connections.includes(f.connection))
      this.setConnections([...this.connections, f.connection]);
    this.connection.value = f.connection ?? '';
    this.direction.value = f.direction ?? '';
    const qos = f.qos && f.qos.length > 0 ? f.qos : [0, 1, 2];
    this.qos.forEach((b, q) => (b.checked = qos.includes(q as 0 | 1 | 2)));
    this.retained.checked = f.retainedOnly === true;
    this.countFolded();
  }

  setConnections(names: string[]): void {
    const current = this.connection.value;
    this.connections = [...new Set(names)];
    const keep = this.connection.options[0];
    this.connection.replaceChildren(keep);
    for (const name of this.connections) {
      const option = el('option', '', visibleLine(name, 80));
      option.value = name;
      this.connection.appendChild(option);
    }
    this.connection.value = this.connections.includes(current) ? current : '';
    this.fit();
  }

  setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  setFollow(on: boolean): void {
    setPressed(this.follow, on);
  }

  setPaused(paused: boolean, arrived: number, arrivedText: string): void {
    setPressed(this.pause, paused);
    this.pauseIcon.className = `codicon codicon-${paused ? 'debug-continue' : 'debug-pause'}`;
    this.pauseLabel.textContent = paused ? l10n.t('Resume') : l10n.t('Pause');
    this.pause.title = paused
      ? l10n.t('Resume the view ({0} arrived while paused)', arrivedText)
      : l10n.t('Pause the view (capture goes on)');
    this.badge.hidden = !paused;
    const badge = paused ? `+${arrivedText}` : '';
    if (this.badge.textContent !== badge) this.badge.textContent = badge;
    this.badge.setAttribute('aria-label', l10n.t('{0} new', arrivedText));
    this.pause.dataset.arrived = String(arrived);
  }

  setDetailOpen(open: boolean): void {
    setPressed(this.detailToggle, open);
  }

  /** Shows the host's reason next to the field it is about (guessed from the words if not said). */
  showError(error: string, about?: 'topic' | 'text'): void {
    this.clearErrors();
    const onText = about ? about === 'text' : /regular expression|regex/i.test(error);
    const [field, box] = onText ? [this.text, this.textError] : [this.topic, this.topicError];
    box.textContent = visibleLine(error, 300);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', box.id);
    field.parentElement?.classList.add('invalid');
  }

  /** The host stopped a payload filter that took too long; the previous rows stay. */
  showFilterStopped(limitMs: number): void {
    const seconds = String(Math.round(limitMs / 100) / 10);
    this.showError(
      l10n.t('The filter took longer than {0} s and was stopped; the previous rows stay.', seconds),
      'text',
    );
  }

  clearErrors(): void {
    for (const [field, box] of [
      [this.topic, this.topicError],
      [this.text, this.textError],
    ] as const) {
      box.textContent = '';
      field.removeAttribute('aria-invalid');
      field.removeAttribute('aria-describedby');
      field.parentElement?.classList.remove('invalid');
    }
  }

  private countFolded(): void {
    const f = this.currentFilter();
    const folded = [f.connection, f.direction, f.qos, f.retainedOnly];
    this.menu.setActive(folded.filter((v) => v !== undefined).length);
  }

  private changed(debounce: boolean): void {
    this.countFolded();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (debounce) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.cb.onFilter(this.currentFilter());
      }, FILTER_DEBOUNCE_MS);
    } else {
      this.cb.onFilter(this.currentFilter());
    }
  }
}

/** No content overflows the box sideways. */
function fits(box: HTMLElement): boolean {
  return box.scrollWidth <= box.clientWidth;
}

function input(placeholder: string, label: string, className: string): HTMLInputElement {
  const i = el('input', className);
  i.type = 'text';
  i.placeholder = placeholder;
  i.setAttribute('aria-label', label);
  i.spellcheck = false;
  i.autocomplete = 'off';
  return i;
}

function select(label: string, options: [string, string][]): HTMLSelectElement {
  const s = el('select');
  s.setAttribute('aria-label', label);
  for (const [value, text] of options) {
    const o = el('option', '', text);
    o.value = value;
    s.appendChild(o);
  }
  return s;
}
