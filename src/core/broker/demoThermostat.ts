/**
 * The demo's thermostat: a device that answers, so a `.mqtt` file has something to ask. It
 * keeps a retained setpoint (`…/setpoint`), answers MQTT 5 requests on `…/get` with it, and
 * takes a new one on `…/set` (answering too when the command carries a response topic).
 * Bounded like any device facing the network: payloads over 1 KiB, correlation data over
 * 128 bytes and response topics that are invalid or its own are ignored, and it answers at
 * most MAX_REPLIES_PER_SECOND requests a second.
 */
import type { IClientPublishOptions, MqttClient } from 'mqtt';
import type { Logger, Scheduler } from '../ports';

export const THERMOSTAT_ID = 'home/thermostat-1';
export const SETPOINT_MIN = 5;
export const SETPOINT_MAX = 30;
export const INITIAL_SETPOINT = 21.5;
const MAX_PAYLOAD_BYTES = 1024;
const MAX_CORRELATION_BYTES = 128;
const MAX_TOPIC_LENGTH = 256;
export const MAX_REPLIES_PER_SECOND = 20;

export interface ThermostatTopics {
  /** Retained `{"setpoint":21.5,"unit":"C"}`, published at start and on each change. */
  setpoint: string;
  /** A request (response topic + correlation data): answered with the setpoint. */
  get: string;
  /** `{"setpoint": n}`, SETPOINT_MIN ≤ n ≤ SETPOINT_MAX: changes it. */
  set: string;
  /** Room temperature readings, drifting toward the setpoint. */
  reading: string;
}

export function thermostatTopics(root: string): ThermostatTopics {
  const base = `${root}/${THERMOSTAT_ID}`;
  return {
    setpoint: `${base}/setpoint`,
    get: `${base}/get`,
    set: `${base}/set`,
    reading: `${base}/reading`,
  };
}

interface Incoming {
  topic: string;
  payload: Buffer;
  properties?: { responseTopic?: string; correlationData?: Buffer };
}

export class DemoThermostat {
  private setpoint = INITIAL_SETPOINT;
  private temperature = INITIAL_SETPOINT - 2;
  private windowStart = 0;
  private repliesInWindow = 0;
  readonly topics: ThermostatTopics;

  constructor(
    private readonly client: MqttClient,
    root: string,
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
  ) {
    this.topics = thermostatTopics(root);
  }

  /** Subscribes to its command topics and publishes its retained setpoint. */
  async start(): Promise<void> {
    this.client.on('message', (topic, payload, packet) =>
      this.onMessage({ topic, payload, properties: packet.properties }),
    );
    await this.client.subscribeAsync([this.topics.get, this.topics.set], { qos: 1 });
    this.publishSetpoint();
  }

  /** One room reading: the temperature moves a tenth of the way to the setpoint. */
  publishReading(): void {
    this.temperature += (this.setpoint - this.temperature) / 10;
    const reading = {
      temperature: Number(this.temperature.toFixed(2)),
      setpoint: this.setpoint,
      heating: this.temperature < this.setpoint - 0.2,
    };
    this.client.publish(this.topics.reading, JSON.stringify(reading), {
      qos: 0,
      properties: { contentType: 'application/json' },
    });
  }

  private state(): { setpoint: number; unit: string } {
    return { setpoint: this.setpoint, unit: 'C' };
  }

  private publishSetpoint(): void {
    this.client.publish(this.topics.setpoint, JSON.stringify(this.state()), {
      qos: 1,
      retain: true,
      properties: { contentType: 'application/json' },
    });
  }

  private onMessage(message: Incoming): void {
    if (message.topic !== this.topics.get && message.topic !== this.topics.set) return;
    if (message.payload.byteLength > MAX_PAYLOAD_BYTES) {
      this.logger.debug(`[demo thermostat] ignored a ${message.payload.byteLength}-byte payload`);
      return;
    }
    if (message.topic === this.topics.get) return this.reply(message, this.state());
    const outcome = this.applySet(message.payload.toString('utf8'));
    if (outcome.ok) this.publishSetpoint();
    this.reply(message, outcome.ok ? { ok: true, ...this.state() } : outcome);
  }

  private applySet(text: string): { ok: true } | { ok: false; error: string } {
    let value: unknown;
    try {
      value = (JSON.parse(text) as { setpoint?: unknown } | null)?.setpoint;
    } catch {
      return { ok: false, error: 'the command is not JSON: send {"setpoint": 22}' };
    }
    if (typeof value !== 'number' || !(value >= SETPOINT_MIN && value <= SETPOINT_MAX))
      return {
        ok: false,
        error: `setpoint must be a number from ${SETPOINT_MIN} to ${SETPOINT_MAX}`,
      };
    this.setpoint = value;
    return { ok: true };
  }

  /** Answers on the request's response topic, if it has a usable one and the rate allows. */
  private reply(request: Incoming, body: object): void {
    const responseTopic = request.properties?.responseTopic;
    if (!responseTopic || !usableResponseTopic(responseTopic, this.topics)) return;
    const correlationData = request.properties?.correlationData;
    if (correlationData && correlationData.byteLength > MAX_CORRELATION_BYTES) return;
    if (!this.withinRate()) {
      this.logger.debug('[demo thermostat] too many requests: one not answered');
      return;
    }
    const options: IClientPublishOptions = {
      qos: 1,
      properties: {
        contentType: 'application/json',
        ...(correlationData ? { correlationData } : {}),
      },
    };
    this.client.publish(responseTopic, JSON.stringify(body), options);
  }

  private withinRate(): boolean {
    const now = this.scheduler.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.repliesInWindow = 0;
    }
    return ++this.repliesInWindow <= MAX_REPLIES_PER_SECOND;
  }
}

/** A topic to publish on (no wildcards, no NUL, not too long) that is not the thermostat's own. */
function usableResponseTopic(topic: string, own: ThermostatTopics): boolean {
  if (topic.length > MAX_TOPIC_LENGTH || /[+#\u0000]/.test(topic)) return false;
  const base = own.setpoint.slice(0, own.setpoint.lastIndexOf('/') + 1);
  return !topic.startsWith(base);
}
