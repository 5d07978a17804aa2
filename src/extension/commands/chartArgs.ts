/**
 * What Chart Topic accepts: a topic row of the Connections view (a topic with topics under it
 * charts them all, `path/#`), or `{ connection, topic, field }` from a keybinding, a test or
 * another extension (`topic` may be a filter; `field` a path such as `temp` or `a.b[2]`, `""`
 * for the payload as a number). Missing parts are asked for.
 */
import { Commands } from '../constants';
import { checks, type ConnectionRef, rowKind, sessionOf } from './argChecks';

export interface ChartArgs {
  target?: ConnectionRef;
  /** A topic or a topic filter. */
  topic?: string;
  field?: string;
}

/** What Chart Topic resolves with: the chart it opened. */
export interface ChartOpened {
  connection: string;
  topicFilter: string;
  field: string;
}

export function chartArgs(raw: readonly unknown[]): ChartArgs {
  const c = checks(Commands.chartTopic);
  const value = raw[0];
  if (typeof value === 'string') return { target: { connection: value } };
  const object = c.record(value, 'argument');
  if (!object) return {};
  const session = sessionOf(object);
  if (session || rowKind(object) !== undefined) {
    const target = session ? { session } : undefined;
    if (rowKind(object) !== 'topic') return { target };
    const node = object.node as { path?: unknown; children?: { size?: unknown } } | undefined;
    if (typeof node?.path !== 'string') return { target };
    const below = typeof node.children?.size === 'number' && node.children.size > 0;
    return { target, topic: below ? `${node.path}/#` : node.path };
  }
  c.onlyKnown(object, ['connection', 'topic', 'field']);
  const name = c.string(object.connection, 'connection');
  const args: ChartArgs = name === undefined ? {} : { target: { connection: name } };
  const topic = c.string(object.topic, 'topic');
  if (topic !== undefined) args.topic = topic;
  if (object.field !== undefined) {
    const field = object.field;
    if (typeof field !== 'string' || field.length > 1024)
      c.fail('field', 'must be a field path of at most 1,024 characters ("" for the payload)');
    args.field = field as string;
  }
  return args;
}
