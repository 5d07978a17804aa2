/**
 * "MQTT: Chart Topic…": from a topic row of the Connections view (a topic, or a subtree as
 * `path/#`), or from the palette (a connection, then a topic filter). Then a quick pick of the
 * numeric fields found in the latest stored messages on those topics ("payload as a number"
 * when it is one), unless the argument named the field. Opens the chart.
 */
import * as vscode from 'vscode';
import { parsePath, type NumericField } from '../../core/charts/numericFields';
import { fieldsOf } from '../../core/charts/payloadFields';
import type { SessionManager } from '../../core/session/sessionManager';
import { validateTopicFilter } from '../../core/topics/topics';
import { visibleLine } from '../../shared/visibleText';
import type { CommandRegistry } from '../commands/registry';
import { Commands } from '../constants';
import { showInfo } from '../notify';
import { pickSession, resolveSession } from '../pickers';
import type { ChartController } from './chartController';

/** Stored messages whose fields the pick offers (the newest ones). */
const LATEST_MESSAGES = 20;

export function defineChartCommand(
  commands: CommandRegistry,
  sessions: SessionManager,
  charts: ChartController,
): void {
  commands.define(Commands.chartTopic, async ({ target, topic, field }) => {
    const session =
      resolveSession(sessions, target) ??
      (await pickSession(sessions, {
        placeHolder: vscode.l10n.t('Connection whose messages to chart'),
        emptyMessage: vscode.l10n.t('No connections.'),
      }));
    if (!session) return undefined;
    const topicFilter = topic ?? (await askFilter());
    if (topicFilter === undefined) return undefined;
    const problem = validateTopicFilter(topicFilter);
    if (problem) throw new Error(vscode.l10n.t('Cannot chart "{0}": {1}', topicFilter, problem));
    if (field !== undefined) {
      const parsed = parsePath(field);
      if ('error' in parsed)
        throw new Error(vscode.l10n.t('Cannot chart "{0}": {1}', field, parsed.error));
    }
    const chosen = field ?? (await pickField(charts, session.name, topicFilter));
    if (chosen === undefined) return undefined;
    const spec = { connection: session.name, topicFilter, field: chosen };
    charts.show(spec);
    return spec;
  });
}

async function askFilter(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Chart Topic'),
    prompt: vscode.l10n.t('A topic, or a filter for several topics (+ and # allowed)'),
    validateInput: (value) =>
      value ? validateTopicFilter(value) : vscode.l10n.t('Enter a topic.'),
  });
}

async function pickField(
  charts: ChartController,
  connection: string,
  topicFilter: string,
): Promise<string | undefined> {
  const page = charts.store.page({
    limit: LATEST_MESSAGES,
    maxScan: 1_000_000,
    filter: { topicFilter, connection, direction: 'in' },
  });
  const shown = visibleLine(topicFilter, 120);
  if (page.entries.length === 0) {
    void showInfo(
      vscode.l10n.t(
        'No messages on {0} in the Message Log yet: a chart needs one to find its numbers.',
        shown,
      ),
    );
    return undefined;
  }
  const found = new Map<string, { field: NumericField; topic: string }>();
  for (const entry of [...page.entries].reverse())
    for (const field of fieldsOf(entry, charts.decoderRule, charts.sparkplugAliases?.(connection)))
      if (!found.has(field.path)) found.set(field.path, { field, topic: entry.topic });
  if (found.size === 0) {
    void showInfo(vscode.l10n.t('The latest messages on {0} have no numbers to chart.', shown));
    return undefined;
  }
  const items = [...found.values()].map(({ field, topic }) => ({
    label: field.path === '' ? vscode.l10n.t('payload as a number') : visibleLine(field.path, 200),
    description: `= ${field.value}`,
    detail: visibleLine(topic, 200),
    path: field.path,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Chart {0}', shown),
    placeHolder: vscode.l10n.t('The number to chart'),
    matchOnDetail: true,
  });
  return picked?.path;
}
