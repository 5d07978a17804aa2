/**
 * Simulated devices that publish realistic traffic to a broker, so a newcomer sees the topic
 * explorer come alive: JSON sensors, a retained status per device, a door controller that drops
 * off now and then so its Last Will fires, a camera with binary payloads, a plain-number power
 * meter, a thermostat that answers requests (`demoThermostat.ts`), a Sparkplug B edge node
 * (`demoEdgeNode.ts`), and a burst mode for trying the tools under
 * load. Each device is its own MQTT client, because a will belongs to a connection.
 */
import * as mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { Emitter } from '../event';
import type { Disposable } from '../event';
import type { Logger, Scheduler } from '../ports';
import { DemoEdgeNode } from './demoEdgeNode';
import { DemoThermostat, THERMOSTAT_ID } from './demoThermostat';

export const DEMO_ROOT = 'demo';
/** Longest stop() waits for a device's broker to acknowledge what it still has in flight. */
const END_TIMEOUT_MS = 2_000;

export interface DemoOptions {
  url: string;
  /** The local broker's per-session user and password. */
  credentials?: { username: string; password: string };
  scheduler: Scheduler;
  logger: Logger;
  /** Milliseconds between sensor readings. */
  intervalMs?: number;
  /** How long the door controller stays online before it drops off. */
  doorOnlineMs?: number;
}

interface Device {
  id: string;
  client: MqttClient;
}

export class DemoDevices {
  private devices: Device[] = [];
  private timers: Disposable[] = [];
  private burstTimer: Disposable | undefined;
  /** The Sparkplug B edge node (spBv1.0/demo-plant/…/edge-1). */
  private edgeNode: DemoEdgeNode | undefined;
  /** The edge node's bdSeq: one more for each start (each MQTT session), 0–255. */
  private bdSeq = 0;
  private running = false;
  /** Incremented by start() and stop(), so a start() that stop() overtook can tell. */
  private generation = 0;
  private tick = 0;
  private readonly emitter = new Emitter<boolean>();
  /** Fires true when the devices start and false when they stop. */
  readonly onDidChangeRunning = this.emitter.event;

  constructor(private readonly options: DemoOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const generation = ++this.generation;
    this.emitter.fire(true);
    let sensors: Device[];
    let meter: Device;
    let camera: Device;
    let thermostat: DemoThermostat;
    try {
      sensors = await Promise.all(
        ['greenhouse/sensor-1', 'greenhouse/sensor-2', 'cellar/sensor-3'].map((id) =>
          this.connect(id, generation),
        ),
      );
      meter = await this.connect('power/meter-1', generation);
      camera = await this.connect('yard/camera-1', generation);
      const { client } = await this.connect(THERMOSTAT_ID, generation);
      thermostat = new DemoThermostat(
        client,
        DEMO_ROOT,
        this.options.scheduler,
        this.options.logger,
      );
      await thermostat.start();
      const edgeNode = (this.edgeNode = new DemoEdgeNode(this.options, this.bdSeq));
      this.bdSeq = (this.bdSeq + 1) % 256;
      await edgeNode.start();
      if (generation !== this.generation) await edgeNode.stop();
    } catch (error) {
      // Stopped while connecting: stop() has already cleaned up, and that is not a failure.
      if (generation !== this.generation) return;
      // A device that could not connect must not leave the others running, or the demo
      // marked as running so that a later start() does nothing.
      await this.stop();
      throw error;
    }
    if (generation !== this.generation) return;
    this.every(this.options.intervalMs ?? 1000, () => {
      this.tick++;
      sensors.forEach((d, i) => this.publishReading(d, i));
      this.edgeNode?.publishData();
      thermostat.publishReading();
      meter.client.publish(
        `${DEMO_ROOT}/${meter.id}/watts`,
        (1800 + 400 * Math.sin(this.tick / 7) + 30 * Math.random()).toFixed(1),
        { qos: 0 },
      );
      if (this.tick % 5 === 0)
        camera.client.publish(`${DEMO_ROOT}/${camera.id}/thumbnail`, fakeJpeg(this.tick), {
          qos: 0,
          properties: { contentType: 'image/jpeg' },
        });
    });
    this.startDoor();
    this.options.logger.info(`Demo devices publishing under ${DEMO_ROOT}/ to ${this.options.url}`);
  }

  /**
   * Publishes `rate` messages per second on 1,000 topics for `seconds`, unevenly as a real flood
   * is (`burstTopic`): half on one topic, a quarter on a second, the rest spread over the others.
   */
  burst(rate: number, seconds: number): void {
    this.burstTimer?.dispose();
    const device = this.devices[0];
    if (!device) return;
    const perSlice = Math.max(1, Math.round(rate / 20));
    const end = this.options.scheduler.now() + seconds * 1000;
    let n = 0;
    const slice = () => {
      for (let i = 0; i < perSlice; i++, n++) {
        device.client.publish(
          burstTopic(n),
          `{"n":${n},"value":${(Math.random() * 100).toFixed(3)}}`,
          { qos: 0 },
        );
      }
      this.burstTimer =
        this.options.scheduler.now() < end
          ? this.options.scheduler.setTimeout(slice, 50)
          : undefined;
    };
    slice();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    for (const t of this.timers.splice(0)) t.dispose();
    this.burstTimer?.dispose();
    // A clean DISCONNECT: stopping the demo must not fire the wills.
    await Promise.all(this.devices.splice(0).map((d) => this.closeClient(d.client)));
    await this.edgeNode?.stop();
    this.edgeNode = undefined;
    this.emitter.fire(false);
  }

