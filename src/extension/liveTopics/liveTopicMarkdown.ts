/**
 * The hover of a topic string: per connection that saw it, the last payload (decoded, one
 * line, in a code block), its rate, retained or not, when it was last seen; for a filter, how
 * many topics match and the busiest few; and links to Subscribe, Publish to This Topic and
 * Show in Log. Device text (topics, payloads, connection names) goes in only through
 * `appendText` or a one-line code block, so it can never become a link or markup; the links
 * may run exactly those three commands.
 */
import * as vscode from 'vscode';
import type { LiveTopic } from '../../core/topics/topicLookup';
import type { TopicNode } from '../../core/topics/topicTree';
import type { RuleChoice } from '../../core/decoders/registry';
import { lastPayloadPreview } from '../../core/topics/lastPayloadPreview';
import { visibleLine } from '../../shared/visibleText';
import { formatCount } from '../../shared/counts';
import { formatBytes } from '../../shared/byteSize';
import { Commands } from '../constants';
import { rateText } from '../views/rateItems';

/** The only commands a hover's links may run. */
export const HOVER_COMMANDS = [
  Commands.subscribe,
  Commands.publishToTopic,
  Commands.openMessageLog,
];
/** Connections a hover shows at most; the others are counted. */
export const MAX_HOVER_CONNECTIONS = 4;
const PAYLOAD_CHARS = 200;

export interface HoverContext {
  rateOf: (connection: string, topic: string) => number | undefined;
  decoderRule: (topic: string) => RuleChoice | undefined;
}

export function liveTopicMarkdown(found: LiveTopic[], ctx: HoverContext): vscode.MarkdownString {
  // Theme icons for the links' icons; appendText escapes any `$(…)` a device sends.
  const md = new vscode.MarkdownString(undefined, true);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  const text = found[0].kind === 'topic' ? found[0].node.path : found[0].filter;
  md.appendMarkdown(
    `**${found[0].kind === 'topic' ? vscode.l10n.t('MQTT topic') : vscode.l10n.t('MQTT topic filter')}** `,
  );
  md.appendText(visibleLine(text, 200));
  for (const entry of found.slice(0, MAX_HOVER_CONNECTIONS)) {
    md.appendMarkdown('\n\n---\n\n');
    if (entry.kind === 'topic') topicSection(md, entry.connection, entry.node, ctx);
    else filterSection(md, entry, ctx);
  }
  const more = found.length - MAX_HOVER_CONNECTIONS;
  if (more > 0) {
    md.appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Also seen on {0} more connection(s).', more));
  }
  return md;
}

function topicSection(
  md: vscode.MarkdownString,
  connection: string,
  node: TopicNode,
  ctx: HoverContext,
) {
  const facts = [messagesText(node.messageCount)];
  const rate = ctx.rateOf(connection, node.path);
  if (rate !== undefined && rate > 0) facts.push(rateText(rate, vscode.env.language));
  facts.push(node.retained ? vscode.l10n.t('retained') : vscode.l10n.t('not retained'));
  if (node.lastTime !== undefined)
    facts.push(vscode.l10n.t('last at {0}', new Date(node.lastTime).toLocaleString()));
  md.appendText(vscode.l10n.t('On "{0}": {1}', visibleLine(connection, 80), facts.join(' · ')));
  if (node.lastPayload) {
    md.appendMarkdown('\n\n');
    md.appendText(
      vscode.l10n.t(
        'Last payload ({0}, QoS {1}):',
        formatBytes(node.lastPayloadSize),
        node.lastQos ?? 0,
      ),
    );
    // One line (visibleLine shows line breaks as markers), so it cannot close the block.
    md.appendCodeblock(payloadLine(node, ctx.decoderRule(node.path)), 'text');
  }
  links(md, connection, node.path, true);
}

function filterSection(
  md: vscode.MarkdownString,
  entry: Extract<LiveTopic, { kind: 'filter' }>,
  ctx: HoverContext,
) {
  const { count, atLeast, busiest } = entry.matches;
  const n = formatCount(count, vscode.env.language);
  md.appendText(
    atLeast
      ? vscode.l10n.t('On "{0}": at least {1} topics match', visibleLine(entry.connection, 80), n)
      : count === 1
        ? vscode.l10n.t('On "{0}": 1 topic matches', visibleLine(entry.connection, 80))
        : vscode.l10n.t('On "{0}": {1} topics match', visibleLine(entry.connection, 80), n),
  );
  if (busiest.length > 0) {
    md.appendMarkdown('\n\n');
    md.appendText(vscode.l10n.t('Busiest:'));
    for (const node of busiest) {
      const rate = ctx.rateOf(entry.connection, node.path);
      const parts = [visibleLine(node.path, 120), messagesText(node.messageCount)];
      if (rate !== undefined && rate > 0) parts.push(rateText(rate, vscode.env.language));
      if (node.retained) parts.push(vscode.l10n.t('retained'));
      md.appendMarkdown('\n\n');
      md.appendText(parts.join(' · '));
      if (node.lastPayload)
        md.appendCodeblock(payloadLine(node, ctx.decoderRule(node.path), 80), 'text');
    }
  }
  links(md, entry.connection, entry.filter, false);
}

function messagesText(count: number): string {
  const n = formatCount(count, vscode.env.language);
  return count === 1 ? vscode.l10n.t('{0} msg', n) : vscode.l10n.t('{0} msgs', n);
}

/** The last payload on one line, decoded as the topic explorer shows it. */
export function payloadLine(
  node: TopicNode,
  rule: RuleChoice | undefined,
  maxChars = PAYLOAD_CHARS,
) {
  return lastPayloadPreview(node, maxChars, rule);
}

/** A command link: its arguments JSON in the URI, so device text in them is never markup. */
function commandLink(title: string, command: string, args: unknown): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}

function links(md: vscode.MarkdownString, connection: string, topic: string, exact: boolean) {
  const items = [
    commandLink(`$(add) ${vscode.l10n.t('Subscribe')}`, Commands.subscribe, { connection, topic }),
  ];
  if (exact)
    items.push(
      commandLink(`$(send) ${vscode.l10n.t('Publish to This Topic')}`, Commands.publishToTopic, {
        connection,
        topic,
      }),
    );
  items.push(
    commandLink(`$(list-flat) ${vscode.l10n.t('Show in Log')}`, Commands.openMessageLog, {
      connection,
      topicFilter: topic,
    }),
  );
  md.appendMarkdown(`\n\n${items.join(' · ')}`);
}
