/**
 * A REQUEST block: MQTT 5 request/response (§4.10). It subscribes to the response topic first
 * (the one given, or `<client>/responses/<random>`), publishes the body with the response topic
 * and fresh correlation data, pairs the first reply by correlation data (`RequestPairing`) and
 * checks it against the reply's matchers. The reply becomes `{{lastReply.…}}`. The response topic
 * is subscribed with No Local where the client can; where it cannot and the response topic is the
 * request topic, the request's own copy (same topic and bytes) is skipped once. A retained message
 * is never a reply. The whole block, the publish's acknowledgement included, ends by WITHIN.
 */
import { randomBytes } from 'node:crypto';
import type { Scheduler } from '../ports';
import { RequestPairing } from '../request/requestPairing';
import { defaultResponseTopic, formatSeconds } from '../request/sendRequest';
import { checkMessage, actualText, expectedText } from './messageMatch';
import { compileMatchers } from './compileMatchers';
import type { RequestBlock } from './mqttFileAst';
import { publishMessage } from './publishMessage';
import { messageOf } from './runClientPool';
import { RunError, type RunScope } from './runScope';
import type { BlockResult, RunClient, RunMessage, RunSubscription } from './runTypes';

export type StepOutcome = Omit<BlockResult, 'block' | 'durationMs'>;

export async function runRequest(
  block: RequestBlock,
  scope: RunScope,
  client: RunClient,
  scheduler: Scheduler,
): Promise<StepOutcome> {
  if (client.protocolVersion !== 5)
    throw new RunError(
      `"${client.name}" uses MQTT 3.1.1; a REQUEST needs MQTT 5 (its response topic and correlation data are MQTT 5 properties).`,
    );
  const matchers = await compileMatchers(block.reply, scope);
  const message = await publishMessage(block.message, scope, client);
  const properties = { ...message.properties };
  const responseTopic =
    typeof properties.responseTopic === 'string'
      ? properties.responseTopic
      : defaultResponseTopic(client.name);
  const correlationData =
    properties.correlationData instanceof Uint8Array ? properties.correlationData : randomBytes(16);
  message.properties = { ...properties, responseTopic, correlationData };

  let pairing: RequestPairing<RunMessage> | undefined;
  let subscription: RunSubscription | undefined;
  // Without No Local, a response topic that is the request topic brings the request back.
  let echo = responseTopic === message.topic;
  const offer = (m: RunMessage) => {
    // A retained message is an old one, never this request's reply.
    if (m.retain) return;
    if (echo && subscription?.noLocal !== true && sameBytes(m, message)) {
      echo = false; // the request itself, once
      return;
    }
    pairing?.offer(m);
  };
  const started = scheduler.now();
  try {
    subscription = await client.subscribe(responseTopic, block.message.qos, offer, {
      noLocal: true,
      onEnd: (reason) => pairing?.interrupt(reason),
    });
  } catch (error) {
    throw new RunError(
      `Cannot subscribe to the response topic "${responseTopic}": ${messageOf(error)}`,
      { cause: error },
    );
  }
  try {
    pairing = new RequestPairing<RunMessage>({
      correlationData,
      timeoutMs: block.withinMs,
      windowMs: 0,
      scheduler,
    });
    const seqs: number[] = [];
    const sent = client.publish(message).then(
      (r) => void (r.seq !== undefined && seqs.push(r.seq)),
      (error: unknown) => pairing!.interrupt(`The request was not published: ${messageOf(error)}`),
    );
    const result = await pairing.done;
    if (result.kind === 'interrupted') return { status: 'failed', message: result.reason };
    if (result.kind === 'timeout')
      return {
        status: 'failed',
        message: `No reply on "${responseTopic}" within ${formatSeconds(block.withinMs)}.`,
        expected: expectedText(matchers) || `a reply on "${responseTopic}"`,
        actual: actualText(undefined, matchers),
      };
    // A QoS 1 or 2 acknowledgement that never comes does not hold the block past its window.
    const left = Math.max(0, started + block.withinMs - scheduler.now());
    if (!(await settledWithin(sent, left, scheduler)))
      return {
        status: 'failed',
        message: `The broker did not acknowledge the request within ${formatSeconds(block.withinMs)}.`,
      };
    const reply = result.first.message;
    if (reply.seq !== undefined) seqs.push(reply.seq);
    scope.captures.lastReply = { topic: reply.topic, payload: reply.payload };
    const outcome: StepOutcome = {
      status: 'passed',
      latencyMs: result.first.latencyMs,
      messages: 1,
    };
    if (seqs.length > 0) outcome.seqs = seqs;
    if (checkMessage(reply, matchers).misses > 0) {
      outcome.status = 'failed';
      outcome.message = `The reply on "${reply.topic}" did not match.`;
      outcome.expected = expectedText(matchers);
      outcome.actual = actualText(reply, matchers);
    }
    return outcome;
  } finally {
    await subscription.close().catch(() => undefined);
  }
}

function sameBytes(m: RunMessage, sent: { topic: string; payload: Uint8Array }): boolean {
  return m.topic === sent.topic && Buffer.from(m.payload).equals(Buffer.from(sent.payload));
}

/** True when `work` settled within `ms`. */
function settledWithin(work: Promise<void>, ms: number, scheduler: Scheduler): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = scheduler.setTimeout(() => resolve(false), ms);
    void work.then(() => {
      timer.dispose();
      resolve(true);
    });
  });
}
