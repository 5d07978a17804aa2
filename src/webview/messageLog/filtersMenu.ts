/**
 * The less-used filters (connection, direction, QoS, retained only). Where the toolbar has room
 * they sit in it; where it has not, they fold behind a "Filters" button into a popover that
 * Escape, a click outside or the button closes. The button counts the filters in force, so a
 * folded filter is never a hidden one.
 */
import { el, icon } from './dom';

export class FiltersMenu {
  readonly button: HTMLButtonElement;
  readonly panel: HTMLDivElement;
  private readonly count: HTMLSpanElement;
  private collapsed = false;

  constructor(controls: HTMLElement[]) {
    this.panel = el('div', 'more-filters');
    this.panel.id = 'ml-more-filters';
    this.panel.setAttribute('role', 'group');
    this.panel.setAttribute('aria-label', 'More filters');
    this.panel.append(...controls);

    this.button = el('button', 'btn filters-button');
    this.button.type = 'button';
    this.button.title = 'More filters: connection, direction, QoS, retained';
    this.button.setAttribute('aria-expanded', 'false');
    this.button.setAttribute('aria-controls', this.panel.id);
    this.count = el('span', 'badge filters-count');
    this.count.hidden = true;
    this.button.append(icon('filter'), el('span', 'btn-label', 'Filters'), this.count);
    this.button.append(icon('chevron-down'));
    this.button.hidden = true;

    this.button.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open(true)));
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.isOpen) return;
      // Escape in another field means that field's own Escape (clearing it), not this one.
      const at = document.activeElement;
      if (at && at !== document.body && !this.panel.contains(at) && at !== this.button) return;
      e.stopPropagation();
      this.close(true);
    });
    document.addEventListener('pointerdown', (e) => {
      const target = e.target as Node;
      if (this.isOpen && !this.panel.contains(target) && !this.button.contains(target))
        this.close(false);
    });
  }

  get isOpen(): boolean {
    return this.panel.classList.contains('open');
  }

  /** Folds the filters behind the button, or puts them back in the toolbar. */
  setCollapsed(collapsed: boolean): void {
    if (collapsed === this.collapsed) return;
    this.collapsed = collapsed;
    if (!collapsed) this.close(false);
    this.button.hidden = !collapsed;
    this.panel.classList.toggle('popover', collapsed);
  }

  /** How many of the folded filters are in force. */
  setActive(n: number): void {
    this.count.hidden = n === 0;
    this.count.textContent = n ? String(n) : '';
    this.count.setAttribute('aria-label', n === 1 ? '1 filter in force' : `${n} filters in force`);
  }

  get isCollapsed(): boolean {
    return this.collapsed;
  }

  open(focus = true): void {
    this.panel.classList.add('open');
    this.button.setAttribute('aria-expanded', 'true');
    if (focus) this.panel.querySelector<HTMLElement>('select, input')?.focus();
  }

  close(focusButton: boolean): void {
    if (!this.isOpen) return;
    this.panel.classList.remove('open');
    this.button.setAttribute('aria-expanded', 'false');
    if (focusButton) this.button.focus();
  }
}
