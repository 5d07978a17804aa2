/**
 * What the topic explorer shows of rates and limits: a topic's messages per second ("12/s", over
 * the last 10 s) and the row under a connection that counts the topics its limit kept out.
 */
import * as vscode from 'vscode';
import { formatCount, formatRate } from '../../shared/counts';
import { MAX_TOPICS_SETTING } from '../constants';
import type { DroppedTopicsElement } from './elements';

/** "12/s", "0.4/s", "1,234/s": one decimal below 10, grouped as the display language groups. */
export function rateText(perSecond: number, locale: string): string {
  return vscode.l10n.t('{0}/s', formatRate(perSecond, locale));
}

/** "1,234 topics not shown: the limit of 10,000 topics is reached", with the setting to raise. */
export function droppedTopicsItem({ session }: DroppedTopicsElement): vscode.TreeItem {
  const locale = vscode.env.language;
  const { topics, atLeast } = session.topics.notShown;
  const count = formatCount(topics, locale);
  const limit = formatCount(session.topics.maxTopics, locale);
  const label = atLeast
    ? vscode.l10n.t(
        'More than {0} topics not shown: the limit of {1} topics is reached',
        count,
        limit,
      )
    : topics === 1
      ? vscode.l10n.t('1 topic not shown: the limit of {0} topics is reached', limit)
      : vscode.l10n.t('{0} topics not shown: the limit of {1} topics is reached', count, limit);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `droppedTopics:${session.name}`;
  item.iconPath = new vscode.ThemeIcon('warning');
  item.contextValue = 'droppedTopics';
  const md = new vscode.MarkdownString(undefined, false);
  md.appendText(
    vscode.l10n.t(
      'The topic explorer of "{0}" holds at most {1} topics (levels included); messages on the others are still logged. Raise the setting {2} to show more: it applies when the connection is made again.',
      session.name,
      limit,
      MAX_TOPICS_SETTING,
    ),
  );
  item.tooltip = md;
  item.accessibilityInformation = { label };
  return item;
}
