// The string literal around a column, in any language's line of code: quotes, escapes, nested
// quotes, template literals with ${}, and long lines left alone.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { literalAt, topicOfLiteral } from '../../src/core/topics/literalAt';

/** The literal around the first occurrence of `marker` in `line`. */
function at(line: string, marker: string, maxChars?: number) {
  const column = line.indexOf(marker);
  assert.ok(column >= 0, `${marker} not in ${line}`);
  return literalAt(line, column, maxChars);
}

describe('literalAt', () => {
  it('finds a double-, single- or back-quoted string around the column, with its span', () => {
    const line = `client.publish("demo/lamp/state", 'on', \`x\`)`;
    const lit = at(line, 'lamp');
    assert.deepEqual(lit, { quote: '"', start: 15, end: 32, parts: ['demo/lamp/state'] });
    assert.deepEqual(at(line, 'on')?.parts, ['on']);
    assert.equal(at(line, 'on')?.quote, "'");
    assert.deepEqual(at(line, 'x`')?.parts, ['x']);
  });

  it('counts the quotes themselves as part of the literal', () => {
    const line = 'x = "a/b"';
    assert.deepEqual(literalAt(line, 4)?.parts, ['a/b']);
    assert.deepEqual(literalAt(line, 8)?.parts, ['a/b']);
    assert.equal(literalAt(line, 2), undefined);
  });

  it('is undefined outside strings, between two strings, and for an unclosed string', () => {
    const line = 'f("a") + g("b")';
    assert.equal(at(line, '+'), undefined);
    assert.equal(at(line, 'g('), undefined);
    assert.equal(literalAt('s = "demo/unclosed', 8), undefined);
    assert.equal(literalAt('', 0), undefined);
    assert.equal(literalAt('"a"', 5), undefined);
  });

  it('resolves escapes, and an escaped quote does not end the string', () => {
    const line = String.raw`p("a\"b\\c\n\x41\u0042\u{1F600}/\'")`;
    assert.deepEqual(at(line, 'a')?.parts, ['a"b\\c\nAB\u{1F600}/\'']);
  });

  it('reads the other quote inside a string as text (nested quotes)', () => {
    assert.deepEqual(at(`say("it's 'demo/x'")`, 'demo')?.parts, ["it's 'demo/x'"]);
    assert.deepEqual(at(`say('he said "demo/y"')`, 'demo')?.parts, ['he said "demo/y"']);
  });

  it('takes an apostrophe in prose for one, not for a quote', () => {
    const line = `# don't publish to "demo/z" here`;
    assert.deepEqual(at(line, 'demo')?.parts, ['demo/z']);
  });

  it('splits a template literal at each ${…}, whose code may hold braces and strings', () => {
    const line = 'pub(`devices/${ids[{a: 1}.a]}/state/${"x"}`)';
    assert.deepEqual(at(line, 'devices')?.parts, ['devices/', '/state/', '']);
    // Inside the expression, its own string is the innermost literal.
    assert.deepEqual(at(line, 'x"')?.parts, ['x']);
    // Code inside ${…} is not a string.
    assert.equal(at(line, 'ids'), undefined);
  });

  it('handles a template nested inside a template expression', () => {
    const line = 'a = `outer/${`inner/${n}`}/end`';
    assert.deepEqual(at(line, 'inner')?.parts, ['inner/', '']);
    assert.deepEqual(at(line, 'outer')?.parts, ['outer/', '/end']);
  });

  it('leaves a line longer than the limit alone, however cheap the column', () => {
    const long = `"demo/t" ${'x'.repeat(5000)}`;
    assert.equal(literalAt(long, 2), undefined);
    assert.deepEqual(literalAt(long, 2, 10_000)?.parts, ['demo/t']);
    assert.deepEqual(at('"demo/t"', 'demo', 8)?.parts, ['demo/t']);
  });
});

describe('topicOfLiteral', () => {
  const lit = (parts: string[]) => ({ quote: '`' as const, start: 0, end: 1, parts });

  it('is the text of a plain literal', () => {
    assert.equal(topicOfLiteral(lit(['demo/a'])), 'demo/a');
  });

  it('reads an interpolation that fills a whole level as +', () => {
    assert.equal(topicOfLiteral(lit(['devices/', '/state'])), 'devices/+/state');
    assert.equal(topicOfLiteral(lit(['', '/state'])), '+/state');
    assert.equal(topicOfLiteral(lit(['devices/', ''])), 'devices/+');
    assert.equal(topicOfLiteral(lit(['a/', '/', '/b'])), 'a/+/+/b');
  });

  it('is undefined for an interpolation inside a level, two side by side, empty or too long', () => {
    assert.equal(topicOfLiteral(lit(['dev-', '/state'])), undefined);
    assert.equal(topicOfLiteral(lit(['a/', 'x'])), undefined);
    assert.equal(topicOfLiteral(lit(['a/', '', '/b'])), undefined);
    assert.equal(topicOfLiteral(lit([''])), undefined);
    assert.equal(topicOfLiteral(lit(['x'.repeat(2000)])), undefined);
  });
});
