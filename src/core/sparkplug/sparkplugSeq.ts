/**
 * The `seq` field (3) of a Sparkplug B Payload, read without decoding the metrics: what the
 * tracker needs of every data message.
 */
import { Reader } from 'protobufjs/light';

/** The seq, undefined when the payload has none; throws on a payload that is not protobuf. */
export function readSeq(bytes: Uint8Array): number | undefined {
  const reader = Reader.create(bytes);
  let seq: number | undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 3 && (tag & 7) === 0) seq = Number(reader.uint64().toString());
    else reader.skipType(tag & 7);
  }
  return seq;
}
