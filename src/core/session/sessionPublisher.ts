/**
 * A session's publishing: sends at once when connected, queues while reconnecting, and tells
 * the session's traffic about each publish it takes — the outgoing message before it is handed
 * to the client (so its row comes before the broker's echo), then its outcome. A queued publish
 * shows at once (outcome pending) and is timed from when it leaves the queue.
 */
import { MqttError } from '../mqttError';
import type { Logger, Scheduler } from '../ports';
import type { ConnectionProfile } from '../profile/profile';
import { validateTopicName } from '../topics/topics';
import type { OutgoingTraffic, PublishResult, TrafficEvent } from '../traffic/trafficTypes';
import type { MqttLink } from './mqttClientFactory';
import { OfflineQueue } from './offlineQueue';
import { PublishHandshake } from './publishHandshake';
import { RedeliveryMarks } from './redelivery';
import { failOne, failUnreleased } from './inFlight';
import { RefusedPublishWatch } from './refusedPublish';
import { reasonName } from '../reasons';
import type { Packet } from 'mqtt';
import { PublishError, requestPublish } from './publishing';
import { brokerCapabilities, type BrokerCapabilities } from './brokerCapabilities';
import { publishRefusal } from './capabilityChecks';
import type {
  OfflineQueueLimits,
  PublishOutcome,
  PublishRequest,
  SessionState,
} from './sessionTypes';

export interface PublisherHost {
  readonly profile: ConnectionProfile;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  client(): MqttLink | undefined;
  stateKind(): SessionState['kind'];
  emit(event: TrafficEvent): void;
  /** The number of queued publishes changed. */
  queueChanged(size: number): void;
}

/** Ids of outgoing traffic, unique across sessions. */
let lastTrafficId = 0;

export class SessionPublisher {
  private readonly queue: OfflineQueue;
  private handshake: PublishHandshake;
  private redelivery = new RedeliveryMarks();
  private refused = new RefusedPublishWatch();
  /** What the broker of the current link allows, from its CONNACK. */
  private caps: BrokerCapabilities | undefined;

  constructor(
    private readonly host: PublisherHost,
    limits: () => OfflineQueueLimits,
  ) {
    this.queue = new OfflineQueue(limits);
    this.handshake = new PublishHandshake(() => host.scheduler.now());
  }

  /** Every packet of the link: the acknowledgements and re-sends of our publishes. */
  observe(direction: 'sent' | 'received', packet: Packet): void {
    // Before the session hears of the CONNACK: queued publishes are checked against it.
    if (
      direction === 'received' &&
      packet.cmd === 'connack' &&
      !packet.reasonCode &&
      !packet.returnCode
    )
      this.caps = brokerCapabilities(packet, this.host.profile, this.host.scheduler.now());
    this.handshake.observe(direction, packet);
    this.redelivery.observe(direction, packet);
    this.refused.observe(direction, packet);
  }

  /** A new client (or none): what was tracked on the old link no longer applies. */
  resetLink(): void {
    this.handshake = new PublishHandshake(() => this.host.scheduler.now());
    this.redelivery = new RedeliveryMarks();
    this.refused = new RefusedPublishWatch();
    this.caps = undefined;
  }

  /** What the broker allows, from the CONNACK of the current link (kept while it reconnects). */
  get capabilities(): BrokerCapabilities | undefined {
    return this.caps;
  }

  /** Before the same client reconnects: its stored PUBLISH packets that went out get DUP. */
  markStored(client: MqttLink): void {
    this.failRefused(client);
    this.redelivery.markStored(client.outgoingStore);
  }

  /** The PUBLISH the broker closed the link over is not sent again: it fails with the reason. */
  private failRefused(client: MqttLink): void {
    const refusal = this.refused.take();
    if (!refusal) return;
    const why = `${reasonName(refusal.reasonCode)}${refusal.reasonString ? ` (${refusal.reasonString})` : ''}`;
    const error = Object.assign(new Error(`the broker closed the connection over it: ${why}`), {
      code: refusal.reasonCode,
    });
    if (failOne(client, refusal.messageId, error))
      this.host.logger.warn(
        `[${this.name}] the broker closed the connection over a publish (${why}); it is not sent again`,
      );
  }

  /** The broker came back without the session: QoS 2 publishes it accepted cannot complete. */
  failUnreleased(client: MqttLink): void {
    const failed = failUnreleased(
      client,
      'the broker accepted it (PUBREC) but lost the session before releasing it, so it was most likely not delivered',
    );
    if (failed)
      this.host.logger.warn(
        `[${this.name}] the broker did not keep the session: ${failed} QoS 2 publish(es) it had accepted but not released failed; unacknowledged publishes are sent again`,
      );
  }

  get queued(): number {
    return this.queue.size;
  }

