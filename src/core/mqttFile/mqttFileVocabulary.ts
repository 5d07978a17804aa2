/**
 * The words of a `.mqtt` file (docs/mqtt-files.md) as data: request-line keywords, the header
 * names each block kind accepts and the values a header takes. The editor's completion reads
 * them; they follow the format's reference tables.
 */
import { HEADERS } from './parseHeaders';
import { KEYWORDS } from './requestLine';

/** The request-line keywords: the parser's own list. */
export const BLOCK_KEYWORDS = KEYWORDS;

export type BlockKeyword = (typeof BLOCK_KEYWORDS)[number];

export function isBlockKeyword(word: string): word is BlockKeyword {
  return (BLOCK_KEYWORDS as readonly string[]).includes(word);
}

/** The headers each block kind accepts: the parser's own table, so the two never differ. */
export const HEADERS_BY_KEYWORD: Readonly<Record<BlockKeyword, readonly string[]>> = {
  PUBLISH: HEADERS.publish,
  EXPECT: HEADERS.expect,
  REQUEST: HEADERS.request,
  WAIT: HEADERS.wait,
  CONNECT: HEADERS.connect,
  DISCONNECT: HEADERS.disconnect,
  DROP: HEADERS.drop,
};

/** Headers that may be written more than once in a block. */
export const REPEATABLE_HEADERS: ReadonlySet<string> = new Set(['user-property', 'json']);

const BOOLEAN = ['true', 'false'];
const QOS = ['0', '1', '2'];

/** The values a header takes, where they are a short list. */
export const HEADER_VALUES: Readonly<Record<string, readonly string[]>> = {
  qos: QOS,
  'will-qos': QOS,
  retain: BOOLEAN,
  retained: BOOLEAN,
  clean: BOOLEAN,
  'will-retain': BOOLEAN,
  encoding: ['text', 'hex', 'base64'],
  'payload-format': ['utf8', 'bytes'],
  protocol: ['5', '3.1.1'],
  count: ['>= 1', '1'],
  password: ['{{$env NAME}}', '{{$secret NAME}}'],
};

/** What may follow a request line's first argument. */
export const REQUEST_MODIFIERS: Readonly<Partial<Record<BlockKeyword, readonly string[]>>> = {
  PUBLISH: ['REPEAT'],
  EXPECT: ['WITHIN'],
  REQUEST: ['WITHIN'],
};

/** Dynamic values (`{{$name …}}`), with what their arguments look like. */
export const DYNAMIC_VALUES = [
  { name: '$timestamp', snippet: '$timestamp' },
  { name: '$isoTimestamp', snippet: '$isoTimestamp' },
  { name: '$uuid', snippet: '$uuid' },
  { name: '$randomInt', snippet: '$randomInt ${1:1} ${2:100}' },
  { name: '$index', snippet: '$index' },
  { name: '$env', snippet: '$env ${1:NAME}' },
  { name: '$secret', snippet: '$secret ${1:NAME}' },
] as const;

export type DynamicValueName = (typeof DYNAMIC_VALUES)[number]['name'];

/** Values captured from an earlier block (`{{lastReply.json.id}}`). */
export const CAPTURES = [
  'lastReply.payload',
  'lastReply.topic',
  'lastReply.json.',
  'lastMessage.payload',
  'lastMessage.topic',
  'lastMessage.json.',
] as const;
