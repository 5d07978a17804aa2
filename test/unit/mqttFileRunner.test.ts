/**
 * The `.mqtt` runner on virtual time over an in-memory broker: PUBLISH and EXPECT (counts,
 * NOTHING, windows, qos and retained, JSON and regular expressions, the texts a failure shows),
 * WAIT, captures of the matched message, and REPEAT timing.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { json, mqttFile, publish, expect, t, text, wait } from '../support/mqttBlocks';
import { runRig, statuses } from '../support/runRig';
import { parseMqttFile } from '../../src/core/mqttFile/parser';

const rig = runRig;

describe('runMqttFile: PUBLISH and EXPECT', () => {
  it('an EXPECT before a PUBLISH passes with its latency, and nothing stays subscribed', async () => {
    const { run, clients } = rig();
    const r = await run(
      mqttFile([
        expect('lab/+', 2000, { qos: 1, qosRequired: true }),
        publish('lab/a', 'hi', { qos: 1 }),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'passed']);
    assert.equal(r.passed, true);
    assert.equal(r.results[0]!.messages, 1);
    assert.equal(r.results[0]!.latencyMs, 0);
    assert.deepEqual(r.results[1]!.seqs, [1]);
    assert.equal(clients.broker.openSubscriptions, 0);
    assert.equal(clients.default.closed, 'close');
  });

  it('a payload that differs fails at the window end with expected and actual, JSON pretty-printed', async () => {
    const { run } = rig();
    const expectBlock = expect('dev/t', 1500, {
      matchers: { payload: text('{"t": 21, "u": "C"}'), json: [] },
    });
    const r = await run(mqttFile([expectBlock, publish('dev/t', '{"u":"C","t":22}')]));
    const failed = r.results[0]!;
    assert.equal(failed.status, 'failed');
    assert.match(
      failed.message!,
      /at least 1 matching message on "dev\/t" within 1\.5 s; 0 arrived \(1 other message did not match\)/,
    );
    assert.equal(failed.expected, '{\n  "t": 21,\n  "u": "C"\n}');
    assert.equal(failed.actual, '{\n  "u": "C",\n  "t": 22\n}');
    assert.equal(failed.durationMs, 1500);
    assert.equal(r.passed, false);
  });

  it('JSON payloads compare structurally; json: conditions and match: are all checked', async () => {
    const { run } = rig();
    const conditions = [
      json('$.t', ['t'], '>', '20'),
      json('$.tags[1]', ['tags', 1], '==', '"b"'),
      json('$.x', ['x'], 'exists'),
    ];
    const r = await run(
      mqttFile([
        expect('j/1', 1000, { matchers: { payload: text('{"a":[1,2],"b":null}'), json: [] } }),
        expect('j/2', 1000, {
          matchers: {
            json: conditions,
            regex: { source: '"t":\\s*2\\d', flags: '', range: t('').range },
          },
        }),
        expect('j/2', 1000, { matchers: { json: [json('$.t', ['t'], '<', '20')] } }),
        publish('j/1', '{ "b": null, "a": [1, 2] }'),
        publish('j/2', '{"t": 25, "tags": ["a", "b"], "x": 0}'),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'passed', 'failed', 'passed', 'passed']);
    assert.equal(r.results[2]!.expected, 'json: $.t < 20');
    assert.match(r.results[2]!.actual!, /^json: \$\.t = 25\n\n\{/);
  });

  it('match: runs on the first 64 KiB of a payload only', async () => {
    const { run } = rig();
    const re = (source: string) => ({ json: [], regex: { source, flags: '', range: t('').range } });
    const big = `START${'x'.repeat(70 * 1024)}END`;
    const r = await run(
      mqttFile([
        expect('big', 1000, { matchers: re('^START') }),
        expect('big', 1000, { matchers: re('END$') }),
        publish('big', big),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'failed', 'passed']);
    assert.equal(r.results[1]!.actual!.length, 64 * 1024 + 1);
  });

  it('count: exactly waits the whole window; a message too many fails at once', async () => {
    const { run } = rig();
    const exactly = (n: number) => ({ count: { kind: 'exactly' as const, n } });
    const r = await run(
      mqttFile([
        expect('c/#', 3000, exactly(2)),
        expect('c/#', 3000, exactly(1)),
        publish('c/1', 'a'),
        wait(500),
        publish('c/2', 'b'),
      ]),
    );
    assert.deepEqual(statuses(r).slice(0, 2), ['passed', 'failed']);
    assert.equal(r.results[0]!.durationMs, 3000);
    assert.equal(r.results[0]!.messages, 2);
    assert.equal(r.results[1]!.durationMs, 500);
    assert.match(r.results[1]!.message!, /exactly 1 on "c\/#" within 3 s; a 2nd arrived/);
  });

  it('count: >= 3 passes at the third message', async () => {
    const { run } = rig();
    const r = await run(
      mqttFile([
        expect('n', 10_000, { count: { kind: 'atLeast', n: 3 } }),
        publish('n', 'x', { repeat: { count: 5, everyMs: 1000 } }),
      ]),
    );
    assert.equal(r.results[0]!.status, 'passed');
    assert.equal(r.results[0]!.durationMs, 2000);
    assert.equal(r.results[0]!.messages, 3);
  });

  it('count: 0 fails at the first message like NOTHING; a path not there fails even !=', async () => {
    const { run } = rig();
    const r = await run(
      parseMqttFile(
        '### none\nEXPECT z WITHIN 1s\ncount: 0\n\n### absent\nEXPECT z WITHIN 1s\njson: $.missing != 1\n\n' +
          '### present\nEXPECT z WITHIN 1s\njson: $.a != 1\n\n### send\nPUBLISH z\n\n{"a": 2}\n',
      ),
    );
    assert.deepEqual(statuses(r), ['failed', 'failed', 'passed', 'passed']);
    assert.match(
      r.results[0]!.message!,
      /^A message arrived on "z" after 0 ms; nothing was expected\.$/,
    );
    assert.equal(r.results[1]!.expected, 'json: $.missing != 1');
    assert.match(r.results[1]!.actual!, /^json: \$\.missing \(absent\)\n\n/);
  });

  it('EXPECT NOTHING passes at the window end and fails at the first matching message', async () => {
    const { run } = rig();
    const nothing = (filter: string) =>
      expect(filter, 2000, { nothing: true, matchers: { payload: text('alarm'), json: [] } });
    const r = await run(
      mqttFile([
        nothing('quiet'),
        nothing('loud'),
        publish('quiet', 'ok'),
        wait(700),
        publish('loud', 'alarm'),
      ]),
    );
    assert.deepEqual(statuses(r).slice(0, 2), ['passed', 'failed']);
    assert.equal(r.results[0]!.durationMs, 2000);
    assert.equal(r.results[1]!.durationMs, 700);
    assert.equal(r.results[1]!.expected, '(nothing)');
    assert.equal(r.results[1]!.actual, 'alarm');
  });

  it('qos: is required exactly on what arrives; retained: true sees only the retained message', async () => {
    const { run } = rig();
    const r = await run(
      mqttFile([
        publish('r/t', 'kept', { retain: true, qos: 1 }),
        expect('q/t', 1000, { qos: 1, qosRequired: true }),
        publish('q/t', 'low'),
        expect('r/t', 1000, { retained: true }),
        expect('r/t', 1000, { retained: false }),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'failed', 'passed', 'passed', 'failed']);
    assert.equal(r.results[1]!.expected, 'qos: 1');
    assert.equal(r.results[1]!.actual, 'qos: 0\n\nlow');
    assert.equal(r.results[4]!.actual, 'retained: true\n\nkept');
  });

  it('a bare WAIT waits for every started EXPECT; WAIT <ms> pauses', async () => {
    const { run, clients, clock } = rig();
    const times: number[] = [];
    clients.broker.onPublish = () => times.push(clock.now());
    const start = clock.now();
    const r = await run(
      mqttFile([
        expect('w', 4000, { nothing: true }),
        wait(),
        publish('after', '1'),
        wait(250),
        publish('after', '2'),
      ]),
    );
    assert.deepEqual(statuses(r), ['passed', 'passed', 'passed', 'passed', 'passed']);
    assert.deepEqual(
      times.map((x) => x - start),
      [4000, 4250],
    );
  });

  it('the expectation captures lastMessage for later blocks', async () => {
    const { run, payloads } = rig();
    const r = await run(
      mqttFile([
        expect('in', 1000),
        publish('in', 'abc'),
        wait(),
        publish('out', 'got {{lastMessage.payload}} on {{lastMessage.topic}}'),
      ]),
    );
    assert.equal(r.passed, true);
    assert.deepEqual(payloads(), ['abc', 'got abc on in']);
  });
});

describe('runMqttFile: REPEAT', () => {
  it('publishes n times, one every t, with {{$index}} expanded each time', async () => {
    const { run, clients, clock } = rig();
    const times: number[] = [];
    clients.broker.onPublish = () => times.push(clock.now());
    const start = clock.now();
    const r = await run(
      mqttFile([publish('s/{{$index}}', 'v{{$index}}', { repeat: { count: 4, everyMs: 1500 } })]),
    );
    assert.equal(r.results[0]!.messages, 4);
    assert.deepEqual(
      times.map((x) => x - start),
      [0, 1500, 3000, 4500],
    );
    assert.deepEqual(
      clients.broker.published.map((p) => p.message.topic),
      ['s/0', 's/1', 's/2', 's/3'],
    );
  });

  it('REPEAT without EVERY publishes back to back, each after the previous acknowledgement', async () => {
    const { run, clients, clock } = rig();
    const times: number[] = [];
    clients.broker.onPublish = () => times.push(clock.now());
    const r = await run(parseMqttFile('### burst\nPUBLISH b REPEAT 3\nqos: 1\n\n{{$index}}\n'));
    assert.equal(r.results[0]!.messages, 3);
    assert.deepEqual(times, [times[0], times[0], times[0]]);
    assert.equal(clock.maxPending, 1, 'only the acknowledgement timeout, no wait between messages');
  });

  it('a file variable that uses {{$index}} changes with each message of a REPEAT', async () => {
    const { run, payloads } = rig();
    const r = await run(
      parseMqttFile('@v = value {{$index}}\n\n### r\nPUBLISH r REPEAT 3\n\n{{v}}\n'),
    );
    assert.equal(r.passed, true);
    assert.deepEqual(payloads(), ['value 0', 'value 1', 'value 2']);
  });

  it('a REPEAT of 20,000 holds one timer at a time', async () => {
    const { run, clock } = rig();
    const r = await run(
      mqttFile([publish('big', '{{$index}}', { repeat: { count: 20_000, everyMs: 1 } })]),
    );
    assert.equal(r.results[0]!.messages, 20_000);
    assert.equal(r.results[0]!.seqs!.length, 1000);
    assert.ok(clock.maxPending <= 2, `at most 2 timers pending, saw ${clock.maxPending}`);
  });

  it('a failed publish ends the repeat with the count sent', async () => {
    const { run, clients } = rig();
    clients.default.failPublishAt = {
      n: 2,
      message: 'The broker refused the publish: 0x87 Not authorized.',
    };
    const r = await run(
      mqttFile([publish('f', 'x', { repeat: { count: 5, everyMs: 100 } }), publish('g', 'after')]),
    );
    assert.deepEqual(statuses(r), ['failed', 'passed']);
    assert.equal(r.results[0]!.messages, 2);
    assert.match(r.results[0]!.message!, /0x87 Not authorized\.? \(2 of 5 sent\)/);
  });
});
