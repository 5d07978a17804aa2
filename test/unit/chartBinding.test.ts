import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartBinding } from '../../src/host/chart/chartBinding';
import { untranslated } from '../../src/host/webviewChannel';
import type { ChartData, ChartHostToWebview } from '../../src/protocol/chart';
import { validateChartMessage } from '../../src/protocol/validateChartMessage';
import { ChartRig } from '../support/chartRig';
import { RecordingChannel, RecordingLogger } from '../support/recordingChannel';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

function setup(screen = { visible: true }) {
  const rig = new ChartRig();
  for (let i = 0; i < 10_000; i++) rig.receive(`s/${i % 2}`, `{"v":${i % 100}}`, { time: i });
  const set = rig.chart({ topicFilter: 's/#', field: 'v' });
  const channel = new RecordingChannel<ChartHostToWebview>();
  const saved: { kind: string; bytes: Uint8Array }[] = [];
  const errors: string[] = [];
  const logger = new RecordingLogger();
  const binding = new ChartBinding(channel, set, {
    save: async (kind, bytes) => {
      saved.push({ kind, bytes });
      return 'file:///x';
    },
    l10n: untranslated,
    showError: (m) => errors.push(m),
    isVisible: () => screen.visible,
    logger,
  });
  const data = () => channel.posted.filter((m): m is ChartData => m.type === 'data');
  const dispose = () => {
    binding.dispose();
    rig.dispose();
  };
  return { rig, set, channel, binding, saved, errors, logger, data, dispose };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('chart binding', () => {
  it('answers ready with the chart, then sends data decimated to the width it was told', async () => {
    const t = setup();
    try {
      t.channel.send({ type: 'ready' });
      await tick();
      assert.deepEqual(t.channel.posted[0], {
        type: 'init',
        connection: 'local',
        topicFilter: 's/#',
        field: 'v',
        paused: false,
      });
      t.channel.send({ type: 'view', width: 100 });
      const last = t.data().at(-1)!;
      assert.deepEqual(last.topics, ['s/0', 's/1']);
      assert.ok(last.times.length <= 2 * 2 * 100, `${last.times.length} times`);
      assert.equal(last.stats.points, 10_000);
      assert.equal(Math.max(...(last.values[0].filter((v) => v !== null) as number[])), 98);
      // A zoom: the range in detail.
      t.channel.send({ type: 'view', width: 1000, range: { from: 100, to: 199 } });
      const zoomed = t.data().at(-1)!;
      assert.deepEqual([zoomed.times[0], zoomed.times.at(-1)], [100, 199]);
      assert.equal(zoomed.times.length, 100);
    } finally {
      t.dispose();
    }
  });

  it('sends nothing while the panel is hidden, and the newest points once it is shown again', async () => {
    const screen = { visible: true };
    const t = setup(screen);
    try {
      t.channel.send({ type: 'ready' });
      await tick();
      const before = t.data().length;
      assert.ok(before > 0);
      screen.visible = false;
      for (let i = 0; i < 5; i++) {
        t.rig.receive('s/0', `{"v":${600 + i}}`, { time: 20_000 + i });
        t.rig.scheduler.flush();
      }
      assert.equal(t.data().length, before, 'nothing posted to a hidden panel');
      screen.visible = true;
      t.binding.refresh();
      assert.equal(t.data().length, before + 1);
      assert.ok(t.data().at(-1)!.values[0].includes(604), 'the newest point');
    } finally {
      t.dispose();
    }
  });

  it('keeps the range at the pause time while paused: a resize, zoom or reset shows no newer point', async () => {
    const t = setup();
    try {
      t.channel.send({ type: 'ready' });
      await tick();
      t.channel.send({ type: 'pause', paused: true });
      t.rig.receive('s/0', '{"v":500}', { time: 20_000 });
      t.rig.scheduler.flush();
      t.channel.send({ type: 'view', width: 400 });
      let shown = t.data().at(-1)!;
      // Many points: on a grid of slots, the last one within the last pixel column.
      assert.ok(
        shown.times.at(-1)! <= 9_999 && shown.times.at(-1)! > 9_950,
        'a resize ends at the pause',
      );
      assert.ok(!shown.values[0].includes(500));
      t.channel.send({ type: 'view', width: 1000, range: { from: 9_900, to: 30_000 } });
      shown = t.data().at(-1)!;
      assert.deepEqual([shown.times[0], shown.times.at(-1)], [9_900, 9_999], 'a zoom too');
      t.channel.send({ type: 'view', width: 1000 });
      assert.ok(t.data().at(-1)!.times.at(-1)! <= 9_999, 'and a reset');
      t.channel.send({ type: 'pause', paused: false });
      assert.ok(t.data().at(-1)!.times.at(-1)! > 19_900, 'resumed: the newest points');
    } finally {
      t.dispose();
    }
  });

  it('sends a long topic cut to 1,024 characters with each update', async () => {
    const t = setup();
    try {
      const long = 's/'.padEnd(65_535, 'x');
      t.rig.receive(long, '{"v":7}', { time: 10_000 });
      t.channel.send({ type: 'ready' });
      await tick();
      const topics = t.data().at(-1)!.topics;
      assert.deepEqual(
        topics.map((topic) => topic.length),
        [3, 3, 1024],
      );
      assert.equal(topics[2], long.slice(0, 1024));
    } finally {
      t.dispose();
    }
  });

  it('sends nothing new while paused, and the newest points on resume', async () => {
    const t = setup();
    try {
      t.channel.send({ type: 'ready' });
      await tick();
      t.channel.send({ type: 'pause', paused: true });
      const before = t.data().length;
      t.rig.receive('s/0', '{"v":500}', { time: 20_000 });
      t.rig.scheduler.flush();
      assert.equal(t.data().length, before);
      t.channel.send({ type: 'pause', paused: false });
      assert.equal(t.data().length, before + 1);
      assert.ok(t.data().at(-1)!.values[0].includes(500), 'the point that came while paused');
      t.rig.receive('s/0', '{"v":501}', { time: 20_001 });
      t.rig.scheduler.flush();
      assert.equal(t.data().length, before + 2);
    } finally {
      t.dispose();
    }
  });

  it('exports every point as CSV and a PNG the webview drew; refuses what is not a PNG', async () => {
    const t = setup();
    try {
      t.channel.send({ type: 'ready' });
      t.channel.send({ type: 'exportCsv' });
      t.channel.send({ type: 'exportPng', png: PNG.toString('base64') });
      t.channel.send({ type: 'exportPng', png: Buffer.from('<svg/>').toString('base64') });
      await tick();
      assert.deepEqual(
        t.saved.map((s) => s.kind),
        ['csv', 'png'],
      );
      const csv = Buffer.from(t.saved[0].bytes).toString();
      assert.equal(csv.split('\r\n').length, 10_000 + 2);
      assert.deepEqual(Buffer.from(t.saved[1].bytes), PNG);
      assert.deepEqual(t.errors, ['Could not export the chart: The chart image is not a PNG.']);
    } finally {
      t.dispose();
    }
  });

  it('ignores malformed messages, naming the problem', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'view', width: 0 }, 'view.width must be a whole number from 1 to 10000, got 0'],
      [
        { type: 'view', width: 10, range: { from: 5, to: 5 } },
        'view.range.from must be before view.range.to',
      ],
      [
        { type: 'view', width: 10, range: { from: 'a', to: 5 } },
        'view.range.from must be a time in epoch milliseconds, got "a"',
      ],
      [{ type: 'pause', paused: 1 }, 'pause.paused must be true or false, got 1'],
      [
        { type: 'exportPng', png: 'not base64!' },
        'exportPng.png must be base64 of at most 33554432 characters, got "not base64!"',
      ],
      [{ type: 'drop' }, 'unknown message type "drop"'],
    ];
    for (const [data, problem] of cases)
      assert.deepEqual(validateChartMessage(data), { ok: false, problem });
    const t = setup();
    try {
      t.channel.send({ type: 'ready' });
      await tick();
      const posted = t.channel.posted.length;
      t.channel.send({ type: 'view', width: 1e9 });
      assert.equal(t.channel.posted.length, posted);
      assert.match(
        t.logger.at('warn')[0],
        /^Chart: ignored a malformed message from the webview: view.width/,
      );
    } finally {
      t.dispose();
    }
  });
});
