// Every message a Message Log webview posts is checked before the host acts on it: a malformed
// one is described (never echoed whole) and ignored, never thrown.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_ROWS_PER_REQUEST,
  validateWebviewMessage,
} from '../../src/protocol/validateWebviewMessage';

const huge = 'x'.repeat(1_000_000);

/** [what is wrong, the message, words the problem must contain] */
const MALFORMED: [string, unknown, RegExp][] = [
  ['not an object', 'rows', /the message must be an object, not "rows"/],
  ['null', null, /the message must be an object, not null/],
  ['a list', [{ type: 'ready' }], /must be an object, not a list of 1/],
  ['no type', { requestId: 1 }, /unknown message type undefined/],
  ['an unknown type', { type: 'eval', code: 'x' }, /unknown message type "eval"/],
  ['a type that is not text', { type: 7 }, /unknown message type 7/],
  [
    'rows without requestId',
    { type: 'rows', start: 0, count: 10 },
    /rows\.requestId must be an integer/,
  ],
  [
    'a negative start',
    { type: 'rows', requestId: 1, start: -5, count: 10 },
    /rows\.start must be an integer from 0/,
  ],
  ['a fractional start', { type: 'rows', requestId: 1, start: 1.5, count: 10 }, /rows\.start/],
  [
    'a start as text',
    { type: 'rows', requestId: 1, start: '0', count: 10 },
    /rows\.start .* not "0"/,
  ],
  ['NaN count', { type: 'rows', requestId: 1, start: 0, count: NaN }, /rows\.count .* not NaN/],
  [
    'a huge count',
    { type: 'rows', requestId: 1, start: 0, count: 1e9 },
    new RegExp(`rows\\.count must be an integer from 0 to ${MAX_ROWS_PER_REQUEST}, not 1000000000`),
  ],
  [
    'Infinity start',
    { type: 'rows', requestId: 1, start: Infinity, count: 1 },
    /rows\.start .* not Infinity/,
  ],
  [
    'a requestId beyond safe integers',
    { type: 'rows', requestId: 2 ** 60, start: 0, count: 1 },
    /rows\.requestId/,
  ],
  [
    'a detail seq as an object',
    { type: 'detail', requestId: 1, seq: { valueOf: 3 } },
    /detail\.seq .* not an object/,
  ],
  [
    'detail.full not boolean',
    { type: 'detail', requestId: 1, seq: 3, full: 'yes' },
    /detail\.full must be true or false/,
  ],
  ['locate with a negative seq', { type: 'locate', requestId: 1, seq: -1 }, /locate\.seq/],
  [
    'an unknown action',
    { type: 'action', action: 'deleteAll', seq: 1 },
    /action\.action must be one of copyPayload, .* not "deleteAll"/,
  ],
  ['an action without seq', { type: 'action', action: 'copyTopic' }, /action\.seq/],
  [
    'setFilter without filter',
    { type: 'setFilter', requestId: 1 },
    /setFilter\.filter must be an object, not undefined/,
  ],
  [
    'a filter that is text',
    { type: 'setFilter', requestId: 1, filter: 'a/#' },
    /setFilter\.filter must be an object/,
  ],
  [
    'an unknown filter field',
    { type: 'setFilter', requestId: 1, filter: { __proto__x: 1 } },
    /unknown field "__proto__x"/,
  ],
  [
    'a topic filter as a number',
    { type: 'setFilter', requestId: 1, filter: { topicFilter: 5 } },
    /setFilter\.filter\.topicFilter must be text, not 5/,
  ],
  [
    'a megabyte of filter text',
    { type: 'setFilter', requestId: 1, filter: { text: huge } },
    /setFilter\.filter\.text is 1000000 characters long; at most 10000/,
  ],
  [
    'an unknown direction',
    { type: 'setFilter', requestId: 1, filter: { direction: 'sideways' } },
    /direction must be one of in, out/,
  ],
  [
    'QoS 3',
    { type: 'setFilter', requestId: 1, filter: { qos: [0, 3] } },
    /setFilter\.filter\.qos\[1\] must be an integer from 0 to 2, not 3/,
  ],
  ['QoS twice', { type: 'setFilter', requestId: 1, filter: { qos: [1, 1] } }, /names QoS 1 twice/],
  [
    'a long QoS list',
    { type: 'setFilter', requestId: 1, filter: { qos: [0, 1, 2, 0] } },
    /at most 3 QoS levels/,
  ],
  [
    'regex as text',
    { type: 'setFilter', requestId: 1, filter: { text: 'a', regex: 'true' } },
    /regex must be true or false/,
  ],
  [
    'a connection too long',
    { type: 'setFilter', requestId: 1, filter: { connection: huge } },
    /connection is 1000000 characters long/,
  ],
];

describe('validateWebviewMessage', () => {
  for (const [what, message, problem] of MALFORMED) {
    it(`refuses ${what}, naming the field`, () => {
      const checked = validateWebviewMessage(message);
      assert.equal(checked.ok, false, 'accepted');
      if (checked.ok) return;
      assert.match(checked.problem, problem);
      assert.ok(
        checked.problem.length < 300,
        `the problem echoes too much: ${checked.problem.length}`,
      );
    });
  }

  it('describes a hostile string by its start and length, with invisible characters shown', () => {
    const checked = validateWebviewMessage({ type: `a\nb\u202e${'c'.repeat(100)}` });
    assert.ok(!checked.ok);
    assert.match(checked.problem, /unknown message type "a⟨LF⟩b⟨U\+202E⟩c+…" \(104 characters\)/);
  });

  it('accepts every message the webview sends, keeping only the known fields', () => {
    const valid: [unknown, unknown][] = [
      [{ type: 'ready' }, { type: 'ready' }],
      [{ type: 'clear', extra: 1 }, { type: 'clear' }],
      [
        { type: 'rows', requestId: 3, start: 0, count: 100 },
        { type: 'rows', requestId: 3, start: 0, count: 100 },
      ],
      [
        { type: 'detail', requestId: 4, seq: 12, full: true },
        { type: 'detail', requestId: 4, seq: 12, full: true },
      ],
      [
        { type: 'detail', requestId: 4, seq: 12 },
        { type: 'detail', requestId: 4, seq: 12 },
      ],
      [
        { type: 'locate', requestId: 5, seq: 1 },
        { type: 'locate', requestId: 5, seq: 1 },
      ],
      [
        { type: 'action', action: 'publishAgain', seq: 9 },
        { type: 'action', action: 'publishAgain', seq: 9 },
      ],
      [
        { type: 'setFilter', requestId: 6, filter: {} },
        { type: 'setFilter', requestId: 6, filter: {} },
      ],
      [
        {
          type: 'setFilter',
          requestId: 7,
          filter: {
            topicFilter: 'sensors/+/temp',
            text: '(\\w+\\s?)+$',
            regex: true,
            connection: 'local',
            direction: 'in',
            qos: [0, 2],
            retainedOnly: true,
            connectionExtra: undefined,
          },
        },
        {
          type: 'setFilter',
          requestId: 7,
          filter: {
            topicFilter: 'sensors/+/temp',
            text: '(\\w+\\s?)+$',
            regex: true,
            connection: 'local',
            direction: 'in',
            qos: [0, 2],
            retainedOnly: true,
          },
        },
      ],
    ];
    for (const [message, expected] of valid) {
      const checked = validateWebviewMessage(message);
      assert.ok(
        checked.ok,
        `refused ${JSON.stringify(message)}: ${checked.ok ? '' : checked.problem}`,
      );
      assert.deepEqual(checked.message, expected);
    }
  });
});
