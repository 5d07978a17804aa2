// cbor-x's decoder without `new Function` and without the optional native `cbor-extract`
// (dist/decode-no-eval.cjs); its types are declared as ES module only, its code is CommonJS.
// @ts-expect-error TS1479: the CommonJS build has no CommonJS type declarations.
import { Decoder } from 'cbor-x/decode-no-eval';
import type { PayloadDecoder } from './decoder';
import { decodedText, toDecodedNode } from './decodedTree';
import { checkCborStructure } from './cborStructure';

/** Maps as `Map` (keys of any type, `__proto__` harmless); 64-bit integers come as bigint. */
const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });

/**
 * CBOR (RFC 8949). Guessed from the bytes only when they start with the self-described CBOR tag
 * 55799 (d9 d9 f7), which no text or JSON starts with; otherwise by rule or content type: almost
 * any byte string is some valid CBOR, so a guess from the bytes alone would be wrong.
 */
export const cborDecoder: PayloadDecoder = {
  id: 'cbor',
  label: 'CBOR',
  contentTypes: ['application/cbor'],
  sniff: (bytes) =>
    bytes.byteLength > 3 && bytes[0] === 0xd9 && bytes[1] === 0xd9 && bytes[2] === 0xf7,
  decode(bytes) {
    checkCborStructure(bytes);
    let decoded: unknown;
    try {
      decoded = cbor.decode(bytes);
    } catch (error) {
      throw new Error(`CBOR: ${(error as Error).message}`);
    }
    const value = toDecodedNode(decoded);
    return { value, text: decodedText(value) };
  },
};
