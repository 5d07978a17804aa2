import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCliArgs } from '../../src/cli/cliArgs';

describe('mqtt-scope command line', () => {
  it('reads a run with every option', () => {
    const command = parseCliArgs([
      'run',
      'tests/*.mqtt',
      'b.mqtt',
      '--env',
      'ci',
      '--env-file',
      'env.json',
      '--broker',
      'mqtts://b:8883',
      '--reporter',
      'junit',
      '--output',
      'r.xml',
      '--timeout-scale',
      '2.5',
      '--ca',
      'ca.pem',
      '--cert',
      'c.pem',
      '--key',
      'k.pem',
      '--insecure',
    ]);
    assert.deepEqual(command, {
      kind: 'run',
      args: {
        patterns: ['tests/*.mqtt', 'b.mqtt'],
        env: 'ci',
        envFile: 'env.json',
        broker: 'mqtts://b:8883',
        reporter: 'junit',
        output: 'r.xml',
        timeoutScale: 2.5,
        ca: 'ca.pem',
        cert: 'c.pem',
        key: 'k.pem',
        insecure: true,
      },
    });
  });

  it('defaults to the console reporter and scale 1', () => {
    const command = parseCliArgs(['run', 'a.mqtt']);
    assert.equal(command.kind, 'run');
    if (command.kind === 'run') {
      assert.equal(command.args.reporter, 'console');
      assert.equal(command.args.timeoutScale, 1);
      assert.equal(command.args.insecure, false);
    }
  });

  it('answers --help and --version', () => {
    assert.deepEqual(parseCliArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseCliArgs(['run', '-h']), { kind: 'help' });
    assert.deepEqual(parseCliArgs(['--version']), { kind: 'version' });
  });

  const errors: [string[], RegExp][] = [
    [[], /no command/],
    [['test', 'a.mqtt'], /unknown command "test"/],
    [['run'], /no .mqtt files/],
    [['run', 'a.mqtt', '--colour'], /Unknown option '--colour'/],
    [['run', 'a.mqtt', '--reporter', 'tap'], /console or junit/],
    [['run', 'a.mqtt', '--reporter', 'junit'], /needs --output/],
    [['run', 'a.mqtt', '--timeout-scale', '0'], /above 0/],
    [['run', 'a.mqtt', '--timeout-scale', 'x'], /above 0/],
    [['run', 'a.mqtt', '--broker', 'http://b'], /mqtt:\/\//],
    [['run', 'a.mqtt', '--env'], /argument missing/],
    [['run', 'a.mqtt', '--env', ''], /--env needs a value/],
  ];
  for (const [argv, words] of errors) {
    it(`refuses ${JSON.stringify(argv)}`, () => {
      const command = parseCliArgs(argv);
      assert.equal(command.kind, 'usage-error');
      if (command.kind === 'usage-error') assert.match(command.message, words);
    });
  }
});
