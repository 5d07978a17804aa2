/**
 * The topic at the head of the detail pane. A topic may be 65,535 characters long: it wraps
 * anywhere and takes three lines at most, with its beginning in the tooltip and a button that
 * shows it whole (the button appears only while the topic is cut).
 */
import { button, el } from './dom';
import { formatCount } from './format';
import { l10n } from './l10n';
import { appendVisible, visibleLine } from './visible';

/** Longest topic shown in the pane (Copy Topic copies all of it). */
const TOPIC_CHARS = 4096;
/** Longest topic in the tooltip. */
const TOOLTIP_CHARS = 1024;

/** Whether each shown topic is cut changes with the pane's width: one observer for all. */
let resize: ResizeObserver | undefined;

export function topicHeader(text: string): HTMLElement {
  const topic = el('div', 'detail-topic');
  topic.id = 'ml-detail-topic';
  topic.setAttribute('aria-label', l10n.t('Topic'));
  topic.title = visibleLine(text, TOOLTIP_CHARS);
  appendVisible(topic, text.length > TOPIC_CHARS ? text.slice(0, TOPIC_CHARS) : text);
  if (text.length > TOPIC_CHARS)
    topic.appendChild(
      el(
        'span',
        'muted',
        ` … ${l10n.t('{0} more characters', formatCount(text.length - TOPIC_CHARS))}`,
      ),
    );

  const expand = button({
    icon: 'unfold',
    title: l10n.t('Show the whole topic'),
    className: 'topic-expand',
  });
  expand.setAttribute('aria-expanded', 'false');
  expand.setAttribute('aria-controls', topic.id);
  expand.hidden = true;
  expand.addEventListener('click', () => {
    const expanded = topic.classList.toggle('expanded');
    expand.setAttribute('aria-expanded', String(expanded));
    const label = expanded
      ? l10n.t('Fold the topic to three lines')
      : l10n.t('Show the whole topic');
    expand.title = label;
    expand.setAttribute('aria-label', label);
    expand.firstElementChild!.className = `codicon codicon-${expanded ? 'fold' : 'unfold'}`;
  });

  resize ??= new ResizeObserver((entries) => {
    for (const e of entries) {
      if (!e.target.isConnected) resize!.unobserve(e.target);
      else updateExpander(e.target);
    }
  });
  resize.observe(topic);

  const box = el('div', 'detail-topic-box');
  box.append(topic, expand);
  return box;
}

function updateExpander(topic: Element): void {
  const b = topic.nextElementSibling as HTMLButtonElement | null;
  if (!b || topic.classList.contains('expanded')) return;
  b.hidden = topic.scrollHeight <= topic.clientHeight + 1;
}
