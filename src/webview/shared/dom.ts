/**
 * DOM helpers for every view. Everything a webview shows is built with createElement + textContent: no
 * markup is ever parsed, so no message can inject elements, attributes or styles.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon, hidden from screen readers (the control around it carries the label). */
export function icon(name: string): HTMLSpanElement {
  const span = el('span', `codicon codicon-${name}`);
  span.setAttribute('aria-hidden', 'true');
  return span;
}

export interface ButtonOptions {
  icon?: string;
  label?: string;
  title: string;
  className?: string;
  /** A toggle button: sets aria-pressed. */
  pressed?: boolean;
}

export function button(o: ButtonOptions): HTMLButtonElement {
  const b = el('button', o.className ? `btn ${o.className}` : 'btn');
  b.type = 'button';
  b.title = o.title;
  if (o.icon) b.append(icon(o.icon));
  if (o.label) b.append(el('span', 'btn-label', o.label));
  else b.setAttribute('aria-label', o.title);
  if (o.pressed !== undefined) setPressed(b, o.pressed);
  return b;
}

export function setPressed(b: HTMLElement, pressed: boolean): void {
  b.setAttribute('aria-pressed', pressed ? 'true' : 'false');
  b.classList.toggle('pressed', pressed);
}

/** Text only screen readers read. */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', 'sr-only', text);
}

/** A function that runs `fn` at the next animation frame, once however often it is called before. */
export function oncePerFrame(fn: () => void): () => void {
  let frame = 0;
  return () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fn();
    });
  };
}
