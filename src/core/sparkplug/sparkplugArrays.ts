/**
 * Sparkplug B array metrics (DataType 22–34), which travel packed little-endian in `bytes_value`:
 * numbers at their width, Booleans as a 4-byte count then bits, strings each ended by a NUL,
 * DateTimes as int64 milliseconds.
 */
import type { DecodedNode } from '../../protocol/decoded';
import { bytesNode, MAX_NODES } from '../decoders/decodedTree';
import { decodeUtf8Lossy } from '../../shared/utf8';

// prettier-ignore
const WIDTH: Record<number, number> = {
  22: 1, 23: 2, 24: 4, 25: 8, 26: 1, 27: 2, 28: 4, 29: 8, 30: 4, 31: 8, 34: 8,
};

export function arrayNode(
  bytes: Uint8Array,
  datatype: number,
  budget: { left: number },
): DecodedNode {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const items: DecodedNode[] = [];
  const push = (node: DecodedNode): boolean => {
    if (budget.left-- <= 0) {
      items.push({ t: 'cut', why: `more than ${MAX_NODES} values` });
      return false;
    }
    items.push(node);
    return true;
  };
  if (datatype === 33) {
    const text = decodeUtf8Lossy(bytes);
    const parts = text.split('\0');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) if (!push({ t: 'str', v: part })) break;
    return { t: 'list', items };
  }
  if (datatype === 32) {
    if (bytes.byteLength < 4) return bytesNode(bytes);
    const count = Math.min(view.getUint32(0, true), (bytes.byteLength - 4) * 8);
    for (let i = 0; i < count; i++)
      if (!push({ t: 'bool', v: ((bytes[4 + (i >> 3)] >> (7 - (i & 7))) & 1) === 1 })) break;
    return { t: 'list', items };
  }
  const width = WIDTH[datatype];
  if (!width || bytes.byteLength % width !== 0) return bytesNode(bytes);
  for (let at = 0; at < bytes.byteLength; at += width)
    if (!push(element(view, at, datatype))) break;
  return { t: 'list', items };
}

function element(view: DataView, at: number, datatype: number): DecodedNode {
  switch (datatype) {
    case 22:
      return { t: 'num', v: view.getInt8(at) };
    case 23:
      return { t: 'num', v: view.getInt16(at, true) };
    case 24:
      return { t: 'num', v: view.getInt32(at, true) };
    case 26:
      return { t: 'num', v: view.getUint8(at) };
    case 27:
      return { t: 'num', v: view.getUint16(at, true) };
    case 28:
      return { t: 'num', v: view.getUint32(at, true) };
    case 30:
      return { t: 'num', v: view.getFloat32(at, true) };
    case 31:
      return { t: 'num', v: view.getFloat64(at, true) };
    default: {
      const big = datatype === 29 ? view.getBigUint64(at, true) : view.getBigInt64(at, true);
      return Number.isSafeInteger(Number(big))
        ? { t: 'num', v: Number(big) }
        : { t: 'int', v: big.toString() };
    }
  }
}
