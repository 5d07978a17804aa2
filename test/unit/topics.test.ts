/**
 * Topic names, topic filters and matching, against the examples of MQTT 5.0 sections 4.7 and 4.8.2.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_TOPIC_BYTES,
  effectiveFilter,
  topicMatches,
  validateTopicFilter,
  validateTopicName,
} from '../../src/core/topics/topics';

/** [filter, topic, matches] */
const MATCHES: [string, string, boolean][] = [
  // 4.7.1.2 multi-level wildcard
  ['sport/tennis/player1/#', 'sport/tennis/player1', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
  ['sport/tennis/player1/#', 'sport/tennis/player1/score/wimbledon', true],
  ['sport/tennis/player1/#', 'sport/tennis/player2', false],
  ['sport/tennis/player1/#', 'sport/tennis', false],
  ['sport/#', 'sport', true],
  ['sport/#', 'sport/', true],
  ['sport/#', 'sports', false],
  ['#', 'sport/tennis/player1', true],
  ['#', '/', true],
  // 4.7.1.3 single-level wildcard
  ['sport/tennis/+', 'sport/tennis/player1', true],
  ['sport/tennis/+', 'sport/tennis/player2', true],
  ['sport/tennis/+', 'sport/tennis/player1/ranking', false],
  ['sport/+', 'sport', false],
  ['sport/+', 'sport/', true],
  ['+', 'sport', true],
  ['+/tennis/#', 'sport/tennis/player1', true],
  ['sport/+/player1', 'sport/tennis/player1', true],
  ['+/+', '/finance', true],
  ['/+', '/finance', true],
  ['+', '/finance', false],
  ['+/+', 'finance', false],
  // 4.7.2 topics beginning with $
  ['#', '$SYS/monitor/Clients', false],
  ['+/monitor/Clients', '$SYS/monitor/Clients', false],
  ['$SYS/#', '$SYS/monitor/Clients', true],
  ['$SYS/monitor/+', '$SYS/monitor/Clients', true],
  ['+', '$SYS', false],
  // 4.7.3 levels are compared exactly
  ['ACCOUNTS', 'Accounts', false],
  ['a/b', 'a/b/', false],
  ['a/b', '/a/b', false],
  ['a//b', 'a//b', true],
  ['a//b', 'a/b', false],
  ['a/+/b', 'a//b', true],
  ['/', '/', true],
  ['/', '//', false],
  ['Accounts payable', 'Accounts payable', true],
  // 4.8.2 shared subscriptions match on the filter after the share name
  ['$share/group/a/b', 'a/b', true],
  ['$share/group/a/b', 'a/c', false],
  ['$share/group/a/+', 'a/x', true],
  ['$share/group/#', 'a/b/c', true],
  ['$share/group/#', '$SYS/x', false],
];

describe('topicMatches (MQTT 5.0 §4.7)', () => {
  for (const [filter, topic, expected] of MATCHES) {
    it(`"${filter}" ${expected ? 'matches' : 'does not match'} "${topic}"`, () => {
      assert.equal(validateTopicFilter(filter), undefined, `the filter "${filter}" is valid`);
      assert.equal(validateTopicName(topic), undefined, `the topic "${topic}" is valid`);
      assert.equal(topicMatches(filter, topic), expected);
    });
  }
});

/** [filter, a fragment the message must contain] */
const INVALID_FILTERS: [string, string][] = [
  ['sport/tennis#', '"#"'],
  ['sport/tennis/#/ranking', '"#"'],
  ['#/a', '"#"'],
  ['a/##', '"#"'],
  ['sport+', '"+"'],
  ['sport/+tennis', '"+"'],
  ['sport/++', '"+"'],
  ['', 'empty'],
  ['a/\u0000/b', 'U+0000'],
  ['$share/gr+oup/a', '"+"'],
  ['$share/gr#oup/a', '"#"'],
  ['$share/group', 'share name'],
  ['$share//a', 'share name'],
  ['$share/group/', 'filter after the share name'],
  ['$share/group/a#', '"#"'],
  ['$share/group/a/+b', '"+"'],
];

describe('validateTopicFilter', () => {
  for (const [filter, fragment] of INVALID_FILTERS) {
    it(`rejects ${JSON.stringify(filter)}, naming the rule`, () => {
      const error = validateTopicFilter(filter);
      assert.ok(error, `expected ${JSON.stringify(filter)} to be invalid`);
      assert.ok(error.includes(fragment), `"${error}" should mention ${fragment}`);
      assert.match(error, /MQTT 5\.0 §/);
    });
  }

  for (const filter of [
    '#',
    '+',
    '/',
    '//',
    '+/+',
    '/+',
    '+/#',
    'sport/#',
    'sport/tennis/+',
    'sport/+/player1',
    '$SYS/#',
    '$share/group/a/b',
    '$share/group/#',
    '$share/group/+/b',
    '$share',
    'a b/c d',
    'ü/日本/🌡️',
  ]) {
    it(`accepts ${JSON.stringify(filter)}`, () => {
      assert.equal(validateTopicFilter(filter), undefined);
    });
  }

  it('tells a misplaced "#" from a "#" inside a level', () => {
    assert.match(validateTopicFilter('sport/tennis/#/ranking') ?? '', /last level/);
    assert.match(validateTopicFilter('sport/tennis#') ?? '', /whole level.*level 2 is "tennis#"/);
  });
});

describe('validateTopicName', () => {
  for (const topic of ['sport/tennis/+', '+', 'sport/#', '#', 'a+b', 'a#b']) {
    it(`rejects the wildcard in ${JSON.stringify(topic)}`, () => {
      const error = validateTopicName(topic);
      assert.ok(error);
      assert.match(error, /"\+" or "#"/);
    });
  }

  it('rejects the empty topic and U+0000', () => {
    assert.match(validateTopicName('') ?? '', /must not be empty/);
    assert.match(validateTopicName('a\u0000b') ?? '', /U\+0000/);
  });

  it('accepts "/" and leading, trailing and double slashes as distinct topics', () => {
    const topics = ['/', 'a', '/a', 'a/', 'a//b', 'a/b', '//'];
    for (const topic of topics) assert.equal(validateTopicName(topic), undefined, topic);
    // Every one of them is a different topic: each only matches itself as a filter.
    for (const filter of topics) {
      for (const topic of topics)
        assert.equal(topicMatches(filter, topic), filter === topic, `${filter} vs ${topic}`);
    }
  });

  it('accepts $ topics and spaces', () => {
    assert.equal(validateTopicName('$SYS/monitor/Clients'), undefined);
    assert.equal(validateTopicName(' '), undefined);
  });
});

describe('topic length is counted in UTF-8 bytes (MQTT 5.0 §1.5.4, §4.7.3)', () => {
  it('is 65,535 bytes', () => assert.equal(MAX_TOPIC_BYTES, 65_535));

  it('accepts exactly 65,535 one-byte characters and rejects one more', () => {
    assert.equal(validateTopicName('a'.repeat(65_535)), undefined);
    assert.match(validateTopicName('a'.repeat(65_536)) ?? '', /65536 bytes.*65535/);
    assert.equal(validateTopicFilter(`${'a'.repeat(65_533)}/#`), undefined);
    assert.ok(validateTopicFilter(`${'a'.repeat(65_534)}/#`));
  });

  it('counts bytes, not UTF-16 code units: 21,846 three-byte characters are too long', () => {
    const euro = '€'; // U+20AC, three bytes in UTF-8, one UTF-16 code unit
    assert.equal(Buffer.byteLength(euro), 3);
    assert.equal(validateTopicName(euro.repeat(21_845)), undefined); // 65,535 bytes
    const long = euro.repeat(21_846); // 65,538 bytes but only 21,846 characters
    assert.ok(long.length < MAX_TOPIC_BYTES);
    assert.match(validateTopicName(long) ?? '', /65538 bytes/);
    assert.match(validateTopicFilter(long) ?? '', /65538 bytes/);
  });

  it('counts a four-byte character (a surrogate pair) as four bytes', () => {
    const emoji = '😀';
    assert.equal(emoji.length, 2);
    assert.equal(validateTopicName(emoji.repeat(16_383) + 'abc'), undefined); // 65,535 bytes
    assert.ok(validateTopicName(emoji.repeat(16_384))); // 65,536 bytes
  });
});

describe('unpaired surrogates are not UTF-8 (MQTT 5.0 §1.5.4)', () => {
  for (const [label, topic] of [
    ['a lone high surrogate', 'a/\uD83D'],
    ['a lone low surrogate', '\uDE00/a'],
    ['a reversed pair', 'a\uDE00\uD83D'],
    ['a high surrogate at the end', 'sensors/\uD83D'],
  ] as const) {
    it(`rejects ${label}`, () => {
      assert.match(validateTopicName(topic) ?? '', /surrogate/);
      assert.match(validateTopicFilter(topic) ?? '', /surrogate/);
    });
  }

  it('accepts a proper surrogate pair', () => {
    assert.equal(validateTopicName('a/\uD83D\uDE00'), undefined);
    assert.equal(validateTopicFilter('\uD83D\uDE00/+'), undefined);
  });
});

describe('effectiveFilter', () => {
  it('strips $share/{name}/ and leaves other filters alone', () => {
    assert.equal(effectiveFilter('$share/group/a/b'), 'a/b');
    assert.equal(effectiveFilter('$share/g/#'), '#');
    assert.equal(effectiveFilter('a/b'), 'a/b');
    assert.equal(effectiveFilter('$SYS/#'), '$SYS/#');
    assert.equal(effectiveFilter('$shared/group/a'), '$shared/group/a');
  });
});
