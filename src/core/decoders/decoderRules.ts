/**
 * The `mqttScope.decoders` setting: rules that pick a decoder by topic filter, the first match
 * winning. `loadDecoderRules` checks each rule (problems carry the setting path, and the other
 * rules keep working) and loads each `.proto` file once; `DecoderRules` answers which rule a
 * topic falls under.
 */
import * as path from 'node:path';
import { DECODER_IDS, type DecoderId } from '../../protocol/decoded';
import { describeValue } from '../../shared/describeValue';
import { topicMatches, validateTopicFilter } from '../topics/topics';
import type { RuleChoice } from './registry';
import { findMessageType, loadProtoSchema, type ProtoSchema } from './protoSchema';

export const DECODERS_SETTING = 'mqttScope.decoders';

export interface DecoderRuleProblem {
  /** e.g. `mqttScope.decoders[1].topic` */
  path: string;
  message: string;
}

/** What the rules need from the host: reading a file, and where relative paths start. */
export interface RuleFiles {
  readText(absolutePath: string): Promise<string>;
  /** The workspace folder a relative `protoFile` is read from; none: only absolute paths. */
  baseFolder?: string;
}

/** Topics remembered per rule set (a topic's rule is looked up for every row shown). */
const MAX_CACHED_TOPICS = 10_000;

export class DecoderRules {
  private readonly cache = new Map<string, RuleChoice | null>();

  constructor(readonly rules: readonly RuleChoice[] = []) {}

  /** The first rule whose topic filter matches, if any. */
  forTopic(topic: string): RuleChoice | undefined {
    if (this.rules.length === 0) return undefined;
    let found = this.cache.get(topic);
    if (found === undefined) {
      found = this.rules.find((rule) => topicMatches(rule.topic, topic)) ?? null;
      if (this.cache.size >= MAX_CACHED_TOPICS) this.cache.clear();
      this.cache.set(topic, found);
    }
    return found ?? undefined;
  }
}

export interface LoadedRules {
  rules: DecoderRules;
  problems: DecoderRuleProblem[];
  /** Every `.proto` file read (absolute), to reload the rules when one changes. */
  protoFiles: string[];
}

const KEYS = new Set(['topic', 'decoder', 'protoFile', 'messageType']);

/** Checks the setting's value and loads its schemas; never throws. */
export async function loadDecoderRules(raw: unknown, files: RuleFiles): Promise<LoadedRules> {
  const problems: DecoderRuleProblem[] = [];
  const rules: RuleChoice[] = [];
  const protoFiles = new Set<string>();
  if (raw === undefined || raw === null)
    return { rules: new DecoderRules(), problems, protoFiles: [] };
  if (!Array.isArray(raw)) {
    problems.push({
      path: DECODERS_SETTING,
      message: `must be a list of rules, not ${describeValue(raw)}.`,
    });
    return { rules: new DecoderRules(), problems, protoFiles: [] };
  }
  const schemas = new Map<string, Promise<ProtoSchema>>();
  for (const [index, item] of raw.entries()) {
    const at = `${DECODERS_SETTING}[${index}]`;
    const problem = (key: string | undefined, message: string) =>
      problems.push({ path: key ? `${at}.${key}` : at, message });
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problem(
        undefined,
        `must be an object with "topic" and "decoder", not ${describeValue(item)}.`,
      );
      continue;
    }
    const rule = item as Record<string, unknown>;
    const unknownKey = Object.keys(rule).find((key) => !KEYS.has(key));
    if (unknownKey !== undefined) {
      problem(unknownKey, `is not a rule option (the options are ${[...KEYS].join(', ')}).`);
      continue;
    }
    const { topic, decoder, protoFile, messageType } = rule;
    if (typeof topic !== 'string') {
      problem(
        'topic',
        `must be a topic filter such as "plant/+/telemetry", not ${describeValue(topic)}.`,
      );
      continue;
    }
    const topicError = validateTopicFilter(topic);
    if (topicError) {
      problem('topic', topicError);
      continue;
    }
    if (typeof decoder !== 'string' || !(DECODER_IDS as readonly string[]).includes(decoder)) {
      problem(
        'decoder',
        `must be one of ${DECODER_IDS.join(', ')}, not ${describeValue(decoder)}.`,
      );
      continue;
    }
    if (decoder !== 'protobuf' && (protoFile !== undefined || messageType !== undefined)) {
      problem(
        protoFile !== undefined ? 'protoFile' : 'messageType',
        'is only for the protobuf decoder.',
      );
      continue;
    }
    if (protoFile === undefined && messageType === undefined) {
      rules.push({ decoder: decoder as DecoderId, topic });
      continue;
    }
    if (typeof protoFile !== 'string' || protoFile.trim() === '') {
      problem('protoFile', 'must name a .proto file when a message type is given.');
      continue;
    }
    if (typeof messageType !== 'string' || messageType.trim() === '') {
      problem(
        'messageType',
        `must name a message type of ${protoFile}, such as "plant.Telemetry".`,
      );
      continue;
    }
    const file = resolveProtoFile(protoFile, files.baseFolder);
    if (!file) {
      problem(
        'protoFile',
        `"${protoFile}" is relative, and there is no workspace folder to read it from.`,
      );
      continue;
    }
    let schema = schemas.get(file);
    if (!schema)
      schemas.set(
        file,
        (schema = loadProtoSchema(
          file,
          files.readText,
          files.baseFolder ? [files.baseFolder] : [],
        )),
      );
    try {
      const loaded = await schema;
      for (const f of loaded.files) protoFiles.add(f);
      findMessageType(loaded, messageType, protoFile);
      rules.push({ decoder: 'protobuf', topic, options: { protoRoot: loaded.root, messageType } });
    } catch (error) {
      protoFiles.add(file);
      problem(messageTypeFailed(error) ? 'messageType' : 'protoFile', (error as Error).message);
    }
  }
  return { rules: new DecoderRules(rules), problems, protoFiles: [...protoFiles] };
}

function messageTypeFailed(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('message type ');
}

function resolveProtoFile(protoFile: string, base: string | undefined): string | undefined {
  if (path.isAbsolute(protoFile)) return path.normalize(protoFile);
  return base ? path.resolve(base, protoFile) : undefined;
}
