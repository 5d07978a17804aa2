/**
 * How a `.mqtt` file runs: what the runner needs from its host (clients, time, files, values)
 * and what it reports. The editor and the command-line runner supply the same ports.
 */
import type { Scheduler } from '../ports';
import type { ConnectBlock, MqttBlock, MqttFile } from './mqttFileAst';

/** A message as the runner sees it (a session's `ReceivedMessage` is one). */
export interface RunMessage {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  properties?: Record<string, unknown>;
  receivedAt: number;
  /** Its Message Log entry, when the host logs it. */
  seq?: number;
}

export interface RunPublish {
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** MQTT.js publish properties (contentType, userProperties, correlationData, …). */
  properties?: Record<string, unknown>;
}

export interface RunPublishResult {
  /** From the send to the last acknowledgement (0 for QoS 0). */
  elapsedMs: number;
  /** The acknowledgement packets, e.g. ['PUBREC', 'PUBREL', 'PUBCOMP']. */
  handshake: string[];
  /** Its Message Log entry, when the host logs it. */
  seq?: number;
}

export interface RunSubscription {
  /** The QoS the broker granted. */
  grantedQos: 0 | 1 | 2;
  /** Unsubscribes; never rejects. */
  close(): Promise<void>;
  /** True when the broker subscription has No Local (the client's own publishes do not come back). */
  noLocal?: boolean;
}

/** What a subscription may also ask for. */
export interface RunSubscribeOptions {
  /** MQTT 5 No Local, where the client can ask for it (see `RunSubscription.noLocal`). */
  noLocal?: boolean;
  /**
   * Called once when the client ends under the subscription (its connection lost, the client
   * dropped or closed), with a sentence naming the client. A client that reconnects by itself
   * (the editor's connection) does not call it.
   */
  onEnd?: (reason: string) => void;
}

/** A connected client. Methods reject with an Error whose message a user can read. */
export interface RunClient {
  readonly name: string;
  readonly protocolVersion: 4 | 5;
  publish(message: RunPublish): Promise<RunPublishResult>;
  /** Subscribes; `onMessage` gets every message matching `filter` until closed. */
  subscribe(
    filter: string,
    qos: 0 | 1 | 2,
    onMessage: (message: RunMessage) => void,
    options?: RunSubscribeOptions,
  ): Promise<RunSubscription>;
  /** DISCONNECT (no will). For the environment's connection: only stops using it. */
  close(): Promise<void>;
  /** Destroys the socket without DISCONNECT (the will fires). */
  drop(): void;
}

/** A CONNECT block with its values expanded. */
export interface ConnectRequest {
  block: ConnectBlock;
  name: string;
  clientId: string;
  broker?: string;
  protocolVersion?: 4 | 5;
  username?: string;
  password?: string;
  keepaliveSeconds?: number;
  clean?: boolean;
  will?: { topic: string; payload: Uint8Array; qos: 0 | 1 | 2; retain: boolean };
}

export interface RunClients {
  /** The environment's connection (the editor: a session, logged; the CLI: a client). */
  defaultClient(): Promise<RunClient>;
  /** A named client for a CONNECT block. */
  connect(request: ConnectRequest): Promise<RunClient>;
}

export type BlockStatus = 'passed' | 'failed' | 'skipped';

export interface BlockResult {
  block: MqttBlock;
  status: BlockStatus;
  /** Why it failed or was skipped, one or two sentences. */
  message?: string;
  /** For a mismatch: what was expected and what arrived, as text (the editor shows a diff). */
  expected?: string;
  actual?: string;
  /** EXPECT: from the subscription to the first matching message; REQUEST: to the reply; PUBLISH: to the last ack. */
  latencyMs?: number;
  durationMs: number;
  /** How many messages matched (EXPECT) or were published (PUBLISH). */
  messages?: number;
  /** The Message Log entries the block produced (when the host logs them). */
  seqs?: number[];
}

export interface FileResult {
  results: BlockResult[];
  passed: boolean;
  durationMs: number;
  /** Set when the run was cancelled. */
  cancelled?: boolean;
}

export interface RunReporter {
  blockStarted?(block: MqttBlock): void;
  blockEnded?(result: BlockResult): void;
}

export interface RunOptions {
  clients: RunClients;
  scheduler: Scheduler;
  /** The environment's variables (file variables win over them). */
  variables: Record<string, string>;
  /** `{{$env NAME}}`. */
  env(name: string): string | undefined;
  /** `{{$secret NAME}}`; undefined when there is none. */
  secret(name: string): Promise<string | undefined>;
  /** `< path` bodies, relative to the file (the host resolves and bounds them). */
  readFile(path: string): Promise<Uint8Array>;
  /** Run these test blocks (by index) and every step; others' tests are reported skipped. Absent: all. */
  only?: number[];
  /** Stop at the next block, close every client, report the rest skipped. */
  signal?: AbortSignal;
  reporter?: RunReporter;
}

/** The runner's entry point, implemented in `runner.ts`. */
export type RunMqttFile = (file: MqttFile, options: RunOptions) => Promise<FileResult>;
