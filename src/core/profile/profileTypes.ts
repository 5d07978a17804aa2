/**
 * The shapes of connection profiles and of the problems found in them. Kept apart from the
 * validation, so the section readers can name these types without importing the validator
 * that imports them.
 */
export type Transport = 'mqtt' | 'mqtts' | 'ws' | 'wss';
export type QoS = 0 | 1 | 2;
export type ProtocolVersion = 4 | 5;

export interface SubscriptionSpec {
  topic: string;
  qos: QoS;
  /** MQTT 5 only: do not receive our own publications. */
  noLocal?: boolean;
  /** MQTT 5 only: keep the retain flag as published. */
  retainAsPublished?: boolean;
  /** MQTT 5 only: 0 send retained on subscribe, 1 only for new subscriptions, 2 never. */
  retainHandling?: 0 | 1 | 2;
  /** MQTT 5 only: sent in the SUBSCRIBE; the broker puts it on every message this one delivers. */
  subscriptionIdentifier?: number;
}

export interface TlsOptions {
  /** Path of a PEM file with the CA certificate(s) to trust. */
  ca?: string;
  /** Path of the PEM client certificate. */
  cert?: string;
  /** Path of the PEM private key of the client certificate. */
  key?: string;
  /** Verify the broker's certificate. On by default; turning it off is logged as a warning. */
  rejectUnauthorized: boolean;
  /** Server name for SNI and certificate verification, when it differs from the host. */
  servername?: string;
}

export interface WillSpec {
  topic: string;
  payload: string;
  qos: QoS;
  retain: boolean;
  /** MQTT 5 only: the will's properties, as MQTT.js takes them (`will.properties`). */
  properties?: WillProperties;
}

export interface WillProperties {
  willDelayInterval?: number;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  payloadFormatIndicator?: boolean;
  userProperties?: Record<string, string | string[]>;
}

export interface ConnectionProfile {
  name: string;
  protocol: Transport;
  host: string;
  port: number;
  /** WebSocket path, `/mqtt` unless set. */
  path: string;
  clientId?: string;
  protocolVersion: ProtocolVersion;
  keepalive: number;
  clean: boolean;
  sessionExpiryInterval?: number;
  username?: string;
  subscriptions: SubscriptionSpec[];
  autoConnect: boolean;
  /** Trace this connection's packets (src/core/trace/); set only when true. */
  packetTrace?: boolean;
  connectTimeout: number;
  tls?: TlsOptions;
  will?: WillSpec;
}

export interface ProfileProblem {
  /** Setting path, e.g. `mqttScope.connections[1].port`. */
  path: string;
  message: string;
  /** The profile's name when it has one, so the UI can attach the problem to it. */
  profileName?: string;
}

export interface ValidationResult {
  profiles: ConnectionProfile[];
  problems: ProfileProblem[];
}
