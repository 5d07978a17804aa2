/**
 * What each command accepts, in one place: what a Connections view row passes (a tree element),
 * what the palette and a view's title bar pass (nothing), and what a test, a keybinding or
 * another extension passes (a connection name, or an object such as
 * `{ connection, topic, qos, payload, retain }`). Every parser turns those into one typed value
 * or throws `CommandArgumentError` naming the command and the argument. Pure (`import type`
 * only), so test/unit/commandArgs.test.ts runs them without VS Code.
 */
import type { QoS } from '../../core/profile/profile';
import type { MqttSession } from '../../core/session/session';
import type { LogFilter } from '../../protocol/messageLog';
import { Commands, type CommandId } from '../constants';
import type { PublishProperties } from '../../core/session/publishProperties';
import { checks, rowKind, sessionOf, type ConnectionRef } from './argChecks';
import { REQUEST_FIELDS, requestArgs, type RequestArgs } from './requestArgs';
import { publishPropertiesArg } from './publishPropertyArgs';
import { chartArgs, type ChartArgs } from './chartArgs';
import { mqttFileArgParsers, type MqttFileCommandArgs } from '../mqttFile/mqttFileArgs';

/** A command that acts on one connection; none given: it asks (or picks the only one). */
export interface ConnectionArgs {
  target?: ConnectionRef;
}

export interface SubscribeArgs extends ConnectionArgs {
  topic?: string;
  qos?: QoS;
}

export interface UnsubscribeArgs extends ConnectionArgs {
  topic?: string;
}

/** What Publish accepts; missing fields are asked for. */
export interface PublishArgs extends ConnectionArgs {
  topic?: string;
  payload?: string;
  qos?: QoS;
  retain?: boolean;
  /** MQTT 5 properties (an MQTT 5 connection only); see publishPropertyArgs.ts. */
  properties?: PublishProperties;
  /** Ask for every field, offering the given values as defaults (Publish Again). */
  edit?: boolean;
}

/** A topic of a connection: a topic row, or `{ connection, topic }`. */
export interface TopicArgs extends ConnectionArgs {
  topic?: string;
  /** Given by a topic row of the Connections view (not typed by anyone). */
  fromTree?: boolean;
}

export interface BurstArgs {
  rate?: number;
  seconds?: number;
}

/** Show Packet Trace: a connection, and the Message Log entry whose packet to select. */
export interface ShowTraceArgs extends ConnectionArgs {
  seq?: number;
}

export type NoArgs = Record<string, never>;

/** The typed argument of every command. */
export interface CommandArgs extends MqttFileCommandArgs {
  'mqttScope.connect': ConnectionArgs;
  'mqttScope.disconnect': ConnectionArgs;
  'mqttScope.reconnectNow': ConnectionArgs;
  'mqttScope.dropConnection': ConnectionArgs;
  'mqttScope.dropQueued': ConnectionArgs;
  'mqttScope.showBrokerCapabilities': ConnectionArgs;
  'mqttScope.subscribe': SubscribeArgs;
  'mqttScope.unsubscribe': UnsubscribeArgs;
  'mqttScope.publish': PublishArgs;
  'mqttScope.publishToTopic': TopicArgs;
  'mqttScope.copyTopic': TopicArgs;
  'mqttScope.clearRetained': TopicArgs;
  'mqttScope.clearRetainedUnder': TopicArgs;
  'mqttScope.addConnection': NoArgs;
  'mqttScope.openSettings': NoArgs;
  'mqttScope.showLog': NoArgs;
  'mqttScope.selectConnection': ConnectionArgs;
  'mqttScope.clearTopics': ConnectionArgs;
  'mqttScope.forgetPassword': ConnectionArgs;
  'mqttScope.forgetAllPasswords': NoArgs;
  'mqttScope.startLocalBroker': NoArgs;
  'mqttScope.stopLocalBroker': NoArgs;
  'mqttScope.restartLocalBroker': NoArgs;
  'mqttScope.copyLocalBrokerPassword': NoArgs;
  'mqttScope.startDemo': NoArgs;
  'mqttScope.stopDemo': NoArgs;
  'mqttScope.demoBurst': BurstArgs;
  'mqttScope.openMessageLog': { filter?: LogFilter };
  'mqttScope.showMessages': { filter?: LogFilter };
  'mqttScope.clearMessageLog': NoArgs;
  'mqttScope.sendRequest': RequestArgs;
  'mqttScope.togglePacketTrace': ConnectionArgs;
  'mqttScope.showPacketTrace': ShowTraceArgs;
  'mqttScope.showFloods': ConnectionArgs;
  'mqttScope.chartTopic': ChartArgs;
  'mqttScope.requestRebirth': RebirthArgs;
}

