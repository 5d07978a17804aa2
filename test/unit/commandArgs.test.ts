/**
 * The argument parsers of the commands: what a Connections view row passes, what the palette
 * passes (nothing), and what a test, a keybinding or another extension passes, each turned into
 * one typed value; anything else refused with the command and the argument named.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttSession } from '../../src/core/session/session';
import { parseCommandArgs } from '../../src/extension/commands/commandArgs';
import { Commands } from '../../src/extension/constants';

const session = { name: 'plant' } as unknown as MqttSession;
const connectionRow = { kind: 'connection', session };
const subscriptionRow = {
  kind: 'subscription',
  session,
  subscription: { topic: 'sensors/#', qos: 1 },
};
const topicRow = { kind: 'topic', session, node: { path: 'sensors/t1', name: 't1' } };
const brokerRow = { kind: 'broker' };

describe('command arguments', () => {
  it('a connection command takes a row, a name, { connection } or nothing', () => {
    const parse = (arg?: unknown) => parseCommandArgs(Commands.connect, [arg]);
    assert.deepEqual(parse(connectionRow), { target: { session } });
    assert.deepEqual(parse(topicRow), { target: { session } });
    assert.deepEqual(parse('plant'), { target: { connection: 'plant' } });
    assert.deepEqual(parse({ connection: 'plant' }), { target: { connection: 'plant' } });
    assert.deepEqual(parse(), { target: undefined });
    assert.deepEqual(parse(null), { target: undefined });
  });

  it('a connection command refuses a number, a list, a bad name or an unknown field', () => {
    const parse = (arg: unknown) => () => parseCommandArgs(Commands.disconnect, [arg]);
    assert.throws(
      parse(42),
      /^CommandArgumentError: mqttScope\.disconnect: the argument "argument" must be an object or a connection name, not 42$/,
    );
    assert.throws(
      parse(['plant']),
      /"argument" must be an object or a connection name, not a list/,
    );
    assert.throws(
      parse({ connection: 7 }),
      /mqttScope\.disconnect: the argument "connection" must be a string, not 7/,
    );
    assert.throws(
      parse({ name: 'plant' }),
      /the argument "argument\.name" is not known \(known: connection\)/,
    );
  });

  it('Subscribe takes { connection, topic, qos } and checks the QoS', () => {
    assert.deepEqual(
      parseCommandArgs(Commands.subscribe, [{ connection: 'plant', topic: 'a/#', qos: 2 }]),
      { target: { connection: 'plant' }, topic: 'a/#', qos: 2 },
    );
    assert.deepEqual(parseCommandArgs(Commands.subscribe, [connectionRow]), {
      target: { session },
    });
    assert.throws(
      () => parseCommandArgs(Commands.subscribe, [{ topic: 'a/#', qos: '1' }]),
      /mqttScope\.subscribe: the argument "qos" must be 0, 1 or 2, not "1"/,
    );
  });

  it('Unsubscribe on a subscription row names its connection and topic', () => {
    assert.deepEqual(parseCommandArgs(Commands.unsubscribe, [subscriptionRow]), {
      target: { session },
      topic: 'sensors/#',
    });
    assert.deepEqual(
      parseCommandArgs(Commands.unsubscribe, [{ connection: 'plant', topic: 'x' }]),
      {
        target: { connection: 'plant' },
        topic: 'x',
      },
    );
  });

  it('Publish takes every field typed, and ignores the fields of a row', () => {
    assert.deepEqual(
      parseCommandArgs(Commands.publish, [
        { connection: 'plant', topic: 't', payload: 'p', qos: 1, retain: true, edit: false },
      ]),
      {
        target: { connection: 'plant' },
        topic: 't',
        payload: 'p',
        qos: 1,
        retain: true,
        properties: undefined,
        edit: false,
      },
    );
    assert.deepEqual(parseCommandArgs(Commands.publish, [connectionRow]), { target: { session } });
    assert.deepEqual(parseCommandArgs(Commands.publish, []), {
      target: undefined,
      topic: undefined,
      payload: undefined,
      qos: undefined,
      retain: undefined,
      properties: undefined,
      edit: undefined,
    });
    assert.throws(
      () => parseCommandArgs(Commands.publish, [{ topic: 't', retain: 'yes' }]),
      /mqttScope\.publish: the argument "retain" must be true or false, not "yes"/,
    );
    assert.throws(
      () => parseCommandArgs(Commands.publish, [{ topic: 't', payload: Buffer.from('x') }]),
      /"payload" must be a string, not an object/,
    );
  });

  it('topic commands take a topic row or { connection, topic }', () => {
    for (const id of [
      Commands.publishToTopic,
      Commands.copyTopic,
      Commands.clearRetained,
      Commands.clearRetainedUnder,
    ]) {
      assert.deepEqual(parseCommandArgs(id, [topicRow]), {
        target: { session },
        topic: 'sensors/t1',
        fromTree: true,
      });
      assert.deepEqual(parseCommandArgs(id, [{ connection: 'plant', topic: 'a/b' }]), {
        target: { connection: 'plant' },
        topic: 'a/b',
      });
      assert.deepEqual(parseCommandArgs(id, [connectionRow]), { target: { session } });
      assert.throws(
        () => parseCommandArgs(id, [{ topic: 5 }]),
        new RegExp(`${id}: the argument "topic"`),
      );
    }
  });

  it('commands without arguments ignore the row whose button runs them', () => {
    assert.deepEqual(parseCommandArgs(Commands.stopLocalBroker, [brokerRow]), {});
    assert.deepEqual(parseCommandArgs(Commands.clearMessageLog, []), {});
  });

  it('Select Active Connection takes a connection to make active', () => {
    assert.deepEqual(parseCommandArgs(Commands.selectConnection, ['plant']), {
      target: { connection: 'plant' },
    });
  });

  it('Demo Burst takes a rate and a duration within the offered bounds, both or neither', () => {
    assert.deepEqual(parseCommandArgs(Commands.demoBurst, [{ rate: 1000, seconds: 10 }]), {
      rate: 1000,
      seconds: 10,
    });
    assert.deepEqual(parseCommandArgs(Commands.demoBurst, []), {});
    // The Local broker row's menu passes the row: the burst is asked for.
    assert.deepEqual(parseCommandArgs(Commands.demoBurst, [brokerRow]), {});
    assert.throws(
      () => parseCommandArgs(Commands.demoBurst, [{ rate: 1e9, seconds: 1 }]),
      /mqttScope\.demoBurst: the argument "rate" must be a whole number from 1 to 20000, not 1000000000/,
    );
    assert.throws(
      () => parseCommandArgs(Commands.demoBurst, [{ rate: 10 }]),
      /the argument "seconds" must be given with the other one/,
    );
  });

  it('Open Message Log takes a filter, checked field by field', () => {
    assert.deepEqual(
      parseCommandArgs(Commands.openMessageLog, [
        { topicFilter: 'a/#', qos: [0, 2], direction: 'in' },
      ]),
      { filter: { topicFilter: 'a/#', qos: [0, 2], direction: 'in' } },
    );
    assert.deepEqual(parseCommandArgs(Commands.openMessageLog, []), { filter: undefined });
    assert.throws(
      () => parseCommandArgs(Commands.openMessageLog, [{ direction: 'up' }]),
      /mqttScope\.openMessageLog: the argument "filter\.direction" must be one of in, out, not "up"/,
    );
    assert.throws(
      () => parseCommandArgs(Commands.openMessageLog, [{ qos: [3] }]),
      /the argument "filter\.qos\[0\]" must be 0, 1 or 2, not 3/,
    );
  });

  it('Show Messages filters the log to a row: its connection, and a topic with what is below it', () => {
    assert.deepEqual(parseCommandArgs(Commands.showMessages, [topicRow]), {
      filter: { connection: 'plant', topicFilter: 'sensors/t1/#' },
    });
    assert.deepEqual(parseCommandArgs(Commands.showMessages, [connectionRow]), {
      filter: { connection: 'plant' },
    });
    assert.deepEqual(parseCommandArgs(Commands.showMessages, []), { filter: {} });
  });

  it('an error never echoes a long value whole', () => {
    assert.throws(
      () => parseCommandArgs(Commands.subscribe, [{ topic: 'x', qos: 'a'.repeat(500) }]),
      (error: Error) => error.message.length < 150 && error.message.includes('…'),
    );
  });
});
