/**
 * Every id the manifest and the code share. test/unit/manifest.test.ts compares them with
 * package.json so a renamed command cannot silently break a menu.
 */
export const EXTENSION_ID = 'mqtt-scope.mqtt-scope';
export const CONFIG_SECTION = 'mqttScope';
export const CONNECTIONS_SETTING = 'mqttScope.connections';
export const MAX_TOPICS_SETTING = 'mqttScope.topicTree.maxTopics';

export const Commands = {
  connect: 'mqttScope.connect',
  disconnect: 'mqttScope.disconnect',
  subscribe: 'mqttScope.subscribe',
  unsubscribe: 'mqttScope.unsubscribe',
  publish: 'mqttScope.publish',
  publishToTopic: 'mqttScope.publishToTopic',
  copyTopic: 'mqttScope.copyTopic',
  clearRetained: 'mqttScope.clearRetained',
  clearRetainedUnder: 'mqttScope.clearRetainedUnder',
  addConnection: 'mqttScope.addConnection',
  openSettings: 'mqttScope.openSettings',
  showLog: 'mqttScope.showLog',
  selectConnection: 'mqttScope.selectConnection',
  clearTopics: 'mqttScope.clearTopics',
  forgetPassword: 'mqttScope.forgetPassword',
  forgetAllPasswords: 'mqttScope.forgetAllPasswords',
  startLocalBroker: 'mqttScope.startLocalBroker',
  stopLocalBroker: 'mqttScope.stopLocalBroker',
  restartLocalBroker: 'mqttScope.restartLocalBroker',
  copyLocalBrokerPassword: 'mqttScope.copyLocalBrokerPassword',
  startDemo: 'mqttScope.startDemo',
  stopDemo: 'mqttScope.stopDemo',
  demoBurst: 'mqttScope.demoBurst',
  openMessageLog: 'mqttScope.openMessageLog',
  showMessages: 'mqttScope.showMessages',
  clearMessageLog: 'mqttScope.clearMessageLog',
  reconnectNow: 'mqttScope.reconnectNow',
  dropConnection: 'mqttScope.dropConnection',
  dropQueued: 'mqttScope.dropQueued',
  sendRequest: 'mqttScope.sendRequest',
  showBrokerCapabilities: 'mqttScope.showBrokerCapabilities',
  togglePacketTrace: 'mqttScope.togglePacketTrace',
  showPacketTrace: 'mqttScope.showPacketTrace',
  showFloods: 'mqttScope.showFloods',
  chartTopic: 'mqttScope.chartTopic',
  requestRebirth: 'mqttScope.requestRebirth',
  runMqttFile: 'mqttScope.runMqttFile',
  runMqttBlock: 'mqttScope.runMqttBlock',
  publishMqttBlock: 'mqttScope.publishMqttBlock',
  stopMqttRun: 'mqttScope.stopMqttRun',
  selectEnvironment: 'mqttScope.selectEnvironment',
  showMqttBlockInLog: 'mqttScope.showMqttBlockInLog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Settings = {
  localBrokerPort: 'mqttScope.localBroker.port',
  localBrokerWebsocketPort: 'mqttScope.localBroker.websocketPort',
  localBrokerAutoStart: 'mqttScope.localBroker.autoStart',
  localBrokerRequirePassword: 'mqttScope.localBroker.requirePassword',
  demoAutoStart: 'mqttScope.demo.autoStart',
  messageLogMaxMessages: 'mqttScope.messageLog.maxMessages',
  messageLogMaxMegabytes: 'mqttScope.messageLog.maxMegabytes',
  messageLogOpenOnFirstMessage: 'mqttScope.messageLog.openOnFirstMessage',
  topicTreeAutoExpandDepth: 'mqttScope.topicTree.autoExpandDepth',
  offlineQueueMaxMessages: 'mqttScope.offlineQueue.maxMessages',
  offlineQueueMaxMegabytes: 'mqttScope.offlineQueue.maxMegabytes',
  reconnectMaxDelaySeconds: 'mqttScope.reconnect.maxDelaySeconds',
  maximumPacketSizeMegabytes: 'mqttScope.maximumPacketSizeMegabytes',
  packetTraceMaxEntries: 'mqttScope.packetTrace.maxEntries',
  decoders: 'mqttScope.decoders',
} as const;

/** The connection profile that appears while the local broker runs. */
export const LOCAL_PROFILE_NAME = 'Local broker';
/** The user name the local broker's per-session password goes with. */
export const LOCAL_BROKER_USERNAME = 'mqtt-scope';

export const Views = {
  container: 'mqttScope',
  connections: 'mqttScope.connections',
  messageLogContainer: 'mqttScopeLog',
  messageLog: 'mqttScope.messageLog',
  messageLogPanel: 'mqttScope.messageLogPanel',
  packetTracePanel: 'mqttScope.packetTracePanel',
  floods: 'mqttScope.floods',
  chartPanel: 'mqttScope.chartPanel',
  sparkplug: 'mqttScope.sparkplug',
} as const;

export const StateKeys = {
  recentTopics: 'mqttScope.recentTopics',
  activeConnection: 'mqttScope.activeConnection',
  /** Set once the Message Log opened by itself on the first message in this workspace. */
  messageLogOpenedOnce: 'mqttScope.messageLog.openedOnFirstMessage',
  /** The `.mqtt` environment chosen in the status bar ('' for none). */
  mqttFileEnvironment: 'mqttScope.mqttFile.environment',
} as const;

/** The language of `.mqtt` files. */
export const MQTT_LANGUAGE_ID = 'mqtt';

/**
 * Context keys the walkthrough's steps complete on (`onContext:`): set from what the user
 * actually did, whichever way they did it (a command, a setting, a profile that connects by
 * itself).
 */
export const WalkthroughContext = {
  brokerRunning: 'mqttScope.walkthrough.brokerRunning',
  connected: 'mqttScope.walkthrough.connected',
  subscribed: 'mqttScope.walkthrough.subscribed',
  published: 'mqttScope.walkthrough.published',
  ownBroker: 'mqttScope.walkthrough.ownBroker',
} as const;
