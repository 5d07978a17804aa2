/**
 * The MQTT 5 properties of the selected message in the detail pane: a table of the properties
 * the host sent (at most DETAIL_MAX_PROPERTIES), a "… N more" row for those it left out, and a
 * notice when the message carried more properties than are kept per message; above the table,
 * what some of them mean (detailMqtt5.ts).
 */
import type { LogDetail } from '../../protocol/messageLog';
import { el } from './dom';
import { formatCount } from './format';
import { formatBytes } from '../../shared/byteSize';
import { l10n } from './l10n';
import { appendVisible } from './visible';
import { renderMqtt5 } from './detailMqtt5';

/** The properties section, or undefined when the message has none. */
export function renderProperties(d: LogDetail): HTMLElement | undefined {
  const cut = d.propertiesTruncated;
  if (d.properties.length === 0 && !cut) return undefined;
  const shown = d.properties.length + (d.propertiesOmitted ?? 0);
  const props = el('details', 'detail-props');
  props.open = true;
  props.appendChild(
    el(
      'summary',
      '',
      cut
        ? l10n.t('MQTT 5 properties ({0} of {1})', formatCount(shown), formatCount(cut.count))
        : l10n.t('MQTT 5 properties ({0})', formatCount(shown)),
    ),
  );
  if (cut) {
    props.appendChild(
      el(
        'div',
        'payload-notice properties-truncated',
        l10n.t(
          'Properties truncated: the message carried {0} properties ({1}); only the first {2} were kept.',
          formatCount(cut.count),
          formatBytes(cut.bytes),
          formatCount(shown),
        ),
      ),
    );
  }
  const meaning = renderMqtt5(d.mqtt5);
  if (meaning) props.appendChild(meaning);
  const table = el('table', 'props');
  for (const p of d.properties) {
    // Said once, above the table, with its meaning.
    if (p.name === 'correlationData' && d.mqtt5?.correlationData) continue;
    const tr = el('tr');
    const name = el('th');
    name.scope = 'row';
    appendVisible(name, p.name.slice(0, 1000));
    const value = el('td');
    appendVisible(value, p.value.slice(0, 20_000));
    tr.append(name, value);
    table.appendChild(tr);
  }
  if (d.propertiesOmitted) {
    const tr = el('tr', 'props-more');
    const more = el('td', '', l10n.t('… {0} more', formatCount(d.propertiesOmitted)));
    more.colSpan = 2;
    tr.appendChild(more);
    table.appendChild(tr);
  }
  props.appendChild(table);
  return props;
}
