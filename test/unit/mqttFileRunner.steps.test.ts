/**
 * The `.mqtt` runner on virtual time over an in-memory broker: REQUEST pairing and captures,
 * CONNECT / DISCONNECT / DROP and the will, clients that fail, `only`, cancelling, invalid
 * blocks, variables, secrets and files.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMqttFile } from '../../src/core/mqttFile/parser';
import { correlationDataOf } from '../../src/core/request/requestPairing';
import {
  close,
  connect,
  expect,
  json,
  mqttFile,
  publish,
  request,
  t,
  wait,
} from '../support/mqttBlocks';
import { runRig, statuses } from '../support/runRig';

/** A responder on `svc/echo`: replies `{"id": 7, "echo": <payload>}` after `delayMs`. */
function echo(rig: ReturnType<typeof runRig>, delayMs = 120, correlate = true) {
  const { clients, clock } = rig;
  clients.broker.onPublish = (message) => {
    if (message.topic !== 'svc/echo') return;
    const responseTopic = message.properties?.responseTopic as string;
    const correlationData = correlationDataOf(message) ?? new Uint8Array();
    const payload = `{"id": 7, "echo": ${new TextDecoder().decode(message.payload)}}`;
    clock.setTimeout(() => {
      void clients.default.publish({
        topic: responseTopic,
        payload: new TextEncoder().encode(payload),
        qos: 1,
        retain: false,
        properties: { correlationData: correlate ? correlationData : new Uint8Array([1]) },
      });
    }, delayMs);
  };
}

