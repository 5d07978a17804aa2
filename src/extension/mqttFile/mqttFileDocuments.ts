/** Which documents are `.mqtt` files, and the parser's ranges as VS Code ranges. */
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/mqttFile/mqttFileAst';
import { MQTT_LANGUAGE_ID } from '../constants';

/** Both: a `.mqtt` file, and a document the user set to the language by hand. */
export const MQTT_DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { language: MQTT_LANGUAGE_ID },
  { pattern: '**/*.mqtt' },
];

export function isMqttDocument(document: vscode.TextDocument): boolean {
  return document.languageId === MQTT_LANGUAGE_ID || document.uri.path.endsWith('.mqtt');
}

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.line, range.column, range.endLine, range.endColumn);
}
