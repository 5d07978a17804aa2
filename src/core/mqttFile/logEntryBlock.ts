/**
 * A Message Log entry as a PUBLISH block of a `.mqtt` file ("Save as .mqtt Block"): the whole
 * stored payload and the properties a publish can carry again (as Publish Again takes them:
 * not the topic alias nor subscription identifiers, which belong to the connection it came on).
 * The title says where the message came from, as one visible line.
 */
import type { MessageEntry } from '../store/messageStoreTypes';
import { republishedProperties } from '../session/publishProperties';
import { formatDateTime } from '../../shared/clockTime';
import { visibleLine } from '../../shared/visibleText';
import { publishBlockText } from './publishBlockText';

const MAX_TITLE_CHARS = 120;

export function logEntryBlock(entry: MessageEntry): string {
  const properties = republishedProperties(entry.properties);
  const title = `${entry.direction === 'in' ? 'received on' : 'sent on'} ${entry.connection} at ${formatDateTime(entry.time)}`;
  return publishBlockText(
    {
      topic: entry.topic,
      payload: entry.payload,
      qos: entry.qos,
      retain: entry.retain,
      ...(properties ? { properties: { ...properties } } : {}),
    },
    visibleLine(title, MAX_TITLE_CHARS),
  );
}
