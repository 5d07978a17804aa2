// Every word of the manifest a user reads comes from package.nls.json, so a translation is one
// package.nls.<language>.json away: a raw string would stay English in every language, a
// %key% without an entry shows literally ("%command.publish.title%") in the palette.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.join(__dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<
  string,
  unknown
>;
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<
  string,
  unknown
>;

/** The manifest fields VS Code (or the Marketplace) shows to a person. */
const USER_FACING = new Set([
  'title',
  'category',
  'name',
  'contextualTitle',
  'contents',
  'description',
  'markdownDescription',
  'enumDescriptions',
  'markdownEnumDescriptions',
  'deprecationMessage',
  'markdownDeprecationMessage',
  'patternErrorMessage',
  'errorMessage',
  'label',
  'altText',
  'shortTitle',
]);

/** Objects whose keys are names of things (setting properties), not manifest fields. */
const NAME_MAPS = new Set(['properties']);

/** Values that are data a user types or gets inserted (a snippet's body, a default), not text. */
const DATA = new Set(['body', 'default', 'examples', 'enum', 'const']);

const PLACEHOLDER = /^%([\w.-]+)%$/;

/** A `name` that is an identifier a program calls (a language-model tool's), not text. */
const IDENTIFIER = /^contributes\.languageModelTools\[\d+\]\.name$/;

interface Found {
  where: string;
  text: string;
}

/** Every string under a user-facing field of `value`, with the JSON path it sits at. */
function userFacingStrings(value: unknown, where: string, field?: string): Found[] {
  if (typeof value === 'string')
    return field && USER_FACING.has(field) ? [{ where, text: value }] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => userFacingStrings(v, `${where}[${i}]`, field));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) =>
      DATA.has(k) && !NAME_MAPS.has(field ?? '')
        ? []
        : NAME_MAPS.has(field ?? '')
          ? userFacingStrings(v, `${where}.${k}`)
          : userFacingStrings(v, `${where}.${k}`, k),
    );
  }
  return [];
}

/** Every %key% anywhere in the manifest. */
function placeholders(value: unknown): string[] {
  if (typeof value === 'string') {
    const m = PLACEHOLDER.exec(value);
    return m ? [m[1]] : [];
  }
  if (Array.isArray(value)) return value.flatMap(placeholders);
  if (value && typeof value === 'object') return Object.values(value).flatMap(placeholders);
  return [];
}

describe('package.json and package.nls.json', () => {
  const found = [
    ...userFacingStrings(manifest.contributes, 'contributes').filter(
      (f) => !IDENTIFIER.test(f.where),
    ),
    { where: 'displayName', text: String(manifest.displayName) },
    { where: 'description', text: String(manifest.description) },
  ];

  it('find the user-facing fields (the walk itself works)', () => {
    // A walk that found nothing would make the next test pass on any manifest.
    const where = found.map((f) => f.where);
    assert.ok(where.includes('contributes.commands[0].title'), where.join('\n'));
    assert.ok(where.includes('contributes.commands[0].category'));
    assert.ok(
      where.some((w) => /properties\.mqttScope\.connections\.items\.properties\.tls\./.test(w)),
    );
    assert.ok(where.some((w) => /enumDescriptions\[1\]$/.test(w)));
    assert.ok(where.some((w) => /walkthroughs\[0\]\.steps\[\d\]\.description$/.test(w)));
    assert.ok(where.some((w) => /viewsWelcome\[0\]\.contents$/.test(w)));
    assert.ok(found.length > 80, `only ${found.length} user-facing strings found`);
  });

  it('leave no user-facing string raw: each is a %key%', () => {
    const raw = found.filter((f) => !PLACEHOLDER.test(f.text));
    assert.deepEqual(
      raw.map((f) => `${f.where}: ${f.text}`),
      [],
      'move these into package.nls.json',
    );
  });

  it('define every %key% the manifest uses, as non-empty text', () => {
    for (const key of placeholders(manifest)) {
      assert.equal(typeof nls[key], 'string', `package.nls.json has no "${key}"`);
      assert.ok((nls[key] as string).trim().length > 0, `"${key}" is empty`);
    }
  });

  it('use every key package.nls.json defines', () => {
    const used = new Set(placeholders(manifest));
    assert.deepEqual(
      Object.keys(nls).filter((k) => !used.has(k)),
      [],
      'keys no manifest field uses',
    );
  });

  it('resolve the palette titles to the English words users know', () => {
    const commands = (manifest.contributes as { commands: { command: string; title: string }[] })
      .commands;
    const title = (id: string) => {
      const c = commands.find((x) => x.command === id);
      return c ? nls[PLACEHOLDER.exec(c.title)?.[1] ?? ''] : undefined;
    };
    assert.equal(title('mqttScope.publish'), 'Publish');
    assert.equal(title('mqttScope.openMessageLog'), 'Open Message Log');
    assert.equal(nls['command.category'], 'MQTT');
  });
});

describe('the lint rule for text in src/extension', () => {
  // What a person would write by habit, and what the rule must say about it.
  const probe = [
    "import * as vscode from 'vscode';",
    "import { showInfo } from './notify';",
    'export function probe(name: string, n: number, item: vscode.StatusBarItem): void {',
    '  void vscode.window.showInformationMessage(`Connected to ${name}`);', // 4: raw
    "  void showInfo(n > 1 ? 'many things' : vscode.l10n.t('one thing'));", // 5: raw branch
    '  void vscode.l10n.t(`Hi ${name}`);', // 6: not extractable
    '  item.text = `$(broadcast) ${name}`;', // 7: an icon and data: fine
    "  item.tooltip = 'Click to connect';", // 8: raw
    "  void vscode.window.showQuickPick([{ label: name, description: 'recent' }], {", // 9: raw
    '    placeHolder: `Pick one of ${n}`,', // 10: raw
    '  });',
    "  void vscode.window.showInputBox({ prompt: vscode.l10n.t('Name of {0}', name), title: name });",
    "  const tree = new vscode.TreeItem('Subscriptions');", // 13: raw
    '  void tree;',
    '}',
  ].join('\n');

  it('flags raw words in notifications, pickers, status bar and tree items, and nothing else', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: root });
    const [result] = await eslint.lintText(probe, {
      filePath: path.join(root, 'src/extension/probe.ts'),
    });
    const lines = result.messages
      .filter((m) => m.ruleId === 'no-restricted-syntax')
      .map((m) => m.line);
    assert.deepEqual(
      [...new Set(lines)].sort((a, b) => a - b),
      [4, 5, 6, 8, 9, 10, 13],
    );
  });
});
