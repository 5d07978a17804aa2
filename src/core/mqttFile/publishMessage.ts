/**
 * A PUBLISH or REQUEST block's message as a client sends it: the topic and payload expanded, the
 * MQTT 5 properties checked one by one (the same checks as the publish command) and shaped as
 * MQTT.js wants them (user properties repeatable, correlation data as bytes).
 */
import type { MessageSpec } from './mqttFileAst';
import {
  addUserProperty,
  checkContentType,
  checkResponseTopic,
  parseCorrelationData,
  type PublishProperties,
} from '../session/publishProperties';
import { validateTopicName } from '../topics/topics';
import type { RunClient, RunPublish } from './runTypes';
import { at, RunError, type RunScope } from './runScope';

export async function publishMessage(
  spec: MessageSpec,
  scope: RunScope,
  client: RunClient,
  index?: number,
): Promise<RunPublish> {
  const topic = scope.expand(spec.topic, index);
  const topicError = validateTopicName(topic);
  if (topicError) throw new RunError(at(spec.topic.range, `topic "${topic}": ${topicError}`));
  const properties = publishProperties(spec, scope, index);
  if (properties && client.protocolVersion !== 5)
    throw new RunError(
      at(
        spec.topic.range,
        `MQTT 5 properties need an MQTT 5 client; "${client.name}" uses MQTT 3.1.1.`,
      ),
    );
  const message: RunPublish = {
    topic,
    payload: await scope.payload(spec.payload, index),
    qos: spec.qos,
    retain: spec.retain,
  };
  if (properties) message.properties = properties as Record<string, unknown>;
  return message;
}

function publishProperties(
  spec: MessageSpec,
  scope: RunScope,
  index: number | undefined,
): PublishProperties | undefined {
  const s = spec.properties;
  const p: PublishProperties = {};
  const check = (error: string | undefined, range: MessageSpec['topic']['range']) => {
    if (error) throw new RunError(at(range, error));
  };
  if (s.contentType) {
    const v = scope.expand(s.contentType, index);
    check(checkContentType(v), s.contentType.range);
    p.contentType = v;
  }
  if (s.responseTopic) {
    const v = scope.expand(s.responseTopic, index);
    check(checkResponseTopic(v), s.responseTopic.range);
    p.responseTopic = v;
  }
  if (s.correlationData) {
    const parsed = parseCorrelationData(scope.expand(s.correlationData, index));
    check(parsed.error, s.correlationData.range);
    p.correlationData = parsed.value!;
  }
  if (s.messageExpiry !== undefined) p.messageExpiryInterval = s.messageExpiry;
  if (s.payloadFormat) p.payloadFormatIndicator = s.payloadFormat === 'utf8';
  for (const u of s.userProperties)
    p.userProperties = addUserProperty(
      p.userProperties,
      scope.expand(u.key, index),
      scope.expand(u.value, index),
    );
  return Object.keys(p).length > 0 ? p : undefined;
}
