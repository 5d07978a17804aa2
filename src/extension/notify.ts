/**
 * Notifications that may quote what a broker or a device sent (topics, reason strings). VS Code
 * renders `[label](command:…)` in a notification as a clickable command link, so every message
 * goes through `plainText` first: link syntax is broken up and invisible or reordering
 * characters are made visible. Use these instead of vscode.window.show*Message.
 */
import * as vscode from 'vscode';
import { inertText as plainText } from '../core/payloadText';

export function showError<T extends string>(
  message: string,
  ...items: T[]
): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(plainText(message), ...items);
}

export function showWarning<T extends string>(
  message: string,
  ...items: T[]
): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(plainText(message), ...items);
}

export function showInfo<T extends string>(
  message: string,
  ...items: T[]
): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(plainText(message), ...items);
}
