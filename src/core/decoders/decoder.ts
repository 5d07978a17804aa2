/**
 * What a payload decoder is. Each decoder lives in its own file and is listed once in
 * `registry.ts`; the registry picks one per message (a settings rule, then the MQTT 5 content
 * type, then the bytes) and never throws: a payload that does not decode comes back with the
 * decoder's error and is shown as hex.
 */
import type { DecodedNode, DecoderId } from '../../protocol/decoded';

/** What a decoder is given besides the bytes. */
export interface DecodeContext {
  topic: string;
  /** The MQTT 5 content type the message carried. */
  contentType?: string;
  /** Decoder-specific options from the matching rule (e.g. the Protobuf message type). */
  rule?: DecoderRuleOptions;
  /**
   * Sparkplug B: the metric name an alias stood for on this message's edge node or device, from
   * the birth in force when the message arrived (`core/sparkplug/`), or why it is not known.
   */
  metricAlias?(alias: string): { name: string } | { unknown: string };
}

/** The options a rule may carry for its decoder, already loaded (a `.proto` file's text). */
export interface DecoderRuleOptions {
  /** Protobuf: the schema, parsed once per rule by the caller (`protobufjs` Root). */
  protoRoot?: unknown;
  /** Protobuf: the fully qualified message type, e.g. `plant.Telemetry`. */
  messageType?: string;
}

/** A decoder's result: a value tree and/or display text, or an image. */
export interface DecodeOutput {
  value?: DecodedNode;
  text?: string;
  label?: string;
  image?: { mime: 'image/png' | 'image/jpeg' };
}

export interface PayloadDecoder {
  id: DecoderId;
  /** The format's name as a user reads it ("CBOR"). */
  label: string;
  /** Content types (lower case, without parameters) that select this decoder. */
  contentTypes?: readonly string[];
  /** Cheap check of the bytes for automatic choice; decoders without one are never guessed. */
  sniff?(bytes: Uint8Array, topic: string): boolean;
  /** Why a sniff chose it, when that is not the bytes (Sparkplug B: its topic). */
  sniffReason?: string;
  /** Decodes, or throws an Error whose message says what is wrong and where. */
  decode(bytes: Uint8Array, context: DecodeContext): DecodeOutput;
}
