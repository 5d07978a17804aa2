/**
 * A simulated Sparkplug B edge node for the demo: `spBv1.0/demo-plant/…/edge-1` with one device,
 * `pump-1`. It is born with an NBIRTH (bdSeq, metrics with aliases) and a DBIRTH, then sends NDATA
 * and DDATA by alias with a seq that wraps at 255; its will is the NDEATH with the same bdSeq, and
 * it answers a "Node Control/Rebirth" NCMD with a new NBIRTH and DBIRTH.
 */
import * as mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Logger, Scheduler } from '../ports';
import {
  DataType,
  decodeSparkplugPayload,
  encodeSparkplugPayload,
  type MetricInput,
} from '../sparkplug/sparkplugCodec';
import { REBIRTH_METRIC } from '../sparkplug/rebirth';
import { sparkplugTopic, type SparkplugMessageType } from '../sparkplug/sparkplugTopic';

export const DEMO_SPARKPLUG = { group: 'demo-plant', node: 'edge-1', device: 'pump-1' } as const;

const Alias = { uptime: 1, temperature: 2, pressure: 10, speed: 11, running: 12 } as const;

export interface EdgeNodeOptions {
  url: string;
  credentials?: { username: string; password: string };
  scheduler: Scheduler;
  logger: Logger;
}

export class DemoEdgeNode {
  private client: MqttClient | undefined;
  private seq = 0;
  private readonly startedAt: number;
  private tick = 0;

  /**
   * `bdSeq`: this session's birth/death sequence number, its NBIRTH's and NDEATH's (Sparkplug B
   * wants it to grow with every MQTT session: the caller counts, one edge node per session).
   */
  constructor(
    private readonly options: EdgeNodeOptions,
    private readonly bdSeq = 0,
  ) {
    this.startedAt = options.scheduler.now();
  }

  async start(): Promise<void> {
    const bdSeq = this.bdSeq;
    const client = await mqtt.connectAsync(this.options.url, {
      clientId: `demo-sparkplug-${DEMO_SPARKPLUG.node}`,
      protocolVersion: 5,
      // Sparkplug B: a clean session, and no reconnect that would skip the births.
      clean: true,
      reconnectPeriod: 0,
      ...this.options.credentials,
      will: { topic: this.topic('NDEATH'), payload: this.death(bdSeq), qos: 1, retain: false },
    });
    client.on('error', (error) => this.options.logger.debug(`[demo edge] ${error.message}`));
    this.client = client;
    client.on('message', (topic, payload) => this.command(topic, payload));
    await client.subscribeAsync(this.topic('NCMD'), { qos: 1 });
    this.birth(bdSeq);
  }

  /** One round of data: the node's uptime and temperature, the pump's pressure and speed. */
  publishData(): void {
    if (!this.client?.connected) return;
    this.tick++;
    const now = this.options.scheduler.now();
    this.publish('NDATA', [
      {
        alias: Alias.uptime,
        datatype: DataType.Int64,
        value: Math.round((now - this.startedAt) / 1000),
      },
      { alias: Alias.temperature, datatype: DataType.Float, value: 41 + Math.sin(this.tick / 5) },
    ]);
    this.publish(
      'DDATA',
      [
        {
          alias: Alias.pressure,
          datatype: DataType.Double,
          value: 2.5 + 0.3 * Math.sin(this.tick / 3),
        },
        { alias: Alias.speed, datatype: DataType.Int32, value: 1450 + ((this.tick * 7) % 100) },
      ],
      DEMO_SPARKPLUG.device,
    );
  }

  /** Says goodbye as Sparkplug asks: an NDEATH, then a clean DISCONNECT (no will). */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected)
      client.publish(this.topic('NDEATH'), this.death(this.bdSeq) as Buffer, { qos: 0 });
    await client.endAsync().catch(() => undefined);
  }

  private birth(bdSeq: number): void {
    this.seq = 0;
    this.publish('NBIRTH', [
      { name: 'bdSeq', datatype: DataType.Int64, value: bdSeq },
      { name: REBIRTH_METRIC, datatype: DataType.Boolean, value: false },
      { name: 'Properties/Hardware', datatype: DataType.String, value: 'MQTT Scope demo gateway' },
      { name: 'Uptime', alias: Alias.uptime, datatype: DataType.Int64, value: 0 },
      { name: 'Temperature', alias: Alias.temperature, datatype: DataType.Float, value: 41 },
    ]);
    this.publish(
      'DBIRTH',
      [
        { name: 'Pressure', alias: Alias.pressure, datatype: DataType.Double, value: 2.5 },
        { name: 'Speed', alias: Alias.speed, datatype: DataType.Int32, value: 1450 },
        { name: 'Running', alias: Alias.running, datatype: DataType.Boolean, value: true },
      ],
      DEMO_SPARKPLUG.device,
    );
  }

  private command(topic: string, payload: Buffer): void {
    if (topic !== this.topic('NCMD')) return;
    try {
      const metrics = decodeSparkplugPayload(payload).metrics ?? [];
      if (metrics.some((m) => m.name === REBIRTH_METRIC && m.booleanValue === true))
        this.birth(this.bdSeq);
    } catch (error) {
      this.options.logger.debug(`[demo edge] NCMD ignored: ${(error as Error).message}`);
    }
  }

  private publish(type: SparkplugMessageType, metrics: MetricInput[], device?: string): void {
    const seq = this.seq;
    this.seq = (this.seq + 1) % 256;
    const payload = encodeSparkplugPayload({
      timestamp: this.options.scheduler.now(),
      seq,
      metrics,
    });
    this.client?.publish(this.topic(type, device), Buffer.from(payload), { qos: 0 });
  }

  private death(bdSeq: number): Buffer {
    return Buffer.from(
      encodeSparkplugPayload({
        timestamp: this.options.scheduler.now(),
        metrics: [{ name: 'bdSeq', datatype: DataType.Int64, value: bdSeq }],
      }),
    );
  }

  private topic(type: SparkplugMessageType, device?: string): string {
    const { group, node } = DEMO_SPARKPLUG;
    return sparkplugTopic(
      device === undefined ? { group, type, node } : { group, type, node, device },
    );
  }
}
