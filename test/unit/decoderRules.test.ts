/**
 * The `mqttScope.decoders` rules: each mistake reported with its setting path while the other
 * rules keep working, .proto files loaded once and resolved against the workspace folder, and
 * the first matching rule wins.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { DECODERS_SETTING, loadDecoderRules } from '../../src/core/decoders/decoderRules';
import { DECODER_IDS } from '../../src/protocol/decoded';
import manifest from '../../package.json';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const reads: string[] = [];
const files = {
  baseFolder: FIXTURES,
  readText: (file: string) => {
    reads.push(file);
    return readFile(file, 'utf8');
  },
};

describe('decoder rules', () => {
  it("the setting's schema offers exactly the decoder ids", () => {
    const schema = manifest.contributes.configuration.properties[DECODERS_SETTING];
    assert.deepEqual(schema.items.properties.decoder.enum, [...DECODER_IDS]);
    assert.ok(
      manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(DECODERS_SETTING),
    );
  });

  it('keeps the valid rules, reports each invalid one with its path, first match wins', async () => {
    reads.length = 0;
    const { rules, problems, protoFiles } = await loadDecoderRules(
      [
        {
          topic: 'plant/+/telemetry',
          decoder: 'protobuf',
          protoFile: 'proto/telemetry.proto',
          messageType: 'plant.Telemetry',
        },
        { topic: 'plant/#', decoder: 'cbor' },
        { topic: 'bad/#/x', decoder: 'cbor' },
        { topic: 'a', decoder: 'yaml' },
        {
          topic: 'b',
          decoder: 'protobuf',
          protoFile: 'proto/telemetry.proto',
          messageType: 'plant.Nope',
        },
        { topic: 'c', decoder: 'protobuf', protoFile: 'proto/missing.proto', messageType: 'x.Y' },
        { topic: 'd', decoder: 'cbor', messageType: 'x.Y' },
        { topic: 'e', decoder: 'msgpack', extra: 1 },
        'f',
        { topic: 'g', decoder: 'protobuf' },
      ],
      files,
    );
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        'mqttScope.decoders[2].topic',
        'mqttScope.decoders[3].decoder',
        'mqttScope.decoders[4].messageType',
        'mqttScope.decoders[5].protoFile',
        'mqttScope.decoders[6].messageType',
        'mqttScope.decoders[7].extra',
        'mqttScope.decoders[8]',
      ],
    );
    assert.match(problems[1].message, /^must be one of json, cbor, .*, not "yaml"\.$/);
    assert.match(
      problems[2].message,
      /^message type "plant\.Nope" is not in proto\/telemetry\.proto \(it has plant\.Telemetry, /,
    );
    assert.match(problems[3].message, /cannot read .*missing\.proto: ENOENT/);
    // The schema file was read once for two rules; its import too.
    assert.equal(reads.filter((f) => f.endsWith('telemetry.proto')).length, 1);
    assert.deepEqual(protoFiles.map((f) => path.relative(FIXTURES, f)).sort(), [
      'proto/common.proto',
      'proto/missing.proto',
      'proto/telemetry.proto',
    ]);
    assert.equal(rules.forTopic('plant/a/telemetry')?.decoder, 'protobuf');
    assert.equal(rules.forTopic('plant/a/telemetry')?.options?.messageType, 'plant.Telemetry');
    assert.equal(rules.forTopic('plant/a/other')?.decoder, 'cbor');
    assert.equal(rules.forTopic('g')?.decoder, 'protobuf');
    assert.equal(rules.forTopic('g')?.options, undefined);
    assert.equal(rules.forTopic('other'), undefined);
  });

  it('names a .proto syntax error with its file and line', async () => {
    const { problems } = await loadDecoderRules(
      [{ topic: '#', decoder: 'protobuf', protoFile: '/p/bad.proto', messageType: 'A' }],
      { readText: async () => 'syntax = "proto3";\nmessage A {\n  int32 = 1;\n}\n' },
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0].path, 'mqttScope.decoders[0].protoFile');
    assert.match(problems[0].message, /^\/p\/bad\.proto: illegal .*line 3\)$/);
  });

  it('reports a relative protoFile without a workspace folder, and a setting that is not a list', async () => {
    const none = await loadDecoderRules(
      [{ topic: '#', decoder: 'protobuf', protoFile: 'x.proto', messageType: 'A' }],
      { readText: () => Promise.reject(new Error('unused')) },
    );
    assert.match(none.problems[0].message, /relative, and there is no workspace folder/);
    const notList = await loadDecoderRules({ topic: '#' }, files);
    assert.deepEqual(notList.problems, [
      { path: 'mqttScope.decoders', message: 'must be a list of rules, not an object.' },
    ]);
    assert.deepEqual((await loadDecoderRules(undefined, files)).problems, []);
  });
});
