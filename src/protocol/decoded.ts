/**
 * A payload as a decoder read it, in plain data that crosses to the webview (structured-clone
 * and JSON safe: no bigint, no Map). Values from devices are a tagged tree, so a key or a string
 * a device sent can never be mistaken for the tree's own structure. Strings are as sent: views
 * show them through src/shared/visibleText.
 */

/** The decoders a rule in `mqttScope.decoders` may name. */
export const DECODER_IDS = [
  'json',
  'cbor',
  'msgpack',
  'protobuf',
  'sparkplug',
  'base64',
  'hex',
  'text',
  'image',
] as const;
export type DecoderId = (typeof DECODER_IDS)[number];

/** One value of a decoded payload. */
export type DecodedNode =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  /** A number that fits a double exactly. */
  | { t: 'num'; v: number }
  /** An integer too large for a double (64-bit Protobuf, CBOR, MessagePack), in decimal. */
  | { t: 'int'; v: string }
  | { t: 'str'; v: string }
  /** Bytes: their size, and the first ones as hex (`cut` when more follow). */
  | { t: 'bytes'; size: number; hex: string; cut?: boolean }
  | { t: 'list'; items: DecodedNode[] }
  /** Keys as text, in the order sent (a non-text CBOR / MessagePack key is shown as text). */
  | { t: 'map'; entries: [key: string, value: DecodedNode][] }
  /** Where the tree was cut: deeper than the depth limit, or past the node budget. */
  | { t: 'cut'; why: string };

/** What decoding a payload gave: the decoder, why it was chosen, and its result or error. */
export interface DecodedPayload {
  decoder: DecoderId;
  /** What the user reads as the format: "JSON", "CBOR", "Protobuf plant.Telemetry", … */
  label: string;
  /** Why this decoder: "content type application/cbor", "rule plant/+/telemetry", "auto". */
  reason: string;
  /** The decoded value (absent for text, hex and image, and on error). */
  value?: DecodedNode;
  /**
   * The payload as text for a preview, Open in Editor and the text view: pretty JSON-like for
   * structured formats, the text itself for text; absent on error and for images.
   */
  text?: string;
  /** Why the payload did not decode, e.g. "Protobuf: invalid wire type 7 at byte 12"; the payload is then shown as hex. */
  error?: string;
  /** An image the detail pane may preview (the decoder checked the signature). */
  image?: { mime: 'image/png' | 'image/jpeg' };
}
