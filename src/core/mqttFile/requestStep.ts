/**
 * A REQUEST block: MQTT 5 request/response (§4.10). It subscribes to the response topic first
 * (the one given, or `<client>/responses/<random>`), publishes the body with the response topic
 * and fresh correlation data, pairs the first reply by correlation data (`RequestPairing`) and
 * checks it against the reply's matchers. The reply becomes `{{lastReply.…}}`.
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
  let subscription: RunSubscription;
  try {
    subscription = await client.subscribe(responseTopic, block.message.qos, (m) =>
      pairing?.offer(m),
    );
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
    await sent;
    if (result.kind === 'interrupted') return { status: 'failed', message: result.reason };
    if (result.kind === 'timeout')
      return {
        status: 'failed',
        message: `No reply on "${responseTopic}" within ${formatSeconds(block.withinMs)}.`,
        expected: expectedText(matchers) || `a reply on "${responseTopic}"`,
        actual: actualText(undefined, matchers),
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
