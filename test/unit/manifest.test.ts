// The ids the code uses and the ones package.json declares must be the same set: a command the
// manifest lists without a handler shows "command not found", and a handler the manifest omits
// is invisible. (src/extension/constants.ts imports nothing from vscode, so it loads here.)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  Commands,
  CONNECTIONS_SETTING,
  MAX_TOPICS_SETTING,
  Settings,
  Views,
  WalkthroughContext,
} from '../../src/extension/constants';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    configuration: {
      properties: Record<string, { description?: string; markdownDescription?: string }>;
    };
    views: Record<string, { id: string }[]>;
    viewsContainers: Record<string, { id: string }[]>;
    menus: Record<string, { command: string }[]>;
    walkthroughs: {
      id: string;
      steps: {
        id: string;
        media: { image?: string; altText?: string; markdown?: string };
        completionEvents?: string[];
      }[];
    }[];
  };
}

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
) as Manifest;
const c = manifest.contributes;
const nls = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../package.nls.json'), 'utf8'),
) as Record<string, string>;
/** A manifest string as VS Code shows it: `%key%` resolved from package.nls.json. */
const english = (text: string | undefined) =>
  text?.replace(/^%([\w.-]+)%$/, (_, k: string) => nls[k]);

describe('package.json and src/extension/constants.ts', () => {
  it('declare the same commands', () => {
    assert.deepEqual(c.commands.map((x) => x.command).sort(), Object.values(Commands).sort());
  });

  it('give every command the "MQTT" category and a codicon', () => {
    for (const command of c.commands) {
      assert.equal(english(command.category), 'MQTT', command.command);
      assert.match(command.icon ?? '', /^\$\([a-z-]+\)$/, command.command);
    }
  });

  it('only reference declared commands in menus', () => {
    const declared = new Set(c.commands.map((x) => x.command));
    for (const [menu, items] of Object.entries(c.menus)) {
      for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
    }
  });

  it('declare every setting the code reads, each with a description', () => {
    const keys = [CONNECTIONS_SETTING, MAX_TOPICS_SETTING, ...Object.values(Settings)];
    assert.deepEqual(Object.keys(c.configuration.properties).sort(), keys.sort());
    for (const [key, schema] of Object.entries(c.configuration.properties)) {
      assert.ok(schema.description || schema.markdownDescription, `${key} has no description`);
    }
  });

  it('declare the views and containers the code registers', () => {
    const views = Object.values(c.views)
      .flat()
      .map((v) => v.id);
    assert.ok(views.includes(Views.connections));
    assert.ok(views.includes(Views.messageLog));
    const containers = Object.values(c.viewsContainers)
      .flat()
      .map((v) => v.id);
    assert.ok(containers.includes(Views.container));
    assert.ok(containers.includes(Views.messageLogContainer));
  });

  it('give every walkthrough step an image of at most 150 KB, with alt text', () => {
    for (const step of c.walkthroughs.flatMap((w) => w.steps)) {
      const { image, altText } = step.media;
      assert.ok(image?.endsWith('.png'), `${step.id} has no image`);
      const file = path.join(__dirname, '../..', image ?? '');
      assert.ok(fs.existsSync(file), `${step.id}: ${image} is missing`);
      assert.ok(fs.statSync(file).size <= 150 * 1024, `${step.id}: ${image} is over 150 KB`);
      assert.ok((altText ?? '').length > 20, `${step.id} has no alt text`);
    }
  });

  it('complete every walkthrough step on a context key the code sets', () => {
    const keys = new Set<string>(Object.values(WalkthroughContext));
    for (const step of c.walkthroughs.flatMap((w) => w.steps)) {
      const events = step.completionEvents ?? [];
      assert.ok(events.length > 0, `${step.id} never completes`);
      for (const event of events) {
        const key = /^onContext:(.+)$/.exec(event)?.[1];
        assert.ok(key && keys.has(key), `${step.id}: ${event} is not set by the code`);
      }
    }
  });
});
