import type { PayloadDecoder } from './decoder';
import { decodeUtf8 } from '../../shared/utf8';

/** UTF-8 text, shown as sent. */
export const textDecoder: PayloadDecoder = {
  id: 'text',
  label: 'Text',
  contentTypes: ['text/plain'],
  sniff: (bytes) => decodeUtf8(bytes) !== undefined,
  decode(bytes) {
    const text = decodeUtf8(bytes);
    if (text === undefined) throw new Error('Text: the payload is not valid UTF-8');
    return { text };
  },
};
