/**
 * A CONNECT block with its values expanded, as `RunClients.connect` takes it. Without a
 * `client-id` the client gets `mqtt-scope-<name>-<random>`, so two runs never share a session.
 */
import { randomBytes } from 'node:crypto';
import type { ConnectBlock } from './mqttFileAst';
import type { ConnectRequest } from './runTypes';
import type { RunScope } from './runScope';

export function connectRequest(block: ConnectBlock, scope: RunScope): ConnectRequest {
  const request: ConnectRequest = {
    block,
    name: block.name,
    clientId: block.clientId
      ? scope.expand(block.clientId)
      : `mqtt-scope-${block.name}-${randomBytes(4).toString('hex')}`,
  };
  if (block.broker) request.broker = scope.expand(block.broker);
  if (block.protocolVersion) request.protocolVersion = block.protocolVersion;
  if (block.username) request.username = scope.expand(block.username);
  if (block.password) request.password = scope.expand(block.password);
  if (block.keepaliveSeconds !== undefined) request.keepaliveSeconds = block.keepaliveSeconds;
  if (block.clean !== undefined) request.clean = block.clean;
  if (block.will)
    request.will = {
      topic: scope.expand(block.will.topic),
      payload: Buffer.from(scope.expand(block.will.payload), 'utf8'),
      qos: block.will.qos,
      retain: block.will.retain,
    };
  return request;
}
