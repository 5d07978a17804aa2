/**
 * A real Mosquitto for one test file: its own config, password file, ACL, certificates and log
 * in a temp dir, listening on 127.0.0.1 only. Only node builtins, no top-level await and no
 * import.meta: this file is also bundled by esbuild into suites that run in a VS Code
 * extension host.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateCerts, type TestCerts } from './certs';
import { freePort, waitForPort } from './ports';

export type { TestCerts };

export interface MosquittoOptions {
  /** Contents of the ACL file (mosquitto.conf(5) `acl_file` syntax). */
  acl?: string;
  /** User name → password; written with mosquitto_passwd. */
  passwords?: Record<string, string>;
  /** Adds a TLS listener with a throwaway CA; `requireCertificate` demands a client cert. */
  tls?: { requireCertificate?: boolean };
  /** Adds a websockets listener. */
  websockets?: boolean;
  /** Default true. */
  allowAnonymous?: boolean;
  /** A fixed port for the plain listener; otherwise a free one. */
  port?: number;
  /** Keep sessions and messages on disk, saved every `autosaveSeconds` (and on a clean stop). */
  persistence?: { autosaveSeconds: number };
  /** More global settings, one per line, e.g. `retain_available false` (mosquitto.conf(5)). */
  settings?: string[];
  /**
   * Settings of the plain listener, e.g. `max_qos 1`. A listener setting among the global ones
   * would open a default listener on port 1883 for it instead.
   */
  listenerSettings?: string[];
}

export interface MosquittoBroker {
  port: number;
  wsPort?: number;
  tlsPort?: number;
  certs?: TestCerts;
  dir: string;
  /** The broker's log so far. */
  log(): string;
  /** Kills the process but keeps its files and ports, so start() brings it back the same. */
  kill(): Promise<void>;
  /** SIGKILL: no goodbye, no final save; start() brings it back from its last autosave. */
  crash(): Promise<void>;
  start(): Promise<void>;
  /**
   * Saves the persistence database now (SIGUSR1) and resolves once the file on disk holds it:
   * sessions made since the last autosave survive a crash() from then on.
   */
  save(): Promise<void>;
  /** When the persistence database was last written (ms since the epoch), if it exists. */
  savedAt(): number | undefined;
  /** Kills the process and deletes its files. */
  stop(): Promise<void>;
}

const MOSQUITTO = fs.existsSync('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto';
const START_TIMEOUT_MS = 5_000;
/** Mosquitto pids still running, killed when this process exits normally. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killQuietly(pid, 'SIGKILL');
});

/**
 * A test process killed by a signal runs no 'exit' hook and would leave Mosquitto holding its
 * ports. This wrapper ties the broker to a pipe instead: when our end of its stdin closes, for
 * whatever reason, it terminates Mosquitto. It prints Mosquitto's pid and exits with it.
 */
const WRAPPER = [
  'exec 3<&0 0</dev/null',
  '"$0" -c "$1" & m=$!',
  'echo "pid $m"',
  '(cat <&3 >/dev/null 2>&1; kill $m 2>/dev/null) >/dev/null 2>&1 &',
  'exec 3<&-',
  'wait $m',
].join('\n');

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 10_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve();
    });
  });
}

/** Mosquitto started as root drops to user `mosquitto` before reading its files. */
function mosquittoIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('mosquitto:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(dir: string): void {
  const ids = mosquittoIds();
  if (!ids) return;
  fs.chownSync(dir, ids.uid, ids.gid);
  for (const name of fs.readdirSync(dir)) fs.chownSync(path.join(dir, name), ids.uid, ids.gid);
}

async function writePasswords(file: string, passwords: Record<string, string>): Promise<void> {
  let first = true;
  for (const [user, password] of Object.entries(passwords)) {
    await run(
      'mosquitto_passwd',
      first ? ['-c', '-b', file, user, password] : ['-b', file, user, password],
    );
    first = false;
  }
}

interface Ports {
  port: number;
  wsPort?: number;
  tlsPort?: number;
}

