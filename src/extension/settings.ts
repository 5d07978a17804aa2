/**
 * Reads `mqttScope.connections`, validates it with the core, and re-reads it whenever the
 * setting changes, so profiles apply live. Problems are kept for the Connections view and
 * reported once per change.
 */
import * as vscode from 'vscode';
import { showError } from './notify';
import { Emitter } from '../core/event';
import { visibleLine } from '../shared/visibleText';
import {
  validateProfiles,
  type ConnectionProfile,
  type ProfileProblem,
} from '../core/profile/profile';
import { DEFAULT_AUTO_EXPAND_DEPTH } from '../core/topics/autoExpand';
import type { OfflineQueueLimits } from '../core/session/offlineQueue';
import type { ProfileOrigin } from '../core/session/autoConnectConsent';
import {
  DEFAULT_INCOMING_LIMITS,
  DEFAULT_MAX_PACKET_MEGABYTES,
  type IncomingLimits,
} from '../core/incoming/packetGuard';
import {
  CONFIG_SECTION,
  CONNECTIONS_SETTING,
  Commands,
  LOCAL_PROFILE_NAME,
  MAX_TOPICS_SETTING,
  Settings,
} from './constants';
import type { CommandRunner } from './commands/registry';

export class ConnectionSettings implements vscode.Disposable {
  private _profiles: ConnectionProfile[] = [];
  private _problems: ProfileProblem[] = [];
  private _origin: ProfileOrigin = 'user';
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly watcher: vscode.Disposable;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly commands: CommandRunner,
  ) {
    this.read();
    this.watcher = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(CONFIG_SECTION)) {
        this.read();
        this.emitter.fire();
      }
    });
  }

  get profiles(): readonly ConnectionProfile[] {
    return this._profiles;
  }

  /** Where the profiles come from: the user's settings, or the workspace's (or a folder's). */
  get origin(): ProfileOrigin {
    return this._origin;
  }

  get problems(): readonly ProfileProblem[] {
    return this._problems;
  }

  /** Topic levels the explorer opens by itself while a connection has few topics. */
  get autoExpandDepth(): number {
    const depth = vscode.workspace
      .getConfiguration()
      .get<number>(Settings.topicTreeAutoExpandDepth);
    return typeof depth === 'number' && depth >= 0 ? Math.floor(depth) : DEFAULT_AUTO_EXPAND_DEPTH;
  }

  get maxTopics(): number {
    return vscode.workspace.getConfiguration().get<number>(MAX_TOPICS_SETTING) ?? 100_000;
  }

  /** Bounds of the queue of publishes made while a connection is reconnecting. */
  get offlineQueueLimits(): OfflineQueueLimits {
    const config = vscode.workspace.getConfiguration();
    return {
      maxMessages: config.get<number>(Settings.offlineQueueMaxMessages) ?? 1_000,
      maxBytes: (config.get<number>(Settings.offlineQueueMaxMegabytes) ?? 10) * 1024 * 1024,
    };
  }

  get maxRetryDelayMs(): number {
    return (
      (vscode.workspace.getConfiguration().get<number>(Settings.reconnectMaxDelaySeconds) ?? 5) *
      1_000
    );
  }

  /** The largest packet and the properties accepted from a broker. */
  get incomingLimits(): IncomingLimits {
    const megabytes = vscode.workspace
      .getConfiguration()
      .get<number>(Settings.maximumPacketSizeMegabytes);
    const valid = typeof megabytes === 'number' && megabytes >= 1 && megabytes <= 256;
    return {
      ...DEFAULT_INCOMING_LIMITS,
      maxPacketBytes: Math.floor((valid ? megabytes : DEFAULT_MAX_PACKET_MEGABYTES) * 1024 * 1024),
    };
  }

  dispose(): void {
    this.watcher.dispose();
    this.emitter.dispose();
  }

  private read(): void {
    const raw = vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>('connections');
    const before = new Set(this._problems.map((p) => `${p.path}: ${p.message}`));
    const { profiles, problems } = validateProfiles(raw, CONNECTIONS_SETTING, {
      reservedNames: [LOCAL_PROFILE_NAME],
    });
    this._origin = connectionsOrigin();
    this._profiles = profiles;
    this._problems = problems;
    const fresh = problems.filter((p) => !before.has(`${p.path}: ${p.message}`));
    // One line each: a key or value with a line break must not forge further log lines.
    for (const p of fresh) this.log.error(visibleLine(`Invalid setting ${p.path}: ${p.message}`));
    if (fresh.length > 0) void this.report(fresh);
  }

  private async report(problems: ProfileProblem[]): Promise<void> {
    const first = problems[0];
    const message =
      problems.length > 1
        ? vscode.l10n.t(
            'MQTT Scope: {0}: {1} (and {2} more) Other connections keep working.',
            first.path,
            first.message,
            problems.length - 1,
          )
        : vscode.l10n.t(
            'MQTT Scope: {0}: {1} Other connections keep working.',
            first.path,
            first.message,
          );
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    const choice = await showError(message, openSettings, showLog);
    if (choice === openSettings) void this.commands.run(Commands.openSettings, {});
    if (choice === showLog) void this.commands.run(Commands.showLog, {});
  }
}

/**
 * A list setting is not merged: the most specific level that sets it wins. In a folder that is
 * not trusted, VS Code ignores the workspace's value of this restricted setting, so the profiles
 * are the user's.
 */
function connectionsOrigin(): ProfileOrigin {
  if (!vscode.workspace.isTrusted) return 'user';
  const inspected = vscode.workspace.getConfiguration().inspect(CONNECTIONS_SETTING);
  return inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined
    ? 'workspace'
    : 'user';
}
