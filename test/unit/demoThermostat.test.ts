/**
 * The demo thermostat's bounds, on a scripted client and a pinned clock: at most
 * MAX_REPLIES_PER_SECOND answers a second, none on a wildcard response topic or with
 * oversized correlation data.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import {
  DemoThermostat,
  MAX_REPLIES_PER_SECOND,
  thermostatTopics,
} from '../../src/core/broker/demoThermostat';
import { silentLogger } from '../../src/core/ports';
import { TestScheduler } from '../support/testScheduler';

type OnMessage = (topic: string, payload: Buffer, packet: { properties?: object }) => void;

async function thermostat() {
  const published: { topic: string; payload: string }[] = [];
  let onMessage: OnMessage = () => undefined;
  const client = {
    on: (_event: string, listener: OnMessage) => (onMessage = listener),
    subscribeAsync: () => Promise.resolve([]),
    publish: (topic: string, payload: string) => published.push({ topic, payload }),
  };
  const scheduler = new TestScheduler();
  scheduler.fixedNow = 1_000_000;
  const device = new DemoThermostat(
    client as unknown as MqttClient,
    'demo',
    scheduler,
    silentLogger,
  );
  await device.start();
  published.length = 0; // the retained setpoint
  const request = (responseTopic: string, correlation = 'c') =>
    onMessage(thermostatTopics('demo').get, Buffer.from(''), {
      properties: { responseTopic, correlationData: Buffer.from(correlation) },
    });
  return { published, scheduler, request };
}

describe('DemoThermostat bounds', () => {
  it('answers at most MAX_REPLIES_PER_SECOND requests a second', async () => {
    const { published, scheduler, request } = await thermostat();
    for (let i = 0; i < 50; i++) request('replies/a');
    assert.equal(published.length, MAX_REPLIES_PER_SECOND);
    scheduler.fixedNow = 1_001_000;
    request('replies/a');
    assert.equal(published.length, MAX_REPLIES_PER_SECOND + 1);
  });

  it('does not answer on a wildcard topic or with correlation data over 128 bytes', async () => {
    const { published, request } = await thermostat();
    request('replies/+');
    request('replies/#');
    request('replies/a', 'x'.repeat(129));
    assert.deepEqual(published, []);
    request('replies/a', 'x'.repeat(128));
    assert.equal(published.length, 1);
  });
});
