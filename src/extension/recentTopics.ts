/** The topics published to most recently, newest first, kept in workspace state. */
import type * as vscode from 'vscode';
import { StateKeys } from './constants';

const MAX_RECENT = 20;

export class RecentTopics {
  constructor(private readonly memento: vscode.Memento) {}

  list(): string[] {
    return this.memento.get<string[]>(StateKeys.recentTopics) ?? [];
  }

  async remember(topic: string): Promise<void> {
    const next = [topic, ...this.list().filter((t) => t !== topic)].slice(0, MAX_RECENT);
    await this.memento.update(StateKeys.recentTopics, next);
  }
}
