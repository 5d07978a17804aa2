/**
 * Registers the language-model tools that chat (agent mode) may use: list the connections,
 * list a connection's topics, read the newest messages of a topic, and publish (confirmed by
 * the user). Their names, input schemas and descriptions are in package.json
 * (`contributes.languageModelTools`); test/unit/manifest checks the names against LmTools.
 */
import * as vscode from 'vscode';
import { LmTools } from '../constants';
import {
  listConnectionsTool,
  listTopicsTool,
  readMessagesTool,
  type ReadToolDeps,
} from './readTools';
import { publishTool } from './publishTool';

export interface LanguageModelTools extends vscode.Disposable {
  /** Publish confirmations prepared so far. */
  readonly publishConfirmations: number;
}

export function registerLanguageModelTools(deps: ReadToolDeps): LanguageModelTools {
  const publish = publishTool(deps.sessions);
  const registrations = vscode.Disposable.from(
    vscode.lm.registerTool(LmTools.listConnections, listConnectionsTool(deps)),
    vscode.lm.registerTool(LmTools.listTopics, listTopicsTool(deps)),
    vscode.lm.registerTool(LmTools.readMessages, readMessagesTool(deps)),
    vscode.lm.registerTool(LmTools.publish, publish),
  );
  return {
    get publishConfirmations() {
      return publish.prepared;
    },
    dispose: () => registrations.dispose(),
  };
}
