/**
 * JUnit XML for CI: a `<testsuite>` per file, a `<testcase>` per EXPECT and REQUEST block and
 * per step that failed (so a refused PUBLISH shows), and one per error that kept a file from
 * running. Device text can hold anything: characters XML 1.0 forbids become U+FFFD, invisible
 * ones their visible markers, and every value is escaped and bounded.
 */
import { isTestBlock } from '../core/mqttFile/mqttFileAst';
import type { BlockResult } from '../core/mqttFile/runTypes';
import { cutText, visibleLines } from '../shared/visibleText';
import { errorLine, resultMessage, type FileReport } from './fileReport';

/** At most this much of one message, expected or received value goes into the XML. */
export const MAX_XML_VALUE_CHARS = 16_000;

/** Characters XML 1.0 does not allow (controls but tab, CR, LF; lone surrogates; U+FFFE/F). */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(text: string): string {
  return cutText(text, MAX_XML_VALUE_CHARS)
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** A value for a report a human reads: invisible characters as markers, line feeds kept. */
const shown = (text: string) => visibleLines(cutText(text, MAX_XML_VALUE_CHARS));

interface Case {
  name: string;
  ms: number;
  failure?: { message: string; type: string; body: string };
  skipped?: string;
}

function caseOf(result: BlockResult, label: string): Case | undefined {
  const test = isTestBlock(result.block);
  if (!test && result.status !== 'failed') return undefined;
  const name = test ? label : `${label} [step]`;
  const message = shown(resultMessage(result));
  if (result.status === 'skipped') return { name, ms: result.durationMs, skipped: message };
  if (result.status === 'passed') return { name, ms: result.durationMs };
  const body = [message];
  if (result.expected !== undefined) body.push('', 'Expected:', shown(result.expected));
  if (result.actual !== undefined) body.push('', 'Received:', shown(result.actual));
  const type = !test ? 'step' : result.expected !== undefined ? 'mismatch' : 'expectation';
  return { name, ms: result.durationMs, failure: { message, type, body: body.join('\n') } };
}

function casesOf(report: FileReport, labels: readonly string[]): Case[] {
  const cases: Case[] = report.errors.map((error) => ({
    name: `${report.path}:${error.line}:${error.column}`,
    ms: 0,
    failure: { message: error.message, type: 'error', body: errorLine(report.path, error) },
  }));
  for (const result of report.result?.results ?? []) {
    const c = caseOf(result, labels[result.block.index] ?? result.block.kind);
    if (c) cases.push(c);
  }
  if (report.result?.cancelled) {
    cases.push({
      name: 'interrupted',
      ms: 0,
      failure: { message: 'the run was interrupted', type: 'cancelled', body: '' },
    });
  }
  return cases;
}

function caseXml(c: Case, classname: string): string {
  const open = `    <testcase name="${xmlAttribute(c.name)}" classname="${xmlAttribute(classname)}" time="${seconds(c.ms)}"`;
  if (c.failure) {
    const { message, type, body } = c.failure;
    return `${open}>\n      <failure message="${xmlAttribute(message)}" type="${xmlAttribute(type)}">${xmlText(body)}</failure>\n    </testcase>`;
  }
  if (c.skipped !== undefined) {
    return `${open}>\n      <skipped message="${xmlAttribute(c.skipped)}"/>\n    </testcase>`;
  }
  return `${open}/>`;
}

/**
 * The whole document. `labels[i]` is the label of each file's block i (see `blockLabel`), given
 * per report in the same order.
 */
export function junitXml(
  reports: readonly { report: FileReport; labels: readonly string[] }[],
  durationMs: number,
  timestamp = new Date(),
): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const { report, labels } of reports) {
    const cases = casesOf(report, labels);
    const failed = cases.filter((c) => c.failure).length;
    const skips = cases.filter((c) => c.skipped !== undefined).length;
    tests += cases.length;
    failures += failed;
    skipped += skips;
    suites.push(
      [
        `  <testsuite name="${xmlAttribute(report.path)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="${skips}" time="${seconds(report.durationMs)}" timestamp="${timestamp.toISOString().slice(0, 19)}">`,
        ...cases.map((c) => caseXml(c, report.path)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mqtt-scope" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
