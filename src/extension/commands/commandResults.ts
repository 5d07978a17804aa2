/**
 * What each command resolves with, for `CommandRegistry.run` and for callers of
 * `executeCommand` (tests, other extensions). Undefined means cancelled or nothing to do.
 */
import type { PublishOutcome, SubscriptionStatus } from '../../core/session/sessionTypes';
import type { RequestCommandResult } from './requestArgs';
import type { ChartOpened } from './chartArgs';
import type { MqttFileCommandResults } from '../mqttFile/mqttFileArgs';

export type PublishResult =
  { ok: true; outcome: PublishOutcome } | { ok: false; error: string } | undefined;

/** What Clear Retained resolves with; undefined when cancelled or nothing was to be done. */
export interface ClearRetainedResult {
  cleared: string[];
  failed: { topic: string; error: string }[];
}

/** What Request Rebirth resolves with; undefined when cancelled. */
export type RebirthResult = { ok: true; topic: string } | { ok: false; error: string } | undefined;

export interface CommandResults extends MqttFileCommandResults {
  'mqttScope.requestRebirth': RebirthResult;
  'mqttScope.connect': boolean;
  'mqttScope.disconnect': void;
  'mqttScope.reconnectNow': boolean;
  'mqttScope.dropConnection': boolean;
  'mqttScope.dropQueued': number;
  /** The document shown; undefined when cancelled or not connected. */
  'mqttScope.showBrokerCapabilities': { uri: string; text: string } | undefined;
  'mqttScope.subscribe': SubscriptionStatus | undefined;
  'mqttScope.unsubscribe': void;
  'mqttScope.publish': PublishResult;
  'mqttScope.publishToTopic': PublishResult;
  'mqttScope.copyTopic': void;
  'mqttScope.clearRetained': ClearRetainedResult | undefined;
  'mqttScope.clearRetainedUnder': ClearRetainedResult | undefined;
  'mqttScope.addConnection': void;
  'mqttScope.openSettings': void;
  'mqttScope.showLog': void;
  'mqttScope.selectConnection': void;
  'mqttScope.clearTopics': void;
  /** How many saved passwords were deleted. */
  'mqttScope.forgetPassword': number;
  'mqttScope.forgetAllPasswords': number;
  /** The port, or undefined when it failed. */
  'mqttScope.startLocalBroker': number | undefined;
  'mqttScope.stopLocalBroker': void;
  'mqttScope.restartLocalBroker': number | undefined;
  'mqttScope.copyLocalBrokerPassword': boolean;
  'mqttScope.startDemo': boolean;
  'mqttScope.stopDemo': void;
  'mqttScope.demoBurst': void;
  'mqttScope.openMessageLog': void;
  'mqttScope.showMessages': void;
  'mqttScope.clearMessageLog': void;
  'mqttScope.sendRequest': RequestCommandResult;
  /** Whether the connection is traced now; undefined when cancelled. */
  'mqttScope.togglePacketTrace': boolean | undefined;
  'mqttScope.showPacketTrace': void;
  'mqttScope.showFloods': void;
  /** The chart opened; undefined when cancelled or nothing to chart. */
  'mqttScope.chartTopic': ChartOpened | undefined;
}
