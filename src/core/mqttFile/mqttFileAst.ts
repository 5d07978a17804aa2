/**
 * A parsed `.mqtt` file (docs/mqtt-files.md): variables, blocks and the problems found, each
 * with its place in the text. Values that may hold `{{…}}` expansions are `Template`s, expanded
 * when the block runs; the parser checks the ones without expansions at once.
 */

/** A place in the text: 0-based lines and columns (UTF-16 units), end exclusive. */
export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A value as written, with where it was written. `raw` may contain `{{…}}`. */
export interface Template {
  raw: string;
  range: SourceRange;
}

export interface MqttFileProblem {
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning';
}

export interface VariableDefinition {
  name: string;
  value: Template;
  range: SourceRange;
}

export interface MqttFile {
  variables: VariableDefinition[];
  blocks: MqttBlock[];
  /** Every problem of the file; a block with an error is still listed, marked `invalid`. */
  problems: MqttFileProblem[];
}

export type QoSLevel = 0 | 1 | 2;

export interface BlockBase {
  /** The block's position among the file's blocks (0-based). */
  index: number;
  /** The text after `###`, trimmed; may be empty. */
  title: string;
  /** From the `###` line to the block's last line. */
  range: SourceRange;
  /** The request line (where CodeLens, results and test failures are shown). */
  requestRange: SourceRange;
  /** The `client:` header: a client opened by CONNECT; absent means the environment's connection. */
  client?: string;
  /** True when the block has an error: it is not run (reported failed with the first problem). */
  invalid: boolean;
}

/** What a PUBLISH or REQUEST sends. */
export interface MessageSpec {
  topic: Template;
  qos: QoSLevel;
  retain: boolean;
  properties: PropertySpec;
  payload: PayloadSpec;
}

export interface PropertySpec {
  contentType?: Template;
  responseTopic?: Template;
  /** Seconds. */
  messageExpiry?: number;
  payloadFormat?: 'utf8' | 'bytes';
  /** Text, or `hex:…`, as written. */
  correlationData?: Template;
  userProperties: { key: Template; value: Template }[];
}

export type PayloadSpec =
  | { kind: 'text'; text: Template; encoding: 'text' | 'hex' | 'base64' }
  /** `< path`: the file's bytes, the path relative to the `.mqtt` file. */
  | { kind: 'file'; path: Template }
  | { kind: 'empty' };

export interface PublishBlock extends BlockBase {
  kind: 'publish';
  message: MessageSpec;
  /** `REPEAT n EVERY t`; absent: once. */
  repeat?: { count: number; everyMs: number };
}

/** What a received message must be like (EXPECT, or a REQUEST's reply). */
export interface MessageMatchers {
  /** Exact payload (compared as JSON when both sides parse as JSON). */
  payload?: PayloadSpec;
  /** `match: /…/flags`. */
  regex?: { source: string; flags: string; range: SourceRange };
  json: JsonCondition[];
}

export type JsonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'exists';

export interface JsonCondition {
  /** `$.a.b[0]` split: ['a', 'b', 0]. */
  path: (string | number)[];
  /** The path as written. */
  pathText: string;
  op: JsonOperator;
  /** The JSON literal to compare with (absent for `exists`); may hold `{{…}}`. */
  value?: Template;
  range: SourceRange;
}

export interface ExpectBlock extends BlockBase {
  kind: 'expect';
  filter: Template;
  /** EXPECT NOTHING: passes when no message matching `matchers` arrives within the window. */
  nothing: boolean;
  withinMs: number;
  /** Subscription QoS, and required on what arrives when `qosRequired`. */
  qos: QoSLevel;
  qosRequired: boolean;
  /** `exactly`: that many within the whole window; `atLeast`: passes at the n-th. */
  count: { kind: 'exactly' | 'atLeast'; n: number };
  retained?: boolean;
  matchers: MessageMatchers;
}

export interface RequestBlock extends BlockBase {
  kind: 'request';
  message: MessageSpec;
  withinMs: number;
  reply: MessageMatchers;
}

export interface WaitBlock extends BlockBase {
  kind: 'wait';
  /** Absent: wait until every started EXPECT has ended. */
  ms?: number;
}

export interface ConnectBlock extends BlockBase {
  kind: 'connect';
  /** The name other blocks use in `client:`. */
  name: string;
  clientId?: Template;
  broker?: Template;
  protocolVersion?: 4 | 5;
  username?: Template;
  /** Always a `{{$env …}}` or `{{$secret …}}` reference (a literal is a problem). */
  password?: Template;
  keepaliveSeconds?: number;
  clean?: boolean;
  will?: { topic: Template; payload: Template; qos: QoSLevel; retain: boolean };
}

export interface CloseBlock extends BlockBase {
  /** DISCONNECT: a clean close (no will); DROP: the socket is destroyed (the will fires). */
  kind: 'disconnect' | 'drop';
  name: string;
}

export type MqttBlock =
  PublishBlock | ExpectBlock | RequestBlock | WaitBlock | ConnectBlock | CloseBlock;

/** EXPECT and REQUEST blocks are tests (the Testing view, JUnit); the rest are steps. */
export function isTestBlock(block: MqttBlock): block is ExpectBlock | RequestBlock {
  return block.kind === 'expect' || block.kind === 'request';
}
