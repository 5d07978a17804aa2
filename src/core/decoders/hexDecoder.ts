import type { PayloadDecoder } from './decoder';
import { hexDumpText } from '../../shared/hex';

/** A hex dump shows the first MiB of a payload. */
const HEX_DUMP_MAX_BYTES = 1024 * 1024;

/** The hex dump of the first MiB, saying how much is left out. */
export function hexDump(bytes: Uint8Array): string {
  const dump = hexDumpText(bytes, HEX_DUMP_MAX_BYTES);
  const more = bytes.byteLength - HEX_DUMP_MAX_BYTES;
  return more > 0 ? `${dump}\n… ${more} more bytes` : dump;
}

/**
 * The payload as a hex dump (offset, hex, printable ASCII): what a rule asks for when the bytes
 * are to be read as they are. A payload no decoder reads falls back to hex without one.
 */
export const hexDecoder: PayloadDecoder = {
  id: 'hex',
  label: 'Hex',
  decode: (bytes) => ({ text: hexDump(bytes) }),
};