function config(dir: string, options: MosquittoOptions, ports: Ports, certs?: TestCerts): string {
  const lines = [
    'per_listener_settings false',
    `allow_anonymous ${options.allowAnonymous ?? true}`,
    ...(options.persistence
      ? [
          'persistence true',
          `persistence_location ${dir}/`,
          `autosave_interval ${options.persistence.autosaveSeconds}`,
        ]
      : ['persistence false']),
    // Counting tests need every message: the default queue limit of 1000 drops QoS 1 too.
    // Not 0 ("no limit"): Mosquitto 2.0.11 then drops any client whose PUBLISH the ACL denies.
    'max_queued_messages 1000000',
    'max_inflight_messages 0',
    // No Nagle delay on the last acknowledgement of a burst.
    'set_tcp_nodelay true',
    `log_dest file ${path.join(dir, 'mosquitto.log')}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    ...(options.settings ?? []),
  ];
  if (options.passwords) lines.push(`password_file ${path.join(dir, 'passwd')}`);
  if (options.acl !== undefined) lines.push(`acl_file ${path.join(dir, 'acl')}`);
  lines.push(`listener ${ports.port} 127.0.0.1`, ...(options.listenerSettings ?? []));
  if (ports.tlsPort && certs) {
    lines.push(
      `listener ${ports.tlsPort} 127.0.0.1`,
      `cafile ${certs.ca}`,
      `certfile ${certs.serverCert}`,
      `keyfile ${certs.serverKey}`,
      `require_certificate ${options.tls?.requireCertificate ?? false}`,
    );
  }
  if (ports.wsPort) {
    // A websockets listener takes its address as an interface name; socket_domain keeps it IPv4.
    lines.push(`listener ${ports.wsPort} 127.0.0.1`, 'socket_domain ipv4', 'protocol websockets');
  }
  return lines.join('\n') + '\n';
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  // Under /tmp, not os.tmpdir(): running as root, Mosquitto drops to user "mosquitto", who
  // must be able to reach its files, and TMPDIR may point into a folder only root can enter
  // (a checkout under `mktemp -d`, the VS Code host's own temp folder).
  const base = fs.existsSync('/tmp') ? '/tmp' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'mqtt-scope-mosquitto-'));
  try {
    if (options.acl !== undefined) fs.writeFileSync(path.join(dir, 'acl'), options.acl);
    if (options.passwords) await writePasswords(path.join(dir, 'passwd'), options.passwords);
    const certs = options.tls ? await generateCerts(dir) : undefined;
    // A port found free can be taken before Mosquitto binds it: retry with fresh ones.
    for (let attempt = 1; ; attempt++) {
      const ports: Ports = { port: options.port ?? (await freePort()) };
      if (options.tls) ports.tlsPort = await freePort();
      if (options.websockets) ports.wsPort = await freePort();
      fs.writeFileSync(path.join(dir, 'mosquitto.conf'), config(dir, options, ports, certs));
      fs.writeFileSync(path.join(dir, 'mosquitto.log'), '');
      chownTree(dir);
      const broker = new Broker(dir, ports, certs);
      try {
        await broker.start();
        return broker;
      } catch (error) {
        const inUse = /Address already in use/.test(String(error));
        if (!inUse || options.port !== undefined || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

class Broker implements MosquittoBroker {
  readonly port: number;
  readonly wsPort?: number;
  readonly tlsPort?: number;
  private child: ChildProcess | undefined;
  private pid: number | undefined;
  private output = '';

  constructor(
    readonly dir: string,
    ports: Ports,
    readonly certs: TestCerts | undefined,
  ) {
    this.port = ports.port;
    this.wsPort = ports.wsPort;
    this.tlsPort = ports.tlsPort;
  }

  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'mosquitto.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async start(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      '/bin/sh',
      ['-c', WRAPPER, MOSQUITTO, path.join(this.dir, 'mosquitto.conf')],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.output = '';
    let pid: number | undefined;
    // Config errors are printed before the log file is opened.
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
      const match = pid === undefined ? /^pid (\d+)$/m.exec(this.output) : null;
      if (match) live.add((this.pid = pid = Number(match[1])));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let exited = false;
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      exited = true;
      child.stdin?.destroy(); // lets the watcher in the wrapper finish
      if (pid !== undefined) live.delete(pid);
      if (this.child === child) this.child = undefined;
    });
    child.once('error', (error) => (this.output += `\nspawn: ${error.message}`));
    // A port that accepts proves nothing when another process holds it: wait for Mosquitto to
    // log that it is running (after opening every listener), then for the ports.
    const deadline = Date.now() + START_TIMEOUT_MS;
    let problem: string | undefined;
    while (!/ running$/m.test(this.log())) {
      if (exited) problem = 'it exited';
      else if (Date.now() > deadline) problem = `not running after ${START_TIMEOUT_MS} ms`;
      if (problem) break;
      await Promise.race([exit, new Promise((r) => setTimeout(r, 20))]);
    }
    for (const port of [this.port, this.tlsPort, this.wsPort]) {
      if (problem || !port) continue;
      if (!(await waitForPort(port, Math.max(0, deadline - Date.now()))))
        problem = `port ${port} is closed`;
    }
    if (problem) {
      await this.kill();
      throw new Error(
        `Mosquitto did not start: ${problem}.\noutput: ${this.output}\nlog:\n${this.log()}`,
      );
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Closing the pipe makes the wrapper send SIGTERM; SIGKILL if that is not enough.
    child.stdin?.end();
    const pid = this.pid;
    const timer = setTimeout(() => {
      if (pid !== undefined) killQuietly(pid, 'SIGKILL');
      child.kill('SIGKILL');
    }, 2_000);
    await exited;
    clearTimeout(timer);
  }

  savedAt(): number | undefined {
    try {
      return fs.statSync(path.join(this.dir, 'mosquitto.db')).mtimeMs;
    } catch {
      return undefined;
    }
  }

  async save(): Promise<void> {
    if (this.pid === undefined) throw new Error('Mosquitto is not running');
    const before = this.savedAt();
    // Mosquitto writes mosquitto.db.new and renames it: a new mtime means a complete file.
    const deadline = Date.now() + START_TIMEOUT_MS;
    killQuietly(this.pid, 'SIGUSR1');
    while (this.savedAt() === before) {
      if (Date.now() > deadline)
        throw new Error(`Mosquitto did not save within ${START_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async crash(): Promise<void> {
    const child = this.child;
    if (!child || this.pid === undefined) return this.kill();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killQuietly(this.pid, 'SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
