/**
 * What completion offers where in a `.mqtt` file (completionContextAt), and the topics seen on
 * connections that continue a typed prefix (topicCandidates), bounded and fast on a big tree.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  completionContextAt,
  type CompletionContext,
} from '../../src/core/mqttFile/completionContext';
import { topicCandidates } from '../../src/core/mqttFile/topicCandidates';
import { TopicTree } from '../../src/core/topics/topicTree';
import { FakeScheduler } from './fakeScheduler';

/** The context at the `|` in `text` (the bar is removed). */
function at(text: string): CompletionContext {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  assert.ok(line >= 0, 'the text marks the cursor with |');
  const column = lines[line].indexOf('|');
  lines[line] = lines[line].replace('|', '');
  return completionContextAt((i) => lines[i], lines.length, line, column);
}

describe('completionContextAt', () => {
  it('offers keywords at the start of a block, after its comments', () => {
    assert.deepEqual(at('### one\n# a comment\nPU|'), {
      kind: 'keyword',
      prefix: 'PU',
      start: 0,
      end: 2,
    });
    assert.deepEqual(at('### one\n|'), { kind: 'keyword', prefix: '', start: 0, end: 0 });
    assert.deepEqual(at('###\n\n|BLISH x'), { kind: 'keyword', prefix: '', start: 0, end: 5 });
  });

  it('offers nothing on a separator, a comment, before the first block or in a body', () => {
    for (const text of [
      '###| title',
      '### t\n# PU|',
      '@a = 1\n|',
      '### t\nPUBLISH a/b\nqos: 1\n\n|',
      '### t\nPUBLISH a/b\n\nbody\n|',
    ]) {
      assert.deepEqual(at(text), { kind: 'none' }, text);
    }
  });

  it('offers the header names of the block kind, with those already written', () => {
    const ctx = at('### t\nEXPECT a/# WITHIN 2s\nqos: 1\nco|\njson: $.a exists\n\nbody');
    assert.deepEqual(ctx, {
      kind: 'headerName',
      keyword: 'EXPECT',
      prefix: 'co',
      start: 0,
      end: 2,
      present: ['qos', 'json'],
    });
    assert.equal(at('### t\nCONNECT dev\n|').kind, 'headerName');
    assert.deepEqual(at('### t\nWAIT 2s\n|'), { kind: 'none' }, 'WAIT takes no headers');
  });

  it('offers the values of the header before the colon', () => {
    assert.deepEqual(at('### t\nPUBLISH a\nqos: |'), {
      kind: 'headerValue',
      keyword: 'PUBLISH',
      header: 'qos',
      prefix: '',
      start: 5,
      end: 5,
    });
    assert.deepEqual(at('### t\nPUBLISH a\nencoding:   he|x'), {
      kind: 'headerValue',
      keyword: 'PUBLISH',
      header: 'encoding',
      prefix: 'he',
      start: 12,
      end: 15,
    });
  });

  it('offers variables inside an open {{ anywhere, even before the first block', () => {
    assert.deepEqual(at('@a = {{de|'), { kind: 'variable', prefix: 'de', start: 7, end: 9 });
    assert.deepEqual(at('### t\nPUBLISH dev/{{|dev}}/x'), {
      kind: 'variable',
      prefix: '',
      start: 14,
      end: 17,
    });
    assert.deepEqual(at('### t\nPUBLISH a\n\n{"t": {{ $ti|}}'), {
      kind: 'variable',
      prefix: '$ti',
      start: 9,
      end: 12,
    });
    assert.deepEqual(at('### t\nPUBLISH a\n\n{{$randomInt 1 |'), { kind: 'none' });
    assert.notEqual(at('### t\nPUBLISH {{a}}/|').kind, 'variable', 'a closed {{ is not open');
  });

  it('offers topics after PUBLISH, EXPECT (and NOTHING) and REQUEST', () => {
    assert.deepEqual(at('### t\nPUBLISH iot/la|b/x'), {
      kind: 'topic',
      keyword: 'PUBLISH',
      prefix: 'iot/la',
      start: 8,
      end: 17,
      allowNothing: false,
    });
    assert.deepEqual(at('### t\nEXPECT |'), {
      kind: 'topic',
      keyword: 'EXPECT',
      prefix: '',
      start: 7,
      end: 7,
      allowNothing: true,
    });
    const nothing = at('### t\nEXPECT NOTHING a/|');
    assert.equal(nothing.kind === 'topic' && nothing.allowNothing, false);
    assert.equal(nothing.kind === 'topic' && nothing.prefix, 'a/');
    assert.equal(at('### t\nREQUEST svc/|').kind, 'topic');
    assert.deepEqual(at('### t\nWAIT |'), { kind: 'none' });
  });

  it('offers WITHIN, REPEAT and EVERY after the topic', () => {
    const within = at('### t\nEXPECT a/b W|');
    assert.deepEqual(within, {
      kind: 'modifier',
      keyword: 'EXPECT',
      options: ['WITHIN'],
      prefix: 'W',
      start: 11,
      end: 12,
    });
    const every = at('### t\nPUBLISH a REPEAT 10 |');
    assert.equal(every.kind === 'modifier' && every.options.join(), 'EVERY');
    assert.deepEqual(at('### t\nEXPECT a WITHIN 2s |'), { kind: 'none' });
  });

  it('reads at most 1000 lines above the cursor', () => {
    const lines = ['### t', 'PUBLISH a', ...Array<string>(5000).fill('x'), ''];
    let reads = 0;
    const ctx = completionContextAt(
      (i) => {
        reads++;
        return lines[i];
      },
      lines.length,
      lines.length - 1,
      0,
    );
    assert.deepEqual(ctx, { kind: 'none' });
    assert.ok(reads <= 1002, `${reads} lines read`);
  });
});

