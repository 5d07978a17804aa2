/**
 * Payload bytes of the message store, copied into large slabs instead of kept as the Buffers
 * MQTT.js hands out. Those Buffers are views into socket chunks (keeping one keeps its chunk),
 * and a million small views are a million heap objects every major GC has to walk; a copy into
 * a slab is one memcpy and no object. Slabs fill in append order and are released in eviction
 * order. They are never reused, so a view handed out never changes under its holder.
 */
export class PayloadArena {
  /** slabs[i] has number base + i; the last one is being filled. */
  private slabs: Uint8Array[] = [];
  /** Live payloads per slab. */
  private refs: number[] = [];
  private base = 0;
  private used = 0;
  /** Offset of the last write; a field rather than a returned pair to keep writes allocation-free. */
  lastOffset = 0;

  constructor(readonly slabSize: number) {}

  /** Number of slabs currently held, for stats and tests. */
  get slabCount(): number {
    return this.slabs.length;
  }

  /** Copies the bytes in and returns their slab number; the offset is in `lastOffset`. */
  write(bytes: Uint8Array): number {
    const n = bytes.byteLength;
    let last = this.slabs.length - 1;
    if (last < 0 || this.used + n > this.slabSize) {
      this.slabs.push(new Uint8Array(this.slabSize));
      this.refs.push(0);
      this.used = 0;
      last++;
    }
    const slab = this.slabs[last];
    // set() has a fixed cost that dominates for the small payloads of a flood.
    if (n <= 128) for (let i = 0, o = this.used; i < n; i++) slab[o + i] = bytes[i];
    else slab.set(bytes, this.used);
    this.lastOffset = this.used;
    this.used += n;
    this.refs[last]++;
    return this.base + last;
  }

  view(slabNo: number, offset: number, length: number): Uint8Array {
    return this.slabs[slabNo - this.base].subarray(offset, offset + length);
  }

  /** The slab itself, for scans that read bytes in place without making a view. */
  slab(slabNo: number): Uint8Array {
    return this.slabs[slabNo - this.base];
  }

  release(slabNo: number): void {
    const i = slabNo - this.base;
    if (--this.refs[i] !== 0 || i !== 0) return;
    // Eviction is oldest-first, so empty slabs are always at the front. The slab being filled
    // stays: dropping it would only make the next write allocate a new one.
    while (this.slabs.length > 1 && this.refs[0] === 0) {
      this.slabs.shift();
      this.refs.shift();
      this.base++;
    }
  }

  clear(): void {
    this.base += this.slabs.length;
    this.slabs = [];
    this.refs = [];
    this.used = 0;
  }
}
