/**
 * The composition root: builds the objects in order, wires them, and hands every disposable to
 * `context.subscriptions`.
 */
import * as vscode from 'vscode';
import { realScheduler } from '../core/ports';
import { SessionManager } from '../core/session/sessionManager';
import { MessageStore } from '../core/store/messageStore';
import { TrafficLog } from '../core/traffic/trafficLog';
import { mementoStore, outputLogger } from './adapters';
import { brokerTarget } from '../core/trust/brokerTrust';
import { definePasswordCommands } from './commands/passwordCommands';
import { PasswordIndex } from './passwordIndex';
import { SecretCredentials } from './secretCredentials';
import { watchAutoConnectFailures, watchUnverifiedConnections } from './connectionNotices';
import { defineConnectionCommands } from './commands/connectionCommands';
import { defineLocalBrokerCommands } from './commands/localBrokerCommands';
import { CommandRegistry } from './commands/registry';
import { defineReliabilityCommands } from './commands/reliabilityCommands';
import { defineCapabilityCommands } from './commands/capabilityCommands';
import { watchCredentialRefusals } from './credentialRefusals';
import { definePublishCommands } from './commands/publishCommands';
import {
  defineRetainedCommands,
  modalConfirmation,
  type Confirmation,
} from './commands/retainedCommands';
import { defineSubscribeCommands } from './commands/subscribeCommands';
import { defineRequestCommands } from './commands/requestCommands';
import { Commands, Settings, StateKeys, Views, WalkthroughContext } from './constants';
import { LocalBrokerController } from './localBrokerController';
import { MessageLogController } from './messageLog/messageLogController';
import { PacketTraceController } from './packetTrace/packetTraceController';
import { FloodsController } from './floods/floodsController';
import { RecentTopics } from './recentTopics';
import { watchRefusals } from './refusalNotifier';
import { ConnectionSettings } from './settings';
import { createAutoConnectConsent } from './autoConnectPrompt';
import { ConnectionStatusBar } from './statusBar';
import { ConnectionsTreeProvider } from './views/connectionsTree';
import { markWalkthrough, trackWalkthrough } from './walkthrough';
import { resolveSession } from './pickers';
import { ChartController } from './charts/chartController';
import { defineChartCommand } from './charts/chartCommand';
import { SparkplugTracker } from '../core/sparkplug/sparkplugTracker';
import { followConnections } from '../core/sparkplug/sparkplugConnections';
import { SparkplugTreeProvider } from './views/sparkplugTree';
import { defineSparkplugCommands } from './commands/sparkplugCommands';
import { defineMqttSampleCommands } from './commands/mqttSampleCommands';
import { DecoderSettings } from './decoderSettings';
import { registerLiveTopics } from './liveTopics/liveTopicHover';
import { registerLanguageModelTools, type LanguageModelTools } from './lmTools/lmTools';
import { setupMqttFiles } from './mqttFile/mqttFileFeatures';
import type { MqttFileRuns } from './mqttFile/mqttFileRuns';
import type { MqttFileResults } from './mqttFile/mqttFileResults';
import { mqttFileEditor } from './mqttFile/mqttFileEditor';
import type { MqttFileTests } from './mqttFile/mqttFileTests';

/** What activate() returns: the live objects, for integration tests and other extensions. */
export interface MqttScopeApi {
  readonly sessions: SessionManager;
  readonly tree: ConnectionsTreeProvider;
  readonly localBroker: LocalBrokerController;
  readonly messageLog: MessageLogController;
  readonly packetTrace: PacketTraceController;
  /** The open charts (MQTT: Chart Topic…). */
  readonly charts: ChartController;
  /** Sparkplug B edge nodes and devices seen, and the Sparkplug view. */
  readonly sparkplug: SparkplugTracker;
  readonly sparkplugTree: SparkplugTreeProvider;
  /** The `mqttScope.decoders` rules in force and their problems. */
  readonly decoderSettings: DecoderSettings;
  readonly floods: FloodsController;
  /** The status-bar item: which connection is active. */
  readonly statusBar: ConnectionStatusBar;
  /** Asks before Clear Retained; replace `ask` to answer for the user (tests, automation). */
  readonly confirmation: Confirmation;
  /** The folder of the output channel's log file (`MQTT Scope.log`). */
  readonly logUri: vscode.Uri;
  /** The language-model tools (chat in agent mode). */
  readonly languageModelTools: LanguageModelTools;
  /** Runs `.mqtt` files (CodeLens, commands, the Testing view). */
  readonly mqttFileRuns: MqttFileRuns;
  /** The results shown after the request lines of `.mqtt` files. */
  readonly mqttFileResults: MqttFileResults;
  /** `.mqtt` files in the Testing view, with the states the last run reported. */
  readonly mqttFileTests: MqttFileTests;
}

