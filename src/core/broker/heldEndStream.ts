import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** Longest a client's end of input waits for aedes to accept its CONNECT. */
const HOLD_END_MS = 5_000;

/**
 * A TCP connection as aedes sees it, except that the client's end of input is held back until
 * aedes has accepted the CONNECT. aedes closes a client on 'end' and drops the packets it
 * queued while the CONNECT was being processed, so a script that connects, publishes and
 * disconnects at once (the classic Paho example) lost its message about half the time.
 */
export class HeldEndStream extends Duplex {
  private ended = false;
  private ready = false;
  private sawData = false;
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(private readonly socket: Socket) {
    super({ allowHalfOpen: true });
    socket.on('data', (chunk: Buffer) => {
      this.sawData = true;
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => {
      this.ended = true;
      if (this.ready || !this.sawData) this.push(null);
      // Bounded: a CONNECT stuck in a hook must not keep the connection forever.
      else this.holdTimer = setTimeout(() => this.push(null), HOLD_END_MS);
    });
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  /** aedes accepted the CONNECT and handled what came with it: the end may follow. */
  release(): void {
    this.ready = true;
    if (!this.ended || this.holdTimer === undefined) return;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    setImmediate(() => this.push(null));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: () => void): void {
    if (this.socket.write(chunk, encoding)) callback();
    else this.socket.once('drain', callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: () => void): void {
    this.socket.cork();
    let ok = true;
    for (const { chunk } of chunks) ok = this.socket.write(chunk);
    this.socket.uncork();
    if (ok) callback();
    else this.socket.once('drain', callback);
  }

  override _final(callback: () => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    clearTimeout(this.holdTimer);
    this.socket.destroy();
    callback(error);
  }
}
