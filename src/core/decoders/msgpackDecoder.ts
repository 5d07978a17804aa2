import { Decoder } from '@msgpack/msgpack';
import type { PayloadDecoder } from './decoder';
import { decodedText, toDecodedNode } from './decodedTree';
import { checkMsgpackStructure } from './msgpackStructure';

/** 64-bit integers as bigint; a non-text map key as its text. */
const msgpack = new Decoder({ useBigInt64: true, mapKeyConverter: (key) => keyText(key) });

/**
 * MessagePack. Never guessed from the bytes (every byte starts some valid MessagePack object):
 * chosen by rule or content type.
 */
export const msgpackDecoder: PayloadDecoder = {
  id: 'msgpack',
  label: 'MessagePack',
  contentTypes: ['application/msgpack', 'application/x-msgpack', 'application/vnd.msgpack'],
  decode(bytes) {
    checkMsgpackStructure(bytes);
    let decoded: unknown;
    try {
      decoded = msgpack.decode(bytes);
    } catch (error) {
      throw new Error(`MessagePack: ${(error as Error).message}`);
    }
    const value = toDecodedNode(decoded);
    return { value, text: decodedText(value) };
  },
};

function keyText(key: unknown): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  if (typeof key === 'bigint') return key.toString();
  return (
    JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ??
    String(key)
  );
}
