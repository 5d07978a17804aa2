/**
 * What the selected message's MQTT 5 properties mean, above the property table: the
 * subscription each subscription identifier stands for, the topic a topic alias stood for, the
 * expiry left, correlation data as text (when UTF-8) and hex. Device text goes through
 * `appendVisible` (src/shared/visibleText.ts).
 */
import type { LogMqtt5Detail } from '../../protocol/messageLog';
import { el } from './dom';
import { formatCount } from './format';
import { l10n } from './l10n';
import { appendVisible } from './visible';

const MAX_CHARS = 20_000;

/** The lines for `m`, or undefined when there is nothing to say. */
export function renderMqtt5(m: LogMqtt5Detail | undefined): HTMLElement | undefined {
  if (!m) return undefined;
  const box = el('dl', 'detail-mqtt5');
  const line = (name: string, kind: string, fill: (dd: HTMLElement) => void) => {
    const dd = el('dd');
    dd.dataset.kind = kind;
    fill(dd);
    box.append(el('dt', '', name), dd);
  };
  for (const s of m.subscriptions ?? []) {
    line(l10n.t('Subscription identifier'), 'subscription', (dd) => {
      dd.append(`${formatCount(s.identifier)} → `);
      if (s.topicFilter !== undefined) appendVisible(dd, s.topicFilter.slice(0, MAX_CHARS));
      else dd.append(l10n.t('no subscription of this connection has it now'));
    });
  }
  if (m.topicAlias) {
    const { alias, topic } = m.topicAlias;
    line(l10n.t('Topic alias'), 'alias', (dd) => {
      dd.append(`${l10n.t('alias {0}', formatCount(alias))} → `);
      appendVisible(dd, topic.slice(0, MAX_CHARS));
    });
  }
  if (m.expiry) {
    const { intervalS, remainingS } = m.expiry;
    line(l10n.t('Expiry'), 'expiry', (dd) =>
      dd.append(
        remainingS > 0
          ? l10n.t('{0} s left of {1} s', formatCount(remainingS), formatCount(intervalS))
          : l10n.t('expired (message expiry {0} s)', formatCount(intervalS)),
      ),
    );
  }
  if (m.correlationData) {
    const { text, hex } = m.correlationData;
    line(l10n.t('Correlation data'), 'correlation', (dd) => {
      if (text !== undefined) {
        appendVisible(dd, text.slice(0, MAX_CHARS));
        dd.append(` (${l10n.t('hex {0}', hex)})`);
      } else dd.append(l10n.t('hex {0}', hex));
    });
  }
  return box.childElementCount > 0 ? box : undefined;
}