  private get name(): string {
    return this.host.profile.name;
  }

  /**
   * Publishes and resolves once the broker acknowledged it (immediately for QoS 0). While the
   * connection is coming back, the publish waits in the offline queue and goes out in order.
   */
  publish(request: PublishRequest): Promise<PublishOutcome> {
    const error = validateTopicName(request.topic);
    if (error) return Promise.reject(new MqttError(error));
    const client = this.host.client();
    const kind = this.host.stateKind();
    // While MQTT.js re-sends what was in flight it holds new publishes back, in order; only
    // queued publishes still waiting for the end of that keep newer ones behind them.
    const ready = kind === 'connected' && client !== undefined && this.queue.size === 0;
    const queues = !ready && (kind === 'reconnecting' || kind === 'connected');
    const { id, time } = this.announce(request, queues);
    if (ready) return this.settle(id, this.send(client, request, time));
    if (queues) {
      const before = this.queue.size;
      const queued = this.queue.add(request, this.name, id);
      if (this.queue.size !== before) this.host.queueChanged(this.queue.size);
      return this.settle(id, queued);
    }
    return this.settle(
      id,
      Promise.reject(
        new MqttError(`"${this.name}" is not connected; connect it before publishing.`),
      ),
    );
  }

  /**
   * Sends the queue in order. Called at the CONNACK, QoS 1/2 publishes join MQTT.js's store
   * behind what it re-sends; a QoS 0 one would overtake them (MQTT.js sends those on 'connect',
   * after the re-sending), so from the first QoS 0 on the rest waits until then. Returns whether
   * some wait for that.
   */
  sendQueued(client: MqttLink, replayed: boolean): boolean {
    const entries = this.queue.takeAll();
    if (entries.length === 0) return false;
    const firstQos0 = replayed ? -1 : entries.findIndex((e) => e.request.qos === 0);
    const now = firstQos0 === -1 ? entries : entries.slice(0, firstQos0);
    if (firstQos0 !== -1) this.queue.putBack(entries.slice(firstQos0));
    if (now.length === 0) return firstQos0 !== -1;
    this.host.logger.info(`[${this.name}] sending ${now.length} queued publish(es)`);
    this.host.queueChanged(this.queue.size);
    for (const entry of now) this.send(client, entry.request).then(entry.resolve, entry.reject);
    return firstQos0 !== -1;
  }

  /** Fails every queued publish with `reason`; returns how many were dropped. */
  dropQueued(reason: string): number {
    const dropped = this.queue.dropAll(reason);
    if (dropped) this.host.queueChanged(0);
    return dropped;
  }

  /** `startedAt`: the time the row was announced with, for a publish sent at once. */
  private send(
    client: MqttLink,
    request: PublishRequest,
    startedAt?: number,
  ): Promise<PublishOutcome> {
    const refused = publishRefusal(request, this.caps, this.name);
    if (refused) return Promise.reject(this.refusedBeforeSending(refused));
    const handshake = this.handshake;
    return requestPublish(client, request, {
      profile: this.host.profile,
      logger: this.host.logger,
      scheduler: this.host.scheduler,
      takeHandshake: (messageId) => handshake.takeSteps(messageId),
      startedAt,
    });
  }

  /** The outgoing message, before anything is sent. */
  private announce(request: PublishRequest, queued: boolean): { id: number; time: number } {
    const id = ++lastTrafficId;
    const { payload } = request;
    const event: OutgoingTraffic = {
      kind: 'out',
      id,
      topic: request.topic,
      payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      qos: request.qos,
      retain: request.retain,
      time: this.host.scheduler.now(),
      queued,
    };
    if (request.properties) event.properties = request.properties as Record<string, unknown>;
    this.host.emit(event);
    return { id, time: event.time };
  }

  /** Tells the outcome once known; the caller's promise settles after (it listens later). */
  private settle(id: number, outcome: Promise<PublishOutcome>): Promise<PublishOutcome> {
    outcome.then(
      (o) => this.host.emit({ kind: 'outcome', id, result: o.result }),
      (error: unknown) => this.host.emit({ kind: 'outcome', id, result: this.failure(error) }),
    );
    return outcome;
  }

  /** Refused on what the broker announced: never handed to the client, so no `sentAt`. */
  private refusedBeforeSending(message: string): PublishError {
    this.host.logger.warn(`[${this.name}] ${message}`);
    const settledAt = this.host.scheduler.now();
    return new PublishError(message, { state: 'failed', settledAt, steps: [], error: message });
  }

  private failure(error: unknown): PublishResult {
    if (error instanceof PublishError) return error.result;
    const message = error instanceof Error ? error.message : String(error);
    return { state: 'failed', settledAt: this.host.scheduler.now(), steps: [], error: message };
  }
}