  dispose(): void {
    void this.stop();
    this.emitter.dispose();
  }

  /**
   * Ends a device's connection with a DISCONNECT when it is up. A graceful end() waits for every
   * unacknowledged QoS 1 publish, which never comes once the broker is gone: then, and after
   * END_TIMEOUT_MS in any case, the connection is closed without waiting.
   */
  private async closeClient(client: MqttClient): Promise<void> {
    if (!client.connected) {
      await client.endAsync(true).catch(() => undefined);
      return;
    }
    let timer: Disposable | undefined;
    const late = new Promise<boolean>(
      (resolve) => (timer = this.options.scheduler.setTimeout(() => resolve(true), END_TIMEOUT_MS)),
    );
    const ended = client.endAsync().then(
      () => false,
      () => false,
    );
    const timedOut = await Promise.race([ended, late]);
    timer?.dispose();
    // A second end() is a no-op while the first is pending: cut the connection itself.
    if (timedOut) client.stream?.destroy();
  }

  private publishReading(device: Device, index: number): void {
    const t = this.tick / 10 + index;
    const reading = {
      temperature: Number((19 + index * 2 + 1.5 * Math.sin(t) + Math.random() * 0.2).toFixed(2)),
      humidity: Number((45 + 10 * Math.cos(t / 2) + Math.random()).toFixed(1)),
      battery: Math.max(5, 100 - ((this.tick / 30 + index * 17) % 95)) | 0,
      unit: 'C',
      ts: new Date(this.options.scheduler.now()).toISOString(),
    };
    device.client.publish(`${DEMO_ROOT}/${device.id}/telemetry`, JSON.stringify(reading), {
      qos: index === 0 ? 1 : 0,
      properties: { contentType: 'application/json', userProperties: { firmware: '1.4.2' } },
    });
  }

  /** The door controller comes online, stays a while, then loses its link without DISCONNECT. */
  private startDoor(): void {
    const cycle = async () => {
      if (!this.running) return;
      const door = await this.connect('garage/door-1', this.generation).catch(() => undefined);
      if (!door) return;
      door.client.publish(
        `${DEMO_ROOT}/${door.id}/state`,
        JSON.stringify({ open: this.tick % 2 === 0 }),
        { qos: 1, retain: true },
      );
      this.after(this.options.doorOnlineMs ?? 20_000, () => {
        // Destroying the socket is what a power cut looks like to the broker: it publishes the will.
        door.client.stream?.destroy();
        door.client.end(true);
        this.devices = this.devices.filter((d) => d !== door);
        this.after(8_000, () => void cycle());
      });
    };
    void cycle();
  }

  /** Connects one device; if the demo stopped (or restarted) meanwhile, ends it and throws. */
  private async connect(id: string, generation: number): Promise<Device> {
    const status = `${DEMO_ROOT}/${id}/status`;
    const client = await mqtt.connectAsync(this.options.url, {
      clientId: `demo-${id.replace(/\W/g, '-')}`,
      protocolVersion: 5,
      reconnectPeriod: 2000,
      ...this.options.credentials,
      will: { topic: status, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    client.on('error', (error) => this.options.logger.debug(`[demo ${id}] ${error.message}`));
    if (generation !== this.generation) {
      await client.endAsync().catch(() => undefined);
      throw new Error(`the demo stopped while ${id} was connecting`);
    }
    client.publish(status, 'online', { qos: 1, retain: true });
    const device = { id, client };
    this.devices.push(device);
    return device;
  }

  private every(ms: number, fn: () => void): void {
    const run = () => {
      if (!this.running) return;
      fn();
      this.after(ms, run);
    };
    this.after(ms, run);
  }

  private after(ms: number, fn: () => void): void {
    const timer = this.options.scheduler.setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      fn();
    }, ms);
    this.timers.push(timer);
  }
}

/** A small binary payload that starts like a JPEG file, so it is recognisably not text. */
function fakeJpeg(seed: number): Buffer {
  const body = Buffer.alloc(96);
  for (let i = 0; i < body.length; i++) body[i] = (seed * 31 + i * 17) & 0xff;
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
    body,
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** The topic of the burst's message `n`: `demo/burst/0` for every other one, `…/1` for every fourth, the rest over `…/2` to `…/999`. */
export function burstTopic(n: number): string {
  const index = n % 2 === 0 ? 0 : n % 4 === 1 ? 1 : 2 + ((n >> 2) % 998);
  return `${DEMO_ROOT}/burst/${index}`;
}
