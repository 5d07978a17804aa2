/** What Send Request accepts from a menu, the palette or another extension. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommandArgs } from '../../src/extension/commands/commandArgs';
import { CommandArgumentError } from '../../src/extension/commands/argChecks';

const ID = 'mqttScope.sendRequest';

describe('Send Request arguments', () => {
  it('takes { connection, topic, payload, qos, responseTopic, timeoutMs }', () => {
    const given = { topic: 't', payload: 'p', qos: 2, responseTopic: 'r', timeoutMs: 1500 };
    assert.deepEqual(parseCommandArgs(ID, [{ connection: 'c', ...given }]), {
      target: { connection: 'c' },
      ...given,
    });
    assert.deepEqual(parseCommandArgs(ID, []), {
      target: undefined,
      topic: undefined,
      payload: undefined,
      qos: undefined,
      responseTopic: undefined,
      timeoutMs: undefined,
    });
  });

  it('a connection row names only its session', () => {
    const session = { name: 'c' };
    assert.deepEqual(parseCommandArgs(ID, [{ kind: 'connection', session }]), {
      target: { session },
    });
  });

  it('refuses a bad timeout or an unknown field, naming it', () => {
    for (const [arg, field] of [
      [{ timeoutMs: 0 }, 'timeoutMs'],
      [{ timeoutMs: '5' }, 'timeoutMs'],
      [{ timeout: 5 }, 'argument.timeout'],
      [{ responseTopic: 3 }, 'responseTopic'],
    ] as const)
      assert.throws(
        () => parseCommandArgs(ID, [{ connection: 'c', ...arg }]),
        (e: unknown) => e instanceof CommandArgumentError && e.argument === field,
      );
  });
});
