import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeriesRing } from '../../src/core/charts/seriesRing';
import { decimate } from '../../src/core/charts/decimate';
import { alignedData, chartCsv, csvCell } from '../../src/core/charts/chartData';
import { ChartRig } from '../support/chartRig';
import type { PayloadSource } from '../../src/core/charts/payloadFields';
import { SparkplugTracker } from '../../src/core/sparkplug/sparkplugTracker';
import { DataType, encodeSparkplugPayload } from '../../src/core/sparkplug/sparkplugCodec';

function ringOf(points: [number, number][], capacity = points.length): SeriesRing {
  const ring = new SeriesRing(capacity);
  for (const [t, v] of points) ring.push(t, v);
  return ring;
}

describe('chart series: rings, decimation, history and live points', () => {
  it('a ring keeps the newest `capacity` points, oldest first', () => {
    const ring = ringOf(
      Array.from({ length: 10 }, (_, i) => [i, i * 10] as [number, number]),
      4,
    );
    assert.equal(ring.length, 4);
    assert.deepEqual(
      Array.from({ length: 4 }, (_, i) => [ring.timeAt(i), ring.valueAt(i)]),
      [
        [6, 60],
        [7, 70],
        [8, 80],
        [9, 90],
      ],
    );
    assert.equal(ring.firstAtOrAfter(7.5), 2);
    assert.equal(ring.firstAtOrAfter(100), 4);
    assert.throws(() => new SeriesRing(0), /at least one point/);
  });

  it('decimation keeps at most 2 points per bucket, peaks included, in time order', () => {
    const n = 100_000;
    const ring = ringOf(
      Array.from({ length: n }, (_, i) => [i, Math.sin(i / 1000)] as [number, number]),
    );
    ring.push(n, 50); // a spike at the very end
    const { times, values } = decimate(ring, 0, n, 800);
    assert.ok(times.length <= 1600, `${times.length} points`);
    assert.ok(times.length >= 800);
    for (let i = 1; i < times.length; i++) assert.ok(times[i] > times[i - 1]);
    assert.equal(Math.max(...values), 50);
    assert.ok(Math.min(...values) <= -0.999);
    // Few points: all of them, as they are.
    const small = ringOf([
      [1, 1],
      [2, 5],
      [3, 2],
    ]);
    assert.deepEqual(decimate(small, 0, 10, 800), { times: [1, 2, 3], values: [1, 5, 2] });
    assert.deepEqual(decimate(small, 1.5, 2.5, 800), { times: [2], values: [5] });
  });

  it('aligns series on one time axis, null where a series has no point', () => {
    const a = {
      topic: 'a',
      ring: ringOf([
        [1, 10],
        [3, 30],
      ]),
    };
    const b = {
      topic: 'b',
      ring: ringOf([
        [2, 20],
        [3, 31],
      ]),
    };
    const data = alignedData([a, b], 500);
    assert.deepEqual(data.times, [1, 2, 3]);
    assert.deepEqual(data.values, [
      [10, null, 30],
      [null, 20, 31],
    ]);
    assert.deepEqual(alignedData([], 500).times, []);
  });

  it('puts a flood on many topics on a grid of two slots per pixel column, peaks kept', () => {
    const series = Array.from({ length: 10 }, (_, k) => ({
      topic: `t/${k}`,
      // Interleaved times, as ten devices publishing at once.
      ring: ringOf(
        Array.from(
          { length: 20_000 },
          (_, i) => [i * 10 + k, k * 10 + (i % 100 === 50 ? 9 : 0)] as [number, number],
        ),
      ),
    }));
    const data = alignedData(series, 300);
    assert.ok(data.times.length <= 600, `${data.times.length} columns`);
    for (let i = 1; i < data.times.length; i++) assert.ok(data.times[i] > data.times[i - 1]);
    data.values.forEach((row, k) => {
      assert.equal(row.length, data.times.length);
      const numbers = row.filter((v): v is number => v !== null);
      assert.ok(
        numbers.length >= 300,
        `series ${k}: ${numbers.length} points, one a column at least`,
      );
      assert.equal(Math.max(...numbers), k * 10 + 9, 'the peaks survive');
      assert.equal(Math.min(...numbers), k * 10);
    });
  });

  it('writes CSV with every point; a topic is quoted and never a formula', () => {
    assert.equal(csvCell('=cmd|x'), "'=cmd|x");
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
    const csv = chartCsv([{ topic: 'x/1', ring: ringOf([[0, 1.5]]) }], 'temp');
    assert.equal(csv, 'time,epoch_ms,topic,temp\r\n1970-01-01T00:00:00.000Z,0,x/1,1.5\r\n');
  });

  it('starts from the stored history on matching topics, then follows live messages, one series per topic', () => {
    const rig = new ChartRig();
    try {
      rig.receive('plant/1/t', '{"temp":20}', { time: 1000 });
      rig.receive('plant/2/t', '{"temp":30}', { time: 1001 });
      rig.receive('other/1', '{"temp":99}', { time: 1002 });
      rig.receive('plant/1/t', '{"temp":21}', { time: 1003, connection: 'elsewhere' });
      rig.receive('plant/1/t', '{"hum":5}', { time: 1004 });
      const set = rig.chart({ topicFilter: 'plant/+/t', field: 'temp' });
      assert.deepEqual(
        set.series().map((s) => [s.topic, s.ring.length]),
        [
          ['plant/1/t', 1],
          ['plant/2/t', 1],
        ],
      );
      assert.equal(set.unreadable, 1);
      assert.equal(set.history.points, 2);
      let changes = 0;
      set.onDidChange(() => changes++);
      for (let i = 0; i < 1000; i++) rig.receive('plant/1/t', `{"temp":${i}}`, { time: 2000 + i });
      rig.receive('plant/3/t', '{"temp":7}', { time: 3000 });
      rig.receive('other/1', '{"temp":1}', { time: 3001 });
      assert.equal(changes, 0, 'changes wait for the batch');
      rig.scheduler.flush();
      assert.equal(changes, 1, 'one change for a thousand messages');
      assert.deepEqual(
        set.series().map((s) => [s.topic, s.ring.length]),
        [
          ['plant/1/t', 1001],
          ['plant/2/t', 1],
          ['plant/3/t', 1],
        ],
      );
      const ring = set.series()[0].ring;
      assert.equal(ring.valueAt(ring.length - 1), 999);
    } finally {
      rig.dispose();
    }
  });

  it('charts a Sparkplug B metric sent by alias, named from the birth before it', () => {
    const rig = new ChartRig();
    const tracker = new SparkplugTracker(rig.scheduler).follow(rig.hub.event);
    try {
      const metric = (value: number, name?: string) => ({
        ...(name ? { name } : {}),
        alias: 10,
        datatype: DataType.Double,
        value,
      });
      const payload = (seq: number, ...metrics: ReturnType<typeof metric>[]) =>
        encodeSparkplugPayload({ seq, metrics });
      rig.receive('spBv1.0/g/NBIRTH/n', payload(0));
      rig.receive('spBv1.0/g/DBIRTH/n/d', payload(1, metric(1.5, 'Speed')));
      rig.receive('spBv1.0/g/DDATA/n/d', payload(2, metric(2.5)));
      const spec = { topicFilter: 'spBv1.0/g/+/n/d', field: 'metrics["Speed"].value' };
      const metricAlias = (m: PayloadSource) => tracker.aliasesFor('local', m.topic, m.seq);
      const set = rig.chart(spec, { metricAlias });
      rig.receive('spBv1.0/g/DDATA/n/d', payload(3, metric(3.5)));
      const points = (s: typeof set) =>
        s
          .series()
          .flatMap((x) => Array.from({ length: x.ring.length }, (_, i) => x.ring.valueAt(i)));
      assert.deepEqual(points(set).sort(), [1.5, 2.5, 3.5]);
      // Without the births, a DDATA's metric has no name to find.
      assert.deepEqual(points(rig.chart(spec)), [1.5]);
    } finally {
      tracker.dispose();
      rig.dispose();
    }
  });

  it('bounds the points per series and the number of series; counts the topics left out', () => {
    const rig = new ChartRig();
    try {
      const set = rig.chart({ topicFilter: 'd/#' }, { capacity: 100, maxSeries: 3 });
      for (let i = 0; i < 5000; i++) rig.receive(`d/${i % 5}`, String(i));
      assert.deepEqual(
        set.series().map((s) => s.ring.length),
        [100, 100, 100],
      );
      assert.equal(set.skippedTopics, 2);
    } finally {
      rig.dispose();
    }
  });

  it('keeps no long topic names for matching or for counting the topics left out', () => {
    const rig = new ChartRig();
    try {
      const set = rig.chart({ topicFilter: '#' }, { maxSeries: 1 });
      for (let i = 0; i < 50; i++) rig.receive(`${i}/`.padEnd(65_535, 'x'), '1');
      rig.receive('short', '1');
      assert.equal(set.series().length, 1);
      assert.equal(set.skippedTopics, 50, '49 long topics and a short one left out');
      const kept = [
        ...(Reflect.get(set, 'matches') as Map<string, boolean>).keys(),
        ...(Reflect.get(set, 'skipped') as Set<unknown>),
      ];
      const long = kept.filter((k) => typeof k === 'string' && k.length > 256);
      assert.equal(long.length, 0, `${long.length} long topic names kept`);
    } finally {
      rig.dispose();
    }
  });

  it('refuses a field path that does not parse, naming where', () => {
    const rig = new ChartRig();
    try {
      assert.throws(
        () => rig.chart({ topicFilter: '#', field: 'a..b' }),
        /expected a name at character 3/,
      );
    } finally {
      rig.dispose();
    }
  });

  it('reads a bounded history: the newest stored messages only', () => {
    const rig = new ChartRig();
    try {
      for (let i = 0; i < 500; i++) rig.receive('h', String(i), { time: i });
      const set = rig.chart({ topicFilter: 'h' }, { historyMessages: 50 });
      const ring = set.series()[0].ring;
      assert.equal(ring.length, 50);
      assert.equal(ring.valueAt(0), 450);
    } finally {
      rig.dispose();
    }
  });
});
