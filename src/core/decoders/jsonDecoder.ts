import type { PayloadDecoder } from './decoder';
import { decodedText, toDecodedNode } from './decodedTree';
import { decodeUtf8 } from '../../shared/utf8';

/** JSON text (RFC 8259), UTF-8. */
export const jsonDecoder: PayloadDecoder = {
  id: 'json',
  label: 'JSON',
  contentTypes: ['application/json', 'text/json'],
  sniff(bytes) {
    // The first byte that is not white space (or a byte-order mark) opens an object or an array.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    for (const b of bytes.subarray(bom)) {
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
      return b === 0x7b || b === 0x5b;
    }
    return false;
  },
  decode(bytes) {
    const text = decodeUtf8(bytes);
    if (text === undefined) throw new Error('JSON: the payload is not valid UTF-8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      throw new Error(`JSON: ${(error as Error).message}`);
    }
    const value = toDecodedNode(parsed);
    return { value, text: decodedText(value) };
  },
};
