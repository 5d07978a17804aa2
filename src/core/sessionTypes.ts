/** The shapes an MqttSession shows to the rest of the extension: its state, subscriptions and messages. */
import type { IClientPublishOptions } from 'mqtt';
import type { ConnectionProfile, QoS, SubscriptionSpec } from './profile';
import type { Logger, Scheduler } from './ports';

export type SessionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting' }
  | { kind: 'connected'; since: number }
  | { kind: 'reconnecting'; attempt: number; lastError?: string }
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

export interface ReceivedMessage {
  topic: string;
  /** The bytes as received; decoded only when something shows them. */
  payload: Uint8Array;
  qos: QoS;
  retain: boolean;
  dup: boolean;
  properties?: Record<string, unknown>;
  receivedAt: number;
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
}

export interface SessionDeps {
  scheduler: Scheduler;
  logger: Logger;
  /** Resolves the password for a profile with a username; undefined when the user cancelled. */
  getPassword(profile: ConnectionProfile): Promise<string | undefined>;
  /** The client id to use when the profile has none; kept stable by the host. */
  clientId: string;
  /** Folder that relative certificate paths are resolved against. */
  baseDir?: string;
  /** Most topics the topic tree keeps. */
  maxTopics?: number;
}
