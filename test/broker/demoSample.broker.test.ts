/**
 * The playground's `demo-devices.mqtt`, run as the product runs it: parsed, then run by the
 * runner over plain MQTT.js clients against the embedded broker with the demo devices publishing
 * (the broker asks for a password, as in the product, and the file's CONNECT client gets it from
 * the defaults). Every block passes. Without the demo devices, the thermostat's request fails
 * with a reason, so the pass above is the devices' doing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DemoDevices } from '../../src/core/broker/demoDevices';
import { LocalBroker } from '../../src/core/broker/localBroker';
import { mqttJsRunClients } from '../../src/core/mqttFile/mqttJsRunClients';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { FileResult, RunOptions } from '../../src/core/mqttFile/runTypes';
import { realScheduler, silentLogger } from '../../src/core/ports';
import { freePort } from '../support/ports';

const SAMPLE = path.join(__dirname, '../../playground/demo-devices.mqtt');
const credentials = { username: 'mqtt-scope', password: 'sample-run-password' };

function describeResult(result: FileResult): string {
  return result.results
    .map(
      (r) =>
        `${r.status} ${r.block.title || r.block.kind}${r.message ? `: ${r.message}` : ''}` +
        (r.expected !== undefined ? ` (expected ${r.expected}, got ${r.actual})` : ''),
    )
    .join('\n');
}

async function runSample(url: string, only?: number[]): Promise<FileResult> {
  const file = parseMqttFile(fs.readFileSync(SAMPLE, 'utf8'));
  assert.deepEqual(
    file.problems.map((p) => `${p.range.line + 1}:${p.range.column + 1} ${p.message}`),
    [],
    'the sample has no problems',
  );
  const clients = mqttJsRunClients({ broker: url, protocolVersion: 5, ...credentials });
  const options: RunOptions = {
    clients,
    scheduler: realScheduler,
    variables: {},
    env: () => undefined,
    secret: () => Promise.resolve(undefined),
    readFile: () => Promise.reject(new Error('the sample reads no files')),
    only,
  };
  try {
    return await runMqttFile(file, options);
  } finally {
    await clients.closeAll();
  }
}

describe('the playground sample demo-devices.mqtt', () => {
  let broker: LocalBroker;
  let url: string;
  before(async () => {
    broker = new LocalBroker(silentLogger);
    const { port } = await broker.start({ port: await freePort(), credentials });
    url = `mqtt://127.0.0.1:${port}`;
  });
  after(() => broker.stop());

  it(
    'passes against the embedded broker with the demo devices running',
    { timeout: 60_000 },
    async () => {
      const demo = new DemoDevices({
        url,
        credentials,
        scheduler: realScheduler,
        logger: silentLogger,
        doorOnlineMs: 60_000,
      });
      await demo.start();
      try {
        const result = await runSample(url);
        const report = describeResult(result);
        assert.equal(result.passed, true, report);
        assert.deepEqual(
          result.results.filter((r) => r.status !== 'passed').map((r) => r.block.title),
          [],
          report,
        );
        const byKind = (kind: string) => result.results.filter((r) => r.block.kind === kind);
        assert.equal(byKind('expect').length, 7, report);
        assert.equal(byKind('request').length, 3, report);
        // The REPEAT published five readings, and the EXPECT saw all five.
        const series = byKind('publish').find((r) => r.messages === 5);
        assert.ok(series, report);
        assert.ok(
          result.results.some((r) => r.block.kind === 'expect' && (r.messages ?? 0) >= 5),
          report,
        );
      } finally {
        await demo.stop();
        demo.dispose();
      }
    },
  );

  it(
    'fails the thermostat request, with its reason, when the demo is not running',
    { timeout: 30_000 },
    async () => {
      const file = parseMqttFile(fs.readFileSync(SAMPLE, 'utf8'));
      const get = file.blocks.find((b) => b.kind === 'request');
      assert.ok(get);
      const result = await runSample(url, [get.index]);
      const report = describeResult(result);
      assert.equal(result.passed, false, report);
      const outcome = result.results.find((r) => r.block.index === get.index);
      assert.equal(outcome?.status, 'failed', report);
      assert.ok((outcome?.message ?? '').length > 0, report);
      // The other tests were not armed.
      assert.ok(
        result.results
          .filter((r) => r.block.kind === 'expect')
          .every((r) => r.status === 'skipped'),
        report,
      );
    },
  );
});