export function activate(context: vscode.ExtensionContext): MqttScopeApi {
  // The channel is named after the product, and its lines are diagnostics for bug reports:
  // neither is translated, as VS Code's own extensions do.
  const log = vscode.window.createOutputChannel('MQTT Scope', { log: true });
  const logger = outputLogger(log);
  const passwords = new PasswordIndex(context.globalState, context.secrets, workspaceIdentity());
  const credentials = new SecretCredentials(context.secrets, passwords);
  // Every command is defined in it; internal code runs them through it (registry.run).
  const commands = new CommandRegistry(logger);
  const settings = new ConnectionSettings(log, commands);
  // Built before the sessions: the "Local broker" profile takes its password from it.
  const local = new LocalBrokerController(logger);
  const sessions = new SessionManager({
    scheduler: realScheduler,
    logger,
    credentials: {
      getPassword: (profileName, username, target, ...rest) => {
        const own = local.passwordFor(profileName, username, target);
        return own !== undefined
          ? Promise.resolve(own)
          : credentials.getPassword(profileName, username, target, ...rest);
      },
    },
    store: mementoStore(context.workspaceState),
    baseDir: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    maxTopics: () => settings.maxTopics,
    offlineQueueLimits: () => settings.offlineQueueLimits,
    maxRetryDelayMs: () => settings.maxRetryDelayMs,
    incomingLimits: () => settings.incomingLimits,
  });
  const tree = new ConnectionsTreeProvider(sessions, settings, local);
  const treeView = vscode.window.createTreeView(Views.connections, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  const statusBar = new ConnectionStatusBar(sessions, context.workspaceState, commands);
  const recent = new RecentTopics(context.workspaceState);
  const confirmation = modalConfirmation();
  // Every message received and published, by every connection: the hub feeds it, whatever
  // made the publish. Before the log, which reads it when the first message opens it.
  const store = messageStore();
  const trafficLog = new TrafficLog(store, sessions.onTraffic);
  const messageLog = new MessageLogController(
    store,
    context.extensionUri,
    sessions,
    async (session, topic) => {
      const element = tree.topicElement(session, topic);
      if (!element)
        throw new Error(
          vscode.l10n.t(
            '"{0}" is not in the topic explorer of "{1}" (it may have been cleared).',
            topic,
            session.name,
          ),
        );
      await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
      await treeView.reveal(element, { select: true, focus: true, expand: true });
    },
    commands,
    context.workspaceState,
    logger,
  );
  // After the log: the trace reads the seq the log gave each message.
  const packetTrace = new PacketTraceController(
    sessions,
    context.extensionUri,
    commands,
    (seq) => messageLog.select(seq),
    logger,
  );
  messageLog.traceLink = packetTrace;
  // After the log too: a birth's alias map is stamped with the birth's log seq.
  const sparkplug = new SparkplugTracker(realScheduler).follow(sessions.onTraffic);
  messageLog.sparkplug = sparkplug;
  context.subscriptions.push(followConnections(sparkplug, sessions));
  const sparkplugTree = new SparkplugTreeProvider(sparkplug);
  const decoderSettings = new DecoderSettings(log, commands);
  context.subscriptions.push(decoderSettings);
  messageLog.decoderRule = (topic) => decoderSettings.forTopic(topic);
  context.subscriptions.push(decoderSettings.onDidChange(() => messageLog.decoderRulesChanged()));
  tree.useDecoderRules(decoderSettings);
  tree.isTraced = (name) => packetTrace.trace.isTraced(name);
  const floods = new FloodsController(
    sessions,
    context.extensionUri,
    commands,
    (filter) => messageLog.openPanel(filter),
    logger,
  );
  tree.rateOf = (connection, topic) => floods.rates.rate(connection, topic);
  // The user's profiles, plus "Local broker" while the local broker runs (settings cannot use
  // that name). A profile from the folder's settings connects by itself only once the user
  // agreed for its host.
  const consent = createAutoConnectConsent(context.workspaceState, logger, () => applyProfiles());
  const applyProfiles = () => {
    const names = new Set(settings.profiles.map((p) => p.name));
    const own = consent.filter(settings.profiles, () => settings.origin);
    sessions.apply([...own, ...local.profiles().filter((p) => !names.has(p.name))]);
    packetTrace.trace.applyProfiles(settings.profiles);
    forgetRemovedProfiles();
  };
  // The passwords of profiles removed from settings go; not while the settings have mistakes,
  // when a profile being edited may only look removed.
  const identities = () =>
    sessions.all().map((s) => ({
      profile: s.name,
      user: s.profile.username ?? '',
      target: brokerTarget(s.profile),
    }));
  const forgetRemovedProfiles = () => {
    if (settings.problems.length) return;
    const current = identities();
    passwords.prune(current).then(
      (deleted) =>
        deleted && logger.info(`${deleted} saved password(s) of removed profiles deleted`),
      (error: unknown) => logger.error(`Deleting saved passwords failed: ${String(error)}`),
    );
  };

  defineConnectionCommands(commands, sessions, (name) => statusBar.setActive(name));
  defineReliabilityCommands(commands, sessions);
  definePasswordCommands(commands, sessions, passwords);
  defineSubscribeCommands(commands, sessions);
  definePublishCommands(commands, sessions, recent);
  defineRetainedCommands(commands, sessions, confirmation);
  defineLocalBrokerCommands(commands, local);
  defineRequestCommands(commands, sessions, recent, {
    store,
    reveal: (seq) => void messageLog.select(seq),
  });
  const capabilityDocuments = defineCapabilityCommands(commands, sessions);
  const charts = new ChartController(sessions, store, context.extensionUri, logger);
  charts.decoderRule = (topic) => decoderSettings.forTopic(topic);
  charts.sparkplugAliases = (connection) => (message) =>
    sparkplug.aliasesFor(connection, message.topic, message.seq);
  defineChartCommand(commands, sessions, charts);
  defineSparkplugCommands(commands, sessions, sparkplug);
  const liveTopicContext = {
    rateOf: (connection: string, topic: string) => floods.rates.rate(connection, topic),
    decoderRule: (topic: string) => decoderSettings.forTopic(topic),
  };
  const languageModelTools = registerLanguageModelTools({ sessions, store, ...liveTopicContext });
  context.subscriptions.push(registerLiveTopics(sessions, liveTopicContext), languageModelTools);
  defineMqttSampleCommands(commands, store, context.extensionUri);
  commands.define(Commands.showLog, () => log.show());
  const { runs: mqttFileRuns, results: mqttFileResults } = setupMqttFiles({
    context,
    sessions,
    registry: commands,
    messageLog,
    active: () => statusBar.active,
    logger,
  });
  const mqttFiles = mqttFileEditor(
    sessions,
    mqttFileRuns,
    () => context.workspaceState.get<string>(StateKeys.mqttFileEnvironment, '') || undefined,
  );
  context.subscriptions.push(mqttFiles);
  commands.define(Commands.selectConnection, ({ target }) =>
    statusBar.select(resolveSession(sessions, target)),
  );

  context.subscriptions.push(
    settings,
    { dispose: () => sessions.dispose() },
    local,
    store,
    trafficLog,
    messageLog,
    packetTrace,
    charts,
    sparkplug,
    sparkplugTree,
    vscode.window.createTreeView(Views.sparkplug, { treeDataProvider: sparkplugTree }),
    packetTrace.trace.onDidChangeTraced((name) => tree.refreshConnectionNamed(name)),
    floods,
    floods.rates.onDidRoll((roll) => tree.refreshRates(roll)),
    tree,
    treeView,
    statusBar,
    settings.onDidChange(applyProfiles),
    local.broker.onDidChangeState(applyProfiles),
    watchCredentialRefusals(sessions, credentials, commands),
    sessions.onDidChangeState(({ session, state }) => {
      // The view remembers a collapsed node by id; open a connection when it comes up, so its
      // topics show without a click.
      if (state.kind === 'connected' && treeView.visible) {
        treeView
          .reveal(tree.connectionElement(session), { expand: true, select: false, focus: false })
          .then(undefined, () => undefined);
      }
    }),
    tree.onDidReceiveFirstTopic((element) => {
      // Revealing the first topic opens the levels above it: a device shows without a click.
      if (treeView.visible)
        treeView.reveal(element, { select: false, focus: false }).then(undefined, () => undefined);
    }),
    watchRefusals(sessions, commands),
    capabilityDocuments,
    watchUnverifiedConnections(sessions),
    watchAutoConnectFailures(sessions, commands),
    trackWalkthrough(sessions, settings, local),
    // The walkthrough's last step: a .mqtt file ran, however it was started.
    mqttFileRuns.onDidRun(() => markWalkthrough(WalkthroughContext.mqttFile)),
    ...commands.registerAll(vscode.commands),
    // Last: what is disposed before it may still write to it while shutting down.
    log,
  );
  applyProfiles();
  credentials
    .dropUnbound(identities())
    .catch((error: unknown) =>
      logger.error(`Deleting old saved passwords failed: ${String(error)}`),
    );
  void autoStart(local);
  shutdown = async () => {
    // Say goodbye properly (DISCONNECT, so no Last Will fires) before VS Code disposes things.
    await Promise.all(sessions.all().map((s) => s.disconnect().catch(() => undefined)));
    await local.stop().catch(() => undefined);
  };
  return {
    sessions,
    tree,
    localBroker: local,
    messageLog,
    packetTrace,
    charts,
    sparkplug,
    sparkplugTree,
    decoderSettings,
    floods,
    statusBar,
    confirmation,
    logUri: context.logUri,
    languageModelTools,
    mqttFileRuns,
    mqttFileResults,
    mqttFileTests: mqttFiles.tests,
  };
}

/** The Message Log's store, sized by the settings read when VS Code starts. */
function messageStore(): MessageStore {
  const config = vscode.workspace.getConfiguration();
  return new MessageStore({
    scheduler: realScheduler,
    maxMessages: config.get<number>(Settings.messageLogMaxMessages) ?? 100_000,
    maxBytes: (config.get<number>(Settings.messageLogMaxMegabytes) ?? 256) * 1024 * 1024,
  });
}

/** Starts the local broker and the demo when the settings ask for it, and shows the sidebar. */
async function autoStart(local: LocalBrokerController): Promise<void> {
  const config = vscode.workspace.getConfiguration();
  const demo = config.get<boolean>(Settings.demoAutoStart) ?? false;
  if (!demo && !(config.get<boolean>(Settings.localBrokerAutoStart) ?? false)) return;
  if (demo) {
    await local.startDemo();
    await vscode.commands.executeCommand(`workbench.view.extension.${Views.container}`);
  } else {
    await local.start();
  }
}

/** Which workspace holds a saved password: SecretStorage is shared by all of them. */
function workspaceIdentity(): string {
  const ws = vscode.workspace.workspaceFile ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  return ws?.toString() ?? '(no folder)';
}

let shutdown: (() => Promise<void>) | undefined;

/** Disconnects cleanly (bounded), then VS Code disposes context.subscriptions. */
export async function deactivate(): Promise<void> {
  const done = shutdown?.();
  shutdown = undefined;
  if (done) await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 3_000))]);
}