/** A Sparkplug B edge node: from the Sparkplug view's row, or given; none asks with a picker. */
export interface RebirthArgs {
  connection?: string;
  group?: string;
  node?: string;
}

type Parser<K extends CommandId> = (raw: readonly unknown[]) => CommandArgs[K];

/** Parses the first argument VS Code passes; a row's multi-selection (the second) is not used. */
function connectionFields(id: CommandId, value: unknown, extra: readonly string[] = []) {
  const c = checks(id);
  if (typeof value === 'string') return { target: { connection: value }, fields: {} };
  const object = c.record(value, 'argument');
  if (!object) return { target: undefined, fields: {} };
  const session = sessionOf(object);
  // A tree row: a connection, its subscriptions, one subscription or a topic.
  if (session || rowKind(object) !== undefined)
    return { target: session ? { session } : undefined, fields: object, row: rowKind(object) };
  c.onlyKnown(object, ['connection', ...extra]);
  const name = c.string(object.connection, 'connection');
  return { target: name === undefined ? undefined : { connection: name }, fields: object };
}

const connection =
  (id: CommandId) =>
  (raw: readonly unknown[]): ConnectionArgs => ({ target: connectionFields(id, raw[0]).target });

const none = (): NoArgs => ({});

function topicArgs(id: CommandId) {
  return (raw: readonly unknown[]): TopicArgs => {
    const { target, fields, row } = connectionFields(id, raw[0], ['topic']);
    if (row === 'topic') {
      const node = fields.node as { path?: unknown } | undefined;
      const path = node?.path;
      return typeof path === 'string' ? { target, topic: path, fromTree: true } : { target };
    }
    // Any other row names only a connection.
    if (row !== undefined) return { target };
    return { target, topic: checks(id).string(fields.topic, 'topic') };
  };
}

function logFilterArg(id: CommandId, value: unknown): LogFilter | undefined {
  const c = checks(id);
  const f = c.record(value, 'filter');
  if (!f) return undefined;
  const keys = ['topicFilter', 'text', 'regex', 'connection', 'direction', 'qos', 'retainedOnly'];
  c.onlyKnown(f, keys, 'filter');
  const qos = f.qos;
  if (qos !== undefined && (!Array.isArray(qos) || qos.length > 3))
    c.fail('filter.qos', 'must be a list of QoS levels (0, 1, 2)');
  const filter: LogFilter = {
    topicFilter: c.string(f.topicFilter, 'filter.topicFilter'),
    text: c.string(f.text, 'filter.text'),
    regex: c.boolean(f.regex, 'filter.regex'),
    connection: c.string(f.connection, 'filter.connection'),
    direction: c.oneOf(f.direction, 'filter.direction', ['in', 'out'] as const),
    qos: (qos as unknown[] | undefined)?.map((q, i) => c.qos(q, `filter.qos[${i}]`) as QoS),
    retainedOnly: c.boolean(f.retainedOnly, 'filter.retainedOnly'),
  };
  for (const key of Object.keys(filter) as (keyof LogFilter)[])
    if (filter[key] === undefined) delete filter[key];
  return filter;
}

