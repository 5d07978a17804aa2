/**
 * An event whose listeners get traffic and its source. Packet events are built only while a
 * listener asked for them (`wantsPackets`), so the incoming path allocates nothing for them.
 */
import type { Disposable } from '../event';
import type { TrafficEvent, TrafficOptions } from './trafficTypes';

export type TrafficListener<S> = (event: TrafficEvent, source: S) => void;

export type TrafficSubscribe<S> = (
  listener: TrafficListener<S>,
  options?: TrafficOptions,
) => Disposable;

interface Entry<S> {
  listener: TrafficListener<S>;
  packets: () => boolean;
}

const NEVER = () => false;
const ALWAYS = () => true;

export class TrafficEmitter<S> implements Disposable {
  private entries: Entry<S>[] = [];

  readonly event: TrafficSubscribe<S> = (listener, options) => {
    const p = options?.packets;
    const entry: Entry<S> = { listener, packets: typeof p === 'function' ? p : p ? ALWAYS : NEVER };
    this.entries = [...this.entries, entry];
    return { dispose: () => (this.entries = this.entries.filter((e) => e !== entry)) };
  };

  /** Whether anyone listens for packet events now. */
  get wantsPackets(): boolean {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i].packets()) return true;
    return false;
  }

  /** Delivers an event; packet events only to listeners that asked for them. */
  fire(event: TrafficEvent, source: S): void {
    // The array is replaced, never changed, so a listener may (un)subscribe while it runs.
    const entries = this.entries;
    const packet = event.kind === 'packet';
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (!packet || e.packets()) e.listener(event, source);
    }
  }

  dispose(): void {
    this.entries = [];
  }
}
