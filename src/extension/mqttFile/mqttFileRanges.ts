/** The parser's ranges as VS Code ranges. */
import * as vscode from 'vscode';
import type { SourceRange } from '../../core/mqttFile/mqttFileAst';

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.line, range.column, range.endLine, range.endColumn);
}
