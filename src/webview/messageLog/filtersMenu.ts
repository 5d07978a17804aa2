/**
 * The less-used filters (connection, direction, QoS, retained only). Where the toolbar has room
 * they sit in it; where it has not, they fold behind a "Filters" button into a popover that
 * Escape, a click outside or the button closes. The button counts the filters in force, so a
 * folded filter is never a hidden one.
 *
 * Counts that grow can make the toolbar fold these filters while the user is setting one of
 * them; the toolbar then opens the popover (see `inUse`), so the control stays where it can be
 * reached until the user leaves it.
 */
import { el, icon } from './dom';
import { l10n } from './l10n';

export class FiltersMenu {
  readonly button: HTMLButtonElement;
  readonly panel: HTMLDivElement;
  private readonly count: HTMLSpanElement;
  private collapsed = false;
  /** The user is working with these filters: changed or focused one, and has not left since. */
  private working = false;

  constructor(controls: HTMLElement[]) {
    this.panel = el('div', 'more-filters');
    this.panel.id = 'ml-more-filters';
    this.panel.setAttribute('role', 'group');
    this.panel.setAttribute('aria-label', l10n.t('More filters'));
    this.panel.append(...controls);

    this.button = el('button', 'btn filters-button');
    this.button.type = 'button';
    this.button.title = l10n.t('More filters: connection, direction, QoS, retained');
    this.button.setAttribute('aria-expanded', 'false');
    this.button.setAttribute('aria-controls', this.panel.id);
    this.count = el('span', 'badge filters-count');
    this.count.hidden = true;
    this.button.append(icon('filter'), el('span', 'btn-label', l10n.t('Filters')), this.count);
    this.button.append(icon('chevron-down'));
    this.button.hidden = true;

    this.button.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open(true)));
    for (const type of ['change', 'input', 'focusin', 'pointerdown'])
      this.panel.addEventListener(type, () => (this.working = true));
    // Focus or a click elsewhere (but not on the button) means the user has left the filters.
    document.addEventListener('focusin', (e) => {
      if (!this.owns(e.target as Node)) this.working = false;
    });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || !this.isOpen) return;
      // Escape in another field means that field's own Escape (clearing it), not this one.
      const at = document.activeElement;
      if (at && at !== document.body && !this.panel.contains(at) && at !== this.button) return;
      e.stopPropagation();
      this.close(true);
    });
    document.addEventListener('pointerdown', (e) => {
      if (this.owns(e.target as Node)) return;
      this.working = false;
      this.close(false);
    });
  }

  get isOpen(): boolean {
    return this.panel.classList.contains('open');
  }

  /**
   * The popover is open, or the user is working with these filters where they stood: either way
   * a refit that folds them must show them in the popover, not take them away.
   */
  get inUse(): boolean {
    return this.isOpen || this.working;
  }

  /** Folds the filters behind the button, or puts them back in the toolbar. */
  setCollapsed(collapsed: boolean): void {
    if (collapsed === this.collapsed) return;
    this.collapsed = collapsed;
    // Back in the toolbar: no popover, but the user may still be working with them there.
    if (!collapsed) this.hide(false);
    this.button.hidden = !collapsed;
    this.panel.classList.toggle('popover', collapsed);
  }

  /** How many of the folded filters are in force. */
  setActive(n: number): void {
    this.count.hidden = n === 0;
    this.count.textContent = n ? String(n) : '';
    this.count.setAttribute(
      'aria-label',
      n === 1 ? l10n.t('1 filter in force') : l10n.t('{0} filters in force', n),
    );
  }

  get isCollapsed(): boolean {
    return this.collapsed;
  }

  open(focus = true): void {
    this.panel.classList.add('open');
    this.button.setAttribute('aria-expanded', 'true');
    if (focus) this.panel.querySelector<HTMLElement>('select, input')?.focus();
  }

  /** Closes the popover; the user is done with these filters. */
  close(focusButton: boolean): void {
    this.working = false;
    this.hide(focusButton);
  }

  private hide(focusButton: boolean): void {
    if (!this.isOpen) return;
    this.panel.classList.remove('open');
    this.button.setAttribute('aria-expanded', 'false');
    if (focusButton) this.button.focus();
  }

  private owns(node: Node): boolean {
    return this.panel.contains(node) || this.button.contains(node);
  }
}
