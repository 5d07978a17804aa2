/**
 * The clients of one run: the environment's connection (asked for once, when a block first needs
 * it) and the named clients CONNECT blocks open. A client that failed to connect, or that was
 * closed, makes the blocks naming it fail with why; at the end every client is closed.
 */
import type { MqttBlock } from './mqttFileAst';
import type { ConnectRequest, RunClient, RunClients } from './runTypes';
import { RunError } from './runScope';

type Entry =
  | { kind: 'open'; client: RunClient }
  | { kind: 'failed'; reason: string }
  | { kind: 'closed'; how: 'DISCONNECT' | 'DROP' };

export class RunClientPool {
  private defaultEntry: Promise<Entry> | undefined;
  private readonly named = new Map<string, Entry>();

  constructor(private readonly clients: RunClients) {}

  /** The client a block names in `client:`, or the environment's connection. */
  async clientFor(block: MqttBlock): Promise<RunClient> {
    const entry =
      block.client === undefined ? await this.defaultClient() : this.named.get(block.client);
    const name = block.client ?? 'the default connection';
    if (!entry)
      throw new RunError(`No client "${name}": no CONNECT block before this one opened it.`);
    if (entry.kind === 'failed')
      throw new RunError(
        block.client === undefined
          ? `Cannot connect: ${entry.reason}`
          : `The client "${name}" failed to connect: ${entry.reason}`,
      );
    if (entry.kind === 'closed')
      throw new RunError(`The client "${name}" was closed by ${entry.how}.`);
    return entry.client;
  }

  private defaultClient(): Promise<Entry> {
    this.defaultEntry ??= this.clients.defaultClient().then(
      (client): Entry => ({ kind: 'open', client }),
      (error: unknown): Entry => ({ kind: 'failed', reason: messageOf(error) }),
    );
    return this.defaultEntry;
  }

  /** Opens a named client; a failure is remembered for the blocks naming it, then thrown. */
  async connect(request: ConnectRequest): Promise<void> {
    const before = this.named.get(request.name);
    if (before?.kind === 'open')
      throw new RunError(`The client "${request.name}" is already connected; DISCONNECT it first.`);
    try {
      this.named.set(request.name, { kind: 'open', client: await this.clients.connect(request) });
    } catch (error) {
      const reason = messageOf(error);
      this.named.set(request.name, { kind: 'failed', reason });
      throw new RunError(reason, { cause: error });
    }
  }

  /** DISCONNECT or DROP of a named client. */
  async close(name: string, how: 'DISCONNECT' | 'DROP'): Promise<void> {
    const entry = this.named.get(name);
    if (!entry)
      throw new RunError(`No client "${name}": no CONNECT block before this one opened it.`);
    if (entry.kind === 'failed')
      throw new RunError(`The client "${name}" failed to connect: ${entry.reason}`);
    if (entry.kind === 'closed')
      throw new RunError(`The client "${name}" was already closed by ${entry.how}.`);
    this.named.set(name, { kind: 'closed', how });
    if (how === 'DROP') entry.client.drop();
    else await entry.client.close();
  }

  /** Closes every client still open (the environment's connection is only let go of). */
  async closeAll(): Promise<void> {
    const open: RunClient[] = [];
    for (const [name, entry] of this.named) {
      if (entry.kind === 'open') open.push(entry.client);
      this.named.set(name, { kind: 'closed', how: 'DISCONNECT' });
    }
    const d = this.defaultEntry ? await this.defaultEntry : undefined;
    if (d?.kind === 'open') open.push(d.client);
    await Promise.all(open.map((c) => c.close().catch(() => undefined)));
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