function treeOf(topics: string[]): TopicTree {
  const tree = new TopicTree({ scheduler: new FakeScheduler(), maxTopics: 1_000_000 });
  for (const topic of topics)
    tree.ingest({ topic, payload: Buffer.from('1'), retain: false, qos: 0, receivedAt: 0 });
  return tree;
}

describe('topicCandidates', () => {
  it('lists the next level under the typed levels, merged across connections', () => {
    const a = treeOf(['iot/lab/temp', 'iot/lab/humidity', 'iot/lab/temp/raw', 'iot/hall/door']);
    const b = treeOf(['iot/lab/tension', 'other/x']);
    const { candidates, complete } = topicCandidates([a, b], 'iot/lab/te');
    assert.equal(complete, true);
    assert.deepEqual(
      candidates.map((c) => [c.path, c.hasChildren, c.isTopic]),
      [
        ['iot/lab/temp', true, true],
        ['iot/lab/tension', false, true],
      ],
    );
    assert.deepEqual(
      topicCandidates([a, b], '').candidates.map((c) => c.path),
      ['iot', 'other'],
    );
    assert.deepEqual(topicCandidates([a], 'iot/+/te').candidates, []);
    assert.deepEqual(topicCandidates([a], 'nope/x').candidates, []);
  });

  it('stops at 200 and answers in a few ms on a tree of 30,000 topics', () => {
    const topics: string[] = [];
    for (let i = 0; i < 10_000; i++) topics.push(`plant/line${i % 100}/sensor${i}`);
    for (let i = 0; i < 10_000; i++) topics.push(`flat/s${i}`);
    for (let i = 0; i < 10_000; i++) topics.push(`root${i}`);
    const trees = [treeOf(topics)];
    const times: number[] = [];
    let result = topicCandidates(trees, 'flat/s');
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      result = topicCandidates(trees, ['flat/s', 'plant/line7/sen', 'ro'][i % 3]);
      times.push(performance.now() - t0);
    }
    const flat = topicCandidates(trees, 'flat/s');
    assert.equal(flat.candidates.length, 200);
    assert.equal(flat.complete, false);
    assert.equal(topicCandidates(trees, 'plant/line7/sen').candidates.length, 100);
    assert.ok(result.candidates.length > 0);
    times.sort((x, y) => x - y);
    const median = times[times.length >> 1];
    console.log(
      `topicCandidates on 30,000 topics: median ${median.toFixed(3)} ms, max ${times[times.length - 1].toFixed(3)} ms`,
    );
    assert.ok(median < 5, `median ${median} ms`);
  });
});
