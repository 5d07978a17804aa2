/**
 * Running `.mqtt` files in the editor, wired together: the runs, the environments in the status
 * bar, the CodeLens, the inline results, the commands, and the links from Message Log rows back
 * to their blocks. Called once by activate(); everything it makes goes into `subscriptions`.
 */
import * as vscode from 'vscode';
import type { Logger } from '../../core/ports';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { Commands } from '../constants';
import { MQTT_SELECTOR } from './mqttDocuments';
import type { CommandRegistry } from '../commands/registry';
import type { MessageLogController } from '../messageLog/messageLogController';
import { originLabel } from './blockOrigins';
import { MqttEnvironments } from './mqttEnvironments';
import { MqttFileCodeLens } from './mqttFileCodeLens';
import { defineMqttFileCommands } from './mqttFileCommands';
import { MqttFileResults } from './mqttFileResults';
import { MqttFileRuns } from './mqttFileRuns';
import { isTestBlock } from '../../core/mqttFile/mqttFileAst';

export interface MqttFileFeatureDeps {
  context: vscode.ExtensionContext;
  sessions: SessionManager;
  registry: CommandRegistry;
  messageLog: MessageLogController;
  active(): MqttSession | undefined;
  logger: Logger;
}

export function setupMqttFiles(deps: MqttFileFeatureDeps): {
  runs: MqttFileRuns;
  results: MqttFileResults;
} {
  const { context, registry, messageLog } = deps;
  const environments = new MqttEnvironments(context.workspaceState);
  const runs = new MqttFileRuns({
    sessions: deps.sessions,
    environments,
    secrets: context.secrets,
    logger: deps.logger,
    active: deps.active,
    connect: (session) => registry.run(Commands.connect, { target: { connection: session.name } }),
    stop: (uri) => void registry.run(Commands.stopMqttRun, { uri: uri.toString() }),
  });
  const results = new MqttFileResults();
  const changed = new vscode.EventEmitter<unknown>();
  const lenses = new MqttFileCodeLens({
    isRunning: (uri) => runs.isRunning(uri),
    seqsOf: (uri, block) => results.get(uri, block)?.seqs,
    onDidChange: changed.event,
  });
  defineMqttFileCommands(registry, {
    runs,
    results,
    environments,
    lenses,
    selectInLog: (seq) => messageLog.select(seq),
  });
  messageLog.blockLink = {
    origin: (seq) => {
      const origin = runs.origins.get(seq);
      return origin && { label: originLabel(origin) };
    },
    open: async (seq) => {
      const origin = runs.origins.get(seq);
      if (!origin) return;
      const position = new vscode.Position(origin.line, 0);
      await vscode.window.showTextDocument(vscode.Uri.parse(origin.uri), {
        selection: new vscode.Range(position, position),
      });
    },
  };
  context.subscriptions.push(
    environments,
    runs,
    results,
    changed,
    runs.onDidChangeRunning((uri) => {
      changed.fire(uri);
      runningContext();
    }),
    vscode.window.onDidChangeActiveTextEditor(runningContext),
    runs.onDidStart(({ uri, options }) => {
      // A whole-file run starts from a clean slate; Run and Publish keep the rest shown.
      if (!options.only && !options.blocks) results.clear(uri);
    }),
    results.onDidChange((uri) => changed.fire(uri)),
    runs.onDidEndBlock(({ uri, result, options }) => {
      // Run (one test) leaves the other tests' results as they were; so does Publish.
      const { only } = options;
      if (only && isTestBlock(result.block) && !only.includes(result.block.index)) return;
      results.set(uri, result);
    }),
    vscode.languages.registerCodeLensProvider(MQTT_SELECTOR, lenses),
  );
  return { runs, results };

  /** The editor title shows Stop instead of Run File while the active file runs. */
  function runningContext() {
    const uri = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand(
      'setContext',
      RUNNING_CONTEXT,
      uri !== undefined && runs.isRunning(uri),
    );
  }
}

const RUNNING_CONTEXT = 'mqttScope.mqttFileRunning';
