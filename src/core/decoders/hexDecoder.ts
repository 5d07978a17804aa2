import type { PayloadDecoder } from './decoder';
import { hexDump } from '../hexDump';

/**
 * The payload as a hex dump (offset, hex, printable ASCII): what a rule asks for when the bytes
 * are to be read as they are. A payload no decoder reads falls back to hex without one.
 */
export const hexDecoder: PayloadDecoder = {
  id: 'hex',
  label: 'Hex',
  decode: (bytes) => ({ text: hexDump(bytes) }),
};
