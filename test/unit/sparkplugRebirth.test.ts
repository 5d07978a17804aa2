/**
 * The Rebirth request (an NCMD with "Node Control/Rebirth" = true) and the argument MQTT: Request
 * Rebirth takes: a Sparkplug view row, `{ connection, group, node }`, or nothing (a picker asks).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rebirthRequest } from '../../src/core/sparkplug/rebirth';
import { decodeSparkplugPayload } from '../../src/core/sparkplug/sparkplugCodec';
import { commandArgParsers } from '../../src/extension/commands/commandArgs';

const parse = commandArgParsers['mqttScope.requestRebirth'];

describe('Request Rebirth', () => {
  it('is an NCMD to the edge node with the Boolean Node Control/Rebirth = true', () => {
    const { topic, payload } = rebirthRequest('plant', 'edge-9', 1_700_000_000_000);
    assert.equal(topic, 'spBv1.0/plant/NCMD/edge-9');
    const decoded = decodeSparkplugPayload(payload);
    assert.equal(decoded.timestamp, '1700000000000');
    assert.deepEqual(decoded.metrics, [
      { name: 'Node Control/Rebirth', datatype: 11, booleanValue: true, value: 'booleanValue' },
    ]);
  });

  it('takes a view row, a plain argument or nothing, and names a bad field', () => {
    const row = { kind: 'sparkplugNode', connection: 'c', group: 'g', node: 'n' };
    assert.deepEqual(parse([row]), { connection: 'c', group: 'g', node: 'n' });
    assert.deepEqual(parse([{ group: 'g', node: 'n' }]), {
      connection: undefined,
      group: 'g',
      node: 'n',
    });
    assert.deepEqual(parse([]), {});
    assert.throws(() => parse([{ group: 'g' }]), /node/);
    assert.throws(() => parse([{ group: 'g', node: 3 }]), /node/);
    assert.throws(() => parse([{ group: 'g', node: 'n', qos: 1 }]), /qos/);
  });
});
