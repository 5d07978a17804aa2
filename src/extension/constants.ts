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
  addConnection: 'mqttScope.addConnection',
  openSettings: 'mqttScope.openSettings',
  showLog: 'mqttScope.showLog',
  selectConnection: 'mqttScope.selectConnection',
  clearTopics: 'mqttScope.clearTopics',
} as const;

export const Views = {
  container: 'mqttScope',
  connections: 'mqttScope.connections',
} as const;

export const StateKeys = {
  recentTopics: 'mqttScope.recentTopics',
  activeConnection: 'mqttScope.activeConnection',
} as const;
