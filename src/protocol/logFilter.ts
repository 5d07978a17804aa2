/**
 * The one normal form of a Message Log filter, used by the webview (what the toolbar sends,
 * what a reload restores, whether a filter is in use) and by the host (what the store filters
 * on): only the known fields with the right types, empty ones dropped.
 */
import type { LogFilter } from './messageLog';

/**
 * `f` with the topic filter trimmed, a regex flag only beside text, QoS levels only when they
 * leave some out (in order, each once), and every empty or unknown field left out.
 */
export function normalizeLogFilter(f: LogFilter): LogFilter {
  const out: LogFilter = {};
  const topicFilter = typeof f.topicFilter === 'string' ? f.topicFilter.trim() : '';
  if (topicFilter) out.topicFilter = topicFilter;
  if (typeof f.text === 'string' && f.text) out.text = f.text;
  if (f.regex === true && out.text) out.regex = true;
  if (typeof f.connection === 'string' && f.connection) out.connection = f.connection;
  if (f.direction === 'in' || f.direction === 'out') out.direction = f.direction;
  if (Array.isArray(f.qos)) {
    const qos = ([0, 1, 2] as const).filter((q) => f.qos!.includes(q));
    if (qos.length > 0 && qos.length < 3) out.qos = qos;
  }
  if (f.retainedOnly === true) out.retainedOnly = true;
  return out;
}