/** One parser per command of package.json (test/unit/commandRegistry.test.ts checks the set). */
export const commandArgParsers: { [K in CommandId]: Parser<K> } = {
  ...mqttFileArgParsers,
  [Commands.connect]: connection(Commands.connect),
  [Commands.disconnect]: connection(Commands.disconnect),
  [Commands.reconnectNow]: connection(Commands.reconnectNow),
  [Commands.dropConnection]: connection(Commands.dropConnection),
  [Commands.dropQueued]: connection(Commands.dropQueued),
  [Commands.showBrokerCapabilities]: connection(Commands.showBrokerCapabilities),
  [Commands.clearTopics]: connection(Commands.clearTopics),
  [Commands.forgetPassword]: connection(Commands.forgetPassword),
  [Commands.selectConnection]: connection(Commands.selectConnection),
  [Commands.togglePacketTrace]: connection(Commands.togglePacketTrace),
  [Commands.showFloods]: connection(Commands.showFloods),
  [Commands.chartTopic]: chartArgs,
  [Commands.showPacketTrace]: (raw) => {
    const id = Commands.showPacketTrace;
    const { target, fields, row } = connectionFields(id, raw[0], ['seq']);
    if (row !== undefined) return { target };
    const seq = checks(id).integer(fields.seq, 'seq', 0, Number.MAX_SAFE_INTEGER);
    return seq === undefined ? { target } : { target, seq };
  },
  [Commands.subscribe]: (raw) => {
    const id = Commands.subscribe;
    const { target, fields, row } = connectionFields(id, raw[0], ['topic', 'qos']);
    if (row !== undefined) return { target };
    const c = checks(id);
    return { target, topic: c.string(fields.topic, 'topic'), qos: c.qos(fields.qos, 'qos') };
  },
  [Commands.unsubscribe]: (raw) => {
    const id = Commands.unsubscribe;
    const { target, fields, row } = connectionFields(id, raw[0], ['topic']);
    if (row === 'subscription') {
      const topic = (fields.subscription as { topic?: unknown } | undefined)?.topic;
      return typeof topic === 'string' ? { target, topic } : { target };
    }
    if (row !== undefined) return { target };
    return { target, topic: checks(id).string(fields.topic, 'topic') };
  },
  [Commands.publish]: (raw) => {
    const id = Commands.publish;
    const known = ['topic', 'payload', 'qos', 'retain', 'properties', 'edit'];
    const { target, fields, row } = connectionFields(id, raw[0], known);
    if (row !== undefined) return { target };
    const c = checks(id);
    return {
      target,
      topic: c.string(fields.topic, 'topic'),
      payload: c.string(fields.payload, 'payload'),
      qos: c.qos(fields.qos, 'qos'),
      retain: c.boolean(fields.retain, 'retain'),
      properties: publishPropertiesArg(c, fields.properties),
      edit: c.boolean(fields.edit, 'edit'),
    };
  },
  [Commands.publishToTopic]: topicArgs(Commands.publishToTopic),
  [Commands.copyTopic]: topicArgs(Commands.copyTopic),
  [Commands.clearRetained]: topicArgs(Commands.clearRetained),
  [Commands.clearRetainedUnder]: topicArgs(Commands.clearRetainedUnder),
  [Commands.addConnection]: none,
  [Commands.openSettings]: none,
  [Commands.showLog]: none,
  [Commands.forgetAllPasswords]: none,
  // The Local broker row passes itself to its inline buttons: nothing to read from it.
  [Commands.startLocalBroker]: none,
  [Commands.stopLocalBroker]: none,
  [Commands.restartLocalBroker]: none,
  [Commands.copyLocalBrokerPassword]: none,
  [Commands.startDemo]: none,
  [Commands.stopDemo]: none,
  [Commands.clearMessageLog]: none,
  [Commands.demoBurst]: (raw) => {
    const c = checks(Commands.demoBurst);
    const object = c.record(raw[0], 'argument');
    if (!object || rowKind(object) !== undefined) return {};
    c.onlyKnown(object, ['rate', 'seconds']);
    const rate = c.integer(object.rate, 'rate', 1, 20_000);
    const seconds = c.integer(object.seconds, 'seconds', 1, 60);
    if ((rate === undefined) !== (seconds === undefined))
      c.fail(rate === undefined ? 'rate' : 'seconds', 'must be given with the other one');
    return rate === undefined ? {} : { rate, seconds };
  },
  [Commands.sendRequest]: (raw) =>
    requestArgs(connectionFields(Commands.sendRequest, raw[0], REQUEST_FIELDS)),
  [Commands.openMessageLog]: (raw) => ({ filter: logFilterArg(Commands.openMessageLog, raw[0]) }),
  [Commands.showMessages]: (raw) => {
    const id = Commands.showMessages;
    const { target, fields, row } = connectionFields(id, raw[0], ['topic']);
    const session: MqttSession | undefined =
      target && 'session' in target ? target.session : undefined;
    const name =
      session?.name ?? (target && 'connection' in target ? target.connection : undefined);
    const path =
      row !== undefined
        ? (fields.node as { path?: unknown } | undefined)?.path
        : checks(id).string(fields.topic, 'topic');
    const filter: LogFilter = {};
    if (name !== undefined) filter.connection = name;
    if (typeof path === 'string') filter.topicFilter = `${path}/#`;
    return { filter };
  },
  [Commands.requestRebirth]: (raw) => {
    const c = checks(Commands.requestRebirth);
    const object = c.record(raw[0], 'argument');
    if (!object) return {};
    if (rowKind(object) === undefined) c.onlyKnown(object, ['connection', 'group', 'node']);
    const args: RebirthArgs = {
      connection: c.string(object.connection, 'connection'),
      group: c.string(object.group, 'group'),
      node: c.string(object.node, 'node'),
    };
    if ((args.group === undefined) !== (args.node === undefined))
      c.fail(args.group === undefined ? 'group' : 'node', 'must be given with the other one');
    return args;
  },
};

/** Parses what VS Code passed to command `id` (throws `CommandArgumentError`). */
export function parseCommandArgs<K extends CommandId>(
  id: K,
  raw: readonly unknown[],
): CommandArgs[K] {
  return commandArgParsers[id](raw);
}
