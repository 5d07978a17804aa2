/**
 * Every command of package.json is run by a test of the tier where a user meets it: the
 * integration tier (test/integration/*.test.ts, commands run with the arguments a menu, the
 * palette or another extension passes) or the UI tier (test/e2e/*.e2e.ts, the palette or a
 * menu). A test file names a command by its id, by its palette title ("MQTT: Clear Topics"), or
 * by its title given to a menu or button helper (`pickContextMenuItem(page, row, 'Copy Topic')`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string; title: string; category?: string }[] };
};
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<
  string,
  string
>;
const english = (text = '') => text.replace(/^%([\w.-]+)%$/, (_, key: string) => nls[key] ?? text);

function testFiles(folder: string, suffix: string): { name: string; text: string }[] {
  const dir = path.join(root, folder);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => ({ name: `${folder}/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('command coverage', () => {
  const files = [...testFiles('test/integration', '.test.ts'), ...testFiles('test/e2e', '.e2e.ts')];

  it('finds the test files of both tiers', () => {
    assert.ok(files.some((f) => f.name.startsWith('test/integration/')));
    assert.ok(files.some((f) => f.name.startsWith('test/e2e/')));
  });

  it('every command of package.json is run by an integration or e2e test', () => {
    const uncovered = manifest.contributes.commands.filter((c) => {
      const title = english(c.title);
      const category = english(c.category);
      const names = [
        new RegExp(`['"\`]${escape(c.command)}['"\`]`),
        new RegExp(`['"\`]${escape(`${category}: ${title}`)}['"\`]`),
        // A menu item or button, by its title: pickContextMenuItem(page, row, 'Copy Topic').
        new RegExp(
          `\\w*(menu|action|button|inline|item|click|pick)\\w*\\([^()]*['"\`]${escape(title)}['"\`]\\s*\\)`,
          'i',
        ),
      ];
      return !files.some((f) => names.some((n) => n.test(f.text)));
    });
    assert.deepEqual(
      uncovered.map((c) => c.command),
      [],
      'commands no integration or e2e test runs',
    );
  });
});
