/** The shapes an MqttSession shows to the rest of the extension: its state, subscriptions and messages. */
import type { IClientPublishOptions } from 'mqtt';
import type { ConnectionProfile, QoS, SubscriptionSpec } from '../profile/profile';
import type { Logger, Scheduler } from '../ports';
import type { MqttClientFactory } from './mqttClientFactory';
import type { BrokerTrust } from '../trust/brokerTrust';
import type { IncomingLimits } from '../incoming/packetGuard';
import type { PublishResult } from '../traffic/trafficTypes';

export type { ReceivedMessage } from '../traffic/trafficTypes';
export type { BrokerCapabilities } from './brokerCapabilities';

export type SessionState =
  | { kind: 'disconnected' }
  /** `lastError`: why the previous try failed, when a first connection is being retried. */
  | { kind: 'connecting'; lastError?: string }
  | {
      kind: 'connected';
      since: number;
      /** Set until the subscriptions are answered: a drop before then keeps backing off. */
      retriesBeforeSettled?: number;
    }
  | {
      kind: 'reconnecting';
      attempt: number;
      /** Why the link dropped. */
      cause?: string;
      /** Why the latest attempt failed. */
      lastError?: string;
      /** When the next attempt starts (scheduler time); undefined while an attempt runs. */
      nextAttemptAt?: number;
    }
  | {
      kind: 'error';
      message: string;
      /** CONNACK reason code when the broker refused. */ reasonCode?: number;
    };

export type SubscriptionStatus =
  { kind: 'pending' } | { kind: 'granted'; qos: QoS } | { kind: 'refused'; reason: string };

export interface Subscription extends SubscriptionSpec {
  status: SubscriptionStatus;
}

export interface PublishRequest {
  topic: string;
  payload: string | Uint8Array;
  qos: QoS;
  retain: boolean;
  properties?: IClientPublishOptions['properties'];
}

export interface PublishOutcome {
  qos: QoS;
  /** The acknowledgement packets exchanged, e.g. ["PUBREC", "PUBREL", "PUBCOMP"]. */
  handshake: string[];
  elapsedMs: number;
  /** The outcome as the Message Log keeps it: the exchange with its timings. */
  result: PublishResult;
}

export interface SessionDeps {
  scheduler: Scheduler;
  logger: Logger;
  /**
   * Resolves the password for a profile with a username; undefined when the user cancelled.
   * `beforePrompt` runs before the user is asked (not for a saved password); its rejection
   * means no prompt. `trust` says what verifies the broker; a saved password is bound to it.
   */
  getPassword(
    profile: ConnectionProfile,
    beforePrompt?: () => Promise<void>,
    trust?: BrokerTrust,
  ): Promise<string | undefined>;
  /** The client id to use when the profile has none; kept stable by the host. */
  clientId: string;
  /** Folder that relative certificate paths are resolved against. */
  baseDir?: string;
  /** Most topics the topic tree keeps. */
  maxTopics?: number;
  /** Where the MQTT client comes from; MQTT.js unless a test scripts one. */
  clientFactory?: MqttClientFactory;
  /** Bounds of the queue that holds publishes made while reconnecting. */
  offlineQueueLimits?: () => OfflineQueueLimits;
  /** The largest packet and the properties accepted from the broker (read on each connect). */
  incomingLimits?: () => IncomingLimits;
  /** The longest wait between reconnect attempts. */
  maxRetryDelayMs?: () => number;
}

/** How much the offline queue holds while a session reconnects. */
export interface OfflineQueueLimits {
  maxMessages: number;
  maxBytes: number;
}
