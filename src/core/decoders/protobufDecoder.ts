import type { Root, Type } from 'protobufjs';
import type { DecodeContext, PayloadDecoder } from './decoder';
import { decodedText, toDecodedNode } from './decodedTree';
import { checkProtobufWire, readRawFields } from './protobufWire';
import { protoToPlain } from './protobufValues';

/**
 * Protobuf, with the message type of a `mqttScope.decoders` rule from the user's `.proto` file;
 * without a schema (a rule without `protoFile`, or only the content type) the wire format is
 * read raw: field numbers to values. Never guessed from the bytes: nearly any bytes are some
 * valid Protobuf message.
 */
export const protobufDecoder: PayloadDecoder = {
  id: 'protobuf',
  label: 'Protobuf',
  contentTypes: [
    'application/protobuf',
    'application/x-protobuf',
    'application/vnd.google.protobuf',
  ],
  decode(bytes, context) {
    const type = schemaType(context);
    if (!type) {
      const value = toDecodedNode(readRawFields(bytes));
      return { value, text: decodedText(value), label: 'Protobuf (no schema)' };
    }
    checkProtobufWire(bytes, type);
    let plain: unknown;
    try {
      plain = protoToPlain(type, type.decode(bytes));
    } catch (error) {
      throw new Error(
        `Protobuf: ${(error as Error).message.replace(/ at offset (\d+)/, ' at byte $1')}`,
      );
    }
    const value = toDecodedNode(plain);
    return { value, text: decodedText(value), label: `Protobuf ${type.fullName.slice(1)}` };
  },
};

/** Message types looked up once per schema. */
const types = new WeakMap<Root, Map<string, Type>>();

function schemaType(context: DecodeContext): Type | undefined {
  const root = context.rule?.protoRoot as Root | undefined;
  const name = context.rule?.messageType;
  if (!root || !name) return undefined;
  let byName = types.get(root);
  if (!byName) types.set(root, (byName = new Map()));
  let type = byName.get(name);
  if (!type) byName.set(name, (type = root.lookupType(name)));
  return type;
}
