/**
 * What a binary payload may declare before a decoder library reads it. The structure scanners
 * (`cborStructure.ts`, `msgpackStructure.ts`, `protobufWire.ts`) walk the bytes without recursion
 * and stop a hostile payload (a header claiming 4 GB, nesting thousands deep) with an error that
 * says what and at which byte, before the library would allocate or recurse.
 */

/** Containers nested deeper than this are refused (the value tree shows 64 levels anyway). */
export const MAX_NESTING = 256;

/** The error every scanner throws: the format, what is wrong, and the byte offset. */
export function structureError(format: string, what: string, at: number): Error {
  return new Error(`${format}: ${what} at byte ${at}`);
}

/** A declared length that needs `needed` bytes where only `left` follow, up to `end`. */
export function lengthError(
  format: string,
  what: string,
  at: number,
  needed: number,
  left: number,
  end: number,
): Error {
  return new Error(
    `${format}: unexpected end of data at byte ${end} (the ${what} at byte ${at} needs ${needed} bytes, ${left} follow)`,
  );
}
