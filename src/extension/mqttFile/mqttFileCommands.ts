/**
 * The `.mqtt` commands: Run File, Run (one test), Publish (one PUBLISH block, no file run), Stop,
 * Select Environment, and Show in Log (a finished block's rows in the Message Log). Without a
 * `uri` they act on the active editor, and without a `block` on the block at the cursor.
 */
import * as vscode from 'vscode';
import type { MqttBlock } from '../../core/mqttFile/mqttFileAst';
import { Commands } from '../constants';
import { isMqttDocument } from './mqttDocuments';
import type { CommandRegistry } from '../commands/registry';
import { showError, showInfo } from '../notify';
import type { MqttBlockArgs } from './mqttFileArgs';
import type { MqttFileCodeLens } from './mqttFileCodeLens';
import type { MqttEnvironments } from './mqttEnvironments';
import type { MqttFileResults } from './mqttFileResults';
import type { MqttFileRuns } from './mqttFileRuns';

export interface MqttFileCommandDeps {
  runs: MqttFileRuns;
  results: MqttFileResults;
  environments: MqttEnvironments;
  lenses: MqttFileCodeLens;
  /** Selects a message in the Message Log (opening it). */
  selectInLog(seq: number): Promise<void>;
}

export function defineMqttFileCommands(registry: CommandRegistry, deps: MqttFileCommandDeps) {
  const { runs, results, environments, lenses } = deps;

  registry.define(Commands.runMqttFile, async (args) => {
    const document = await documentFor(args);
    return document ? runs.run(document) : undefined;
  });

  registry.define(Commands.runMqttBlock, async (args) => {
    const found = await blockFor(args);
    if (!found) return undefined;
    const { document, block } = found;
    if (block.kind === 'publish') {
      await publishBlock(document, block);
      return undefined;
    }
    if (block.kind !== 'expect' && block.kind !== 'request') {
      void showInfo(
        vscode.l10n.t('MQTT: Run runs an EXPECT or REQUEST block; use Run File to run the steps.'),
      );
      return undefined;
    }
    return runs.run(document, { only: [block.index] });
  });

  const publishBlock = async (document: vscode.TextDocument, block: MqttBlock) => {
    if (block.kind !== 'publish') {
      void showInfo(vscode.l10n.t('MQTT: Publish publishes a PUBLISH block.'));
      return undefined;
    }
    const result = await runs.run(document, { blocks: [block.index] });
    return result?.results.find((r) => r.block.index === block.index);
  };
  registry.define(Commands.publishMqttBlock, async (args) => {
    const found = await blockFor(args);
    return found ? publishBlock(found.document, found.block) : undefined;
  });

  registry.define(Commands.stopMqttRun, ({ uri }) => {
    const target = uri ? vscode.Uri.parse(uri) : vscode.window.activeTextEditor?.document.uri;
    return runs.stop(target);
  });

  registry.define(Commands.selectEnvironment, async ({ environment }) => {
    const name = environment ?? (await environments.pick());
    if (name === undefined) return undefined;
    await environments.select(name);
    return name;
  });

  registry.define(Commands.showMqttBlockInLog, async (args) => {
    const found = await blockFor(args);
    if (!found) return false;
    const seqs = results.get(found.document.uri, found.block.index)?.seqs;
    if (!seqs?.length) {
      void showInfo(vscode.l10n.t('MQTT: this block has no messages in the Message Log yet.'));
      return false;
    }
    await deps.selectInLog(seqs[0]);
    return true;
  });

  async function documentFor(args: MqttBlockArgs): Promise<vscode.TextDocument | undefined> {
    if (args.uri) {
      try {
        return await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
      } catch (error) {
        void showError(vscode.l10n.t('MQTT: cannot open {0}: {1}', args.uri, String(error)));
        return undefined;
      }
    }
    const document = vscode.window.activeTextEditor?.document;
    if (document && isMqttDocument(document)) return document;
    void showInfo(vscode.l10n.t('MQTT: open a .mqtt file first.'));
    return undefined;
  }

  async function blockFor(
    args: MqttBlockArgs,
  ): Promise<{ document: vscode.TextDocument; block: MqttBlock } | undefined> {
    const document = await documentFor(args);
    if (!document) return undefined;
    const file = lenses.parse(document);
    const editor = vscode.window.activeTextEditor;
    const line =
      editor?.document === document ? editor.selection.active.line : Number.NEGATIVE_INFINITY;
    const block =
      args.block !== undefined
        ? file.blocks[args.block]
        : file.blocks.find((b) => b.range.line <= line && line <= b.range.endLine);
    if (!block) {
      void showInfo(
        args.block !== undefined
          ? vscode.l10n.t('MQTT: the file has no block {0}.', args.block)
          : vscode.l10n.t('MQTT: put the cursor in a block first.'),
      );
      return undefined;
    }
    return { document, block };
  }
}
