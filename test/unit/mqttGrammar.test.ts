/**
 * The `.mqtt` TextMate grammar and language configuration: valid JSON, every rule compiles in
 * Oniguruma (what VS Code runs), and a sample tokenizes to the scopes the editor colours.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as onig from 'vscode-oniguruma';
import * as tm from 'vscode-textmate';

const root = path.resolve(__dirname, '../..');
const grammarText = fs.readFileSync(path.join(root, 'syntaxes/mqtt.tmLanguage.json'), 'utf8');
const require_ = createRequire(__filename);

let grammar: tm.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require_.resolve('vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new onig.OnigScanner(sources),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    // source.json is VS Code's own; a stand-in with its string rule is enough here.
    loadGrammar: async (scopeName) =>
      scopeName === 'source.mqtt'
        ? tm.parseRawGrammar(grammarText, 'mqtt.tmLanguage.json')
        : scopeName === 'source.json'
          ? tm.parseRawGrammar(
              JSON.stringify({
                scopeName: 'source.json',
                patterns: [{ name: 'string.quoted.double.json', begin: '"', end: '"' }],
              }),
              'json.json',
            )
          : null,
  });
  const loaded = await registry.loadGrammar('source.mqtt');
  assert.ok(loaded);
  grammar = loaded;
});

/** Each token's text with its innermost scopes, line by line. */
function tokenize(text: string): { text: string; scopes: string[] }[][] {
  let state = tm.INITIAL;
  return text.split('\n').map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function scopeOf(lines: ReturnType<typeof tokenize>, line: number, text: string): string[] {
  const token = lines[line].find((t) => t.text === text);
  assert.ok(
    token,
    `no token "${text}" on line ${line}: ${JSON.stringify(lines[line].map((t) => t.text))}`,
  );
  return token.scopes;
}

const has = (scopes: string[], name: string) =>
  assert.ok(
    scopes.some((s) => s.startsWith(name)),
    `${name} not in ${scopes.join(' ')}`,
  );
const lacks = (scopes: string[], name: string) =>
  assert.ok(!scopes.some((s) => s.startsWith(name)), `${name} in ${scopes.join(' ')}`);

describe('mqtt grammar', () => {
  it('is valid JSON and every regex compiles in Oniguruma', () => {
    const g = JSON.parse(grammarText) as object;
    const regexes: string[] = [];
    const walk = (v: unknown, key = ''): void => {
      if (typeof v === 'string' && ['match', 'begin', 'end', 'while'].includes(key))
        regexes.push(v);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
    };
    walk(g);
    assert.ok(regexes.length > 15);
    for (const source of regexes) assert.doesNotThrow(() => new onig.OnigScanner([source]), source);
    const config = JSON.parse(
      fs.readFileSync(path.join(root, 'language-configuration.json'), 'utf8'),
    ) as {
      comments: { lineComment: string };
    };
    assert.equal(config.comments.lineComment, '#');
  });

  it('is contributed for .mqtt files and packaged', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: {
        languages: { id: string; extensions: string[]; configuration: string }[];
        grammars: { language: string; scopeName: string; path: string }[];
      };
    };
    const language = manifest.contributes.languages.find((l) => l.id === 'mqtt');
    assert.ok(language);
    assert.deepEqual(language.extensions, ['.mqtt']);
    const grammarEntry = manifest.contributes.grammars.find((g) => g.language === 'mqtt');
    assert.equal(grammarEntry?.scopeName, 'source.mqtt');
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const file of [language.configuration, grammarEntry.path]) {
      assert.ok(fs.existsSync(path.join(root, file)), file);
      assert.ok(ignore.includes(`!${file.replace(/^\.\//, '')}`), `${file} is packaged`);
    }
  });

  it('colours a sample file', () => {
    const lines = tokenize(
      [
        '# a comment',
        '@topic = lab/{{site}}',
        '### the title',
        'PUBLISH {{topic}}/x REPEAT 3 EVERY 250ms',
        'qos: 1',
        '// note',
        '',
        '{"n": {{$index}}}',
        'PUBLISH in the body',
        '### next',
        'EXPECT NOTHING a/# WITHIN 2s',
        'match: /^on$/i',
        '',
        'hello \\{{literal}} {{lastReply.json.id}}',
      ].join('\n'),
    );
    has(scopeOf(lines, 0, '# a comment'), 'comment.line.number-sign.mqtt');
    has(scopeOf(lines, 1, 'topic'), 'variable.other.definition.mqtt');
    has(scopeOf(lines, 1, 'site'), 'variable.other.mqtt');
    has(scopeOf(lines, 2, '###'), 'punctuation.separator.block.mqtt');
    has(scopeOf(lines, 2, ' the title'), 'markup.heading.title.mqtt');
    has(scopeOf(lines, 3, 'PUBLISH'), 'keyword.control.request.mqtt');
    has(scopeOf(lines, 3, '{{'), 'punctuation.definition.template-expression.begin.mqtt');
    has(scopeOf(lines, 3, '/x'), 'string.unquoted.topic.mqtt');
    has(scopeOf(lines, 3, 'REPEAT'), 'keyword.other.modifier.mqtt');
    has(scopeOf(lines, 3, '250ms'), 'constant.numeric.duration.mqtt');
    has(scopeOf(lines, 4, 'qos'), 'support.type.property-name.header.mqtt');
    has(scopeOf(lines, 4, '1'), 'constant.numeric.mqtt');
    has(scopeOf(lines, 5, '// note'), 'comment.line.double-slash.mqtt');
    has(scopeOf(lines, 7, 'n'), 'string.quoted.double.json');
    has(scopeOf(lines, 7, 'n'), 'meta.embedded.block.json');
    has(scopeOf(lines, 7, '$index'), 'support.function.dynamic.mqtt');
    lacks(scopeOf(lines, 8, 'PUBLISH in the body'), 'keyword.control');
    has(scopeOf(lines, 10, 'NOTHING'), 'keyword.other.modifier.mqtt');
    has(scopeOf(lines, 10, '2s'), 'constant.numeric.duration.mqtt');
    has(scopeOf(lines, 11, '/^on$/i'), 'string.regexp.mqtt');
    has(scopeOf(lines, 13, '\\{{'), 'constant.character.escape.mqtt');
    has(scopeOf(lines, 13, 'lastReply.json.id'), 'variable.language.capture.mqtt');
  });
});