describe('runMqttFile: REQUEST', () => {
  it('pairs the reply by correlation data, checks it, times it and captures it', async () => {
    const rig = runRig();
    echo(rig);
    const r = await rig.run(
      mqttFile([
        request('svc/echo', '"hi"', 2000, {
          reply: { json: [json('$.echo', ['echo'], '==', '"hi"')] },
        }),
        publish('done/{{lastReply.json.id}}', '{{lastReply.payload}}'),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'passed']);
    assert.equal(r.results[0]!.latencyMs, 120);
    const sent = rig.clients.broker.published[0]!.message;
    assert.match(sent.properties!.responseTopic as string, /^default\/responses\/[0-9a-f]{12}$/);
    assert.equal((sent.properties!.correlationData as Uint8Array).byteLength, 16);
    assert.equal(rig.clients.broker.published.at(-1)!.message.topic, 'done/7');
    assert.equal(rig.clients.broker.openSubscriptions, 0);
  });

  it('a reply that does not match fails with expected and actual; none at all times out', async () => {
    const rig = runRig();
    echo(rig, 50);
    const r = await rig.run(
      mqttFile([
        request('svc/echo', '1', 1000, { reply: { json: [json('$.echo', ['echo'], '==', '2')] } }),
        request('svc/nobody', '1', 1000),
      ]),
    );
    assert.deepEqual(statuses(r), ['failed', 'failed']);
    assert.equal(r.results[0]!.expected, 'json: $.echo == 2');
    assert.equal(r.results[0]!.actual, 'json: $.echo = 1\n\n{\n  "id": 7,\n  "echo": 1\n}');
    assert.match(
      r.results[1]!.message!,
      /^No reply on "default\/responses\/[0-9a-f]+" within 1 s\.$/,
    );
    assert.equal(r.results[1]!.durationMs, 1000);
  });

  it('a reply with other correlation data is not paired', async () => {
    const rig = runRig();
    echo(rig, 10, false);
    const r = await rig.run(mqttFile([request('svc/echo', '1', 500)]));
    assert.match(r.results[0]!.message!, /No reply/);
  });

  it('an MQTT 3.1.1 client cannot make a request', async () => {
    const rig = runRig(4);
    const r = await rig.run(mqttFile([request('svc/echo', '1', 500)]));
    assert.equal(r.results[0]!.status, 'failed');
    assert.match(r.results[0]!.message!, /uses MQTT 3\.1\.1; a REQUEST needs MQTT 5/);
    assert.equal(rig.clients.broker.published.length, 0);
  });
});

describe('runMqttFile: clients', () => {
  it('DROP fires the will of a CONNECTed client; every client the run opened is closed', async () => {
    const rig = runRig();
    const will = {
      topic: t('dev/{{device}}/status'),
      payload: t('offline'),
      qos: 1 as const,
      retain: false,
    };
    const r = await rig.run(
      mqttFile(
        [
          connect('dev', { will, password: t('{{$secret PW}}'), username: t('u') }),
          connect('other'),
          expect('dev/+/status', 1000, {
            matchers: { payload: { kind: 'text', text: t('offline'), encoding: 'text' }, json: [] },
          }),
          publish('dev/hello', 'hi', { client: 'dev' }),
          close('drop', 'dev'),
          publish('dev/again', 'x', { client: 'dev' }),
        ],
        { device: 'd1' },
      ),
    );
    assert.deepEqual(statuses(r), ['passed', 'passed', 'passed', 'passed', 'passed', 'failed']);
    assert.equal(r.results[5]!.message, 'The client "dev" was closed by DROP.');
    assert.equal(rig.clients.requests[0]!.password, 's3cret');
    assert.match(rig.clients.requests[0]!.clientId, /^mqtt-scope-dev-[0-9a-f]{8}$/);
    assert.deepEqual(
      rig.clients.opened.map((c) => c.closed),
      ['drop', 'close'],
    );
  });

  it('blocks naming a client that failed to connect fail with its reason', async () => {
    const rig = runRig();
    rig.clients.refuseConnect.set('dev', 'Cannot reach mqtt://x:1: connection refused');
    const r = await rig.run(
      mqttFile([
        connect('dev'),
        publish('a', 'b', { client: 'dev' }),
        publish('a', 'c', { client: 'ghost' }),
      ]),
    );
    assert.deepEqual(statuses(r), ['failed', 'failed', 'failed']);
    assert.equal(r.results[0]!.message, 'Cannot reach mqtt://x:1: connection refused');
    assert.equal(
      r.results[1]!.message,
      'The client "dev" failed to connect: Cannot reach mqtt://x:1: connection refused',
    );
    assert.match(r.results[2]!.message!, /No client "ghost"/);
  });

  it('a default connection that cannot connect fails each block; a refused subscription fails its EXPECT', async () => {
    const rig = runRig();
    rig.clients.broker.refuse.add('secret/#');
    const first = await rig.run(mqttFile([expect('secret/#', 500), publish('ok', '1')]));
    assert.deepEqual(statuses(first), ['failed', 'passed']);
    assert.equal(first.results[0]!.message, 'Cannot subscribe to "secret/#": 0x87 Not authorized');
    rig.clients.defaultError = 'Connection refused by mqtt://127.0.0.1:1.';
    const second = await rig.run(mqttFile([expect('a', 500), publish('b', '1')]));
    assert.deepEqual(statuses(second), ['failed', 'failed']);
    assert.equal(
      second.results[1]!.message,
      'Cannot connect: Connection refused by mqtt://127.0.0.1:1.',
    );
  });
});

describe('runMqttFile: a broker that never answers a SUBSCRIBE', () => {
  it('the EXPECT fails at its window end and the run goes on', async () => {
    const rig = runRig();
    rig.clients.broker.silent.add('mute/#');
    const r = await rig.run(mqttFile([expect('mute/#', 500), publish('next', '1')]));
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.equal(r.results[0]!.message, 'Cannot subscribe to "mute/#": no SUBACK within 0.5 s');
    assert.equal(r.results[0]!.durationMs, 500);
  });
});

describe('runMqttFile: selection, cancelling, invalid blocks, values', () => {
  it('only: the tests not listed are skipped, every step runs', async () => {
    const rig = runRig();
    const r = await rig.run(
      mqttFile([expect('a', 500), expect('b', 500), publish('a', '1'), publish('b', '2')]),
      { only: [1] },
    );
    assert.deepEqual(statuses(r), ['skipped', 'passed', 'passed', 'passed']);
    assert.equal(r.passed, true);
  });

  it('cancelling stops at once, reports the rest skipped and closes everything', async () => {
    const rig = runRig();
    const abort = new AbortController();
    rig.clock.setTimeout(() => abort.abort(), 1500);
    const start = rig.clock.now();
    const r = await rig.run(
      mqttFile([
        connect('dev'),
        expect('never', 60_000),
        wait(10_000),
        publish('late', 'x'),
        expect('b', 100),
      ]),
      { signal: abort.signal },
    );
    assert.equal(r.cancelled, true);
    assert.equal(r.passed, false);
    assert.deepEqual(statuses(r), ['passed', 'skipped', 'skipped', 'skipped', 'skipped']);
    assert.equal(rig.clock.now() - start, 1500);
    assert.equal(rig.clients.broker.openSubscriptions, 0);
    assert.equal(rig.clients.opened[0]!.closed, 'close');
    assert.equal(rig.clients.broker.published.length, 0);
  });

  it('an invalid block fails with its first problem and is not run', async () => {
    const rig = runRig();
    const file = parseMqttFile('### bad\nPUBLISH a\nqos: 3\n\n1\n\n### good\nPUBLISH b\n\n2\n');
    const r = await rig.run(file);
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.equal(r.results[0]!.message, 'Line 3, column 6: `qos` must be 0, 1 or 2');
    assert.deepEqual(rig.payloads(), ['2']);
  });

  it('expands file, environment and process values, bodies from files, hex; an unknown name fails its block', async () => {
    const rig = runRig();
    const r = await rig.run(
      mqttFile(
        [
          publish('{{$env HOME_TOPIC}}/{{device}}', '{{greeting}}'),
          publish('f', '', { payload: { kind: 'file', path: t('data/{{device}}.bin') } }),
          publish('h', '', { payload: { kind: 'text', text: t('68 69'), encoding: 'hex' } }),
          publish('x', '{{nope}}'),
        ],
        { greeting: 'hello {{device}}' },
      ),
      { variables: { device: 'env-dev', greeting: 'overridden' } },
    );
    assert.deepEqual(statuses(r), ['passed', 'passed', 'passed', 'failed']);
    assert.deepEqual(rig.payloads(), ['hello env-dev', 'file:data/env-dev.bin', 'hi']);
    assert.equal(rig.clients.broker.published[0]!.message.topic, 'env/topic/env-dev');
    assert.match(r.results[3]!.message!, /^Line 1, column 1: .*nope/);
  });
});
