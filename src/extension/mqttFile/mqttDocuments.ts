/**
 * Which documents are `.mqtt` files: the `mqtt` language, or a name ending in `.mqtt` (a file
 * whose language the user changed still runs).
 */
import type * as vscode from 'vscode';
import { MQTT_LANGUAGE_ID } from '../constants';

export const MQTT_SELECTOR: vscode.DocumentFilter[] = [
  { language: MQTT_LANGUAGE_ID },
  { pattern: '**/*.mqtt' },
];

export function isMqttDocument(document: vscode.TextDocument): boolean {
  return document.languageId === MQTT_LANGUAGE_ID || document.uri.path.endsWith('.mqtt');
}
