// Passwords in the real VS Code host against a real Mosquitto over TLS: a saved password is
// bound to what verifies the broker, Forget Password / Forget All Passwords, the password of a
// removed profile deleted, unverified connections marked, a TLS file that is not a PEM file
// refused without freezing the host, and a grep that finds the test password nowhere.
// Prompts and dialogs are answered in the real workbench by the harness (./ui.ts).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import type { Element } from '../../src/extension/views/elements';
import { api, EXTENSION_ID, setConnections, setUserConnections, waitFor } from './helpers';
import { answerPasswordPrompt } from './ui';
import { grepForSecret } from './secretsGrep';

/** Distinctive per run, so the grep cannot be fooled by an earlier run. */
const PASSWORD = `pw-${randomBytes(12).toString('hex')}`;

describe('passwords and TLS trust', function () {
  let broker: MosquittoBroker;
  let caBundle = '';
  const warnings: string[] = [];
  const errors: string[] = [];
  const modals: string[] = [];
  let modalAnswer: string | undefined;
  const restore: (() => void)[] = [];

  const url = () => `mqtts://127.0.0.1:${broker.tlsPort}`;
  const plant = (tls: Record<string, unknown>, name = 'plant') => ({
    name,
    url: url(),
    username: 'alice',
    tls,
  });

  /** Applies profiles and waits until the named sessions are the new ones. */
  async function use(...profiles: Record<string, unknown>[]): Promise<void> {
    const { sessions } = await api();
    const before = new Map(sessions.all().map((s) => [s.name, s]));
    await setConnections(profiles);
    for (const p of profiles) {
      const same = JSON.stringify(before.get(String(p.name))?.profile.tls ?? null);
      await waitFor(`the session of ${String(p.name)}`, () => {
        const s = sessions.get(String(p.name));
        return s && (before.get(s.name) !== s || same === JSON.stringify(s.profile.tls ?? null));
      });
    }
  }

  const connect = (name: string) =>
    vscode.commands.executeCommand<boolean>('mqttScope.connect', name) as Promise<boolean>;
  const disconnect = (name: string) =>
    vscode.commands.executeCommand('mqttScope.disconnect', name) as Promise<void>;

  /** Connects; fails if the connection waits for a password nobody is asked to give. */
  async function connectUnasked(name: string): Promise<void> {
    const outcome = await Promise.race([
      connect(name),
      // A time limit, not a sleep: a connect that waits on a prompt never settles by itself.
      new Promise<string>((r) => setTimeout(() => r('still waiting after 10 s'), 10_000)),
    ]);
    if (outcome !== true) {
      await answerPasswordPrompt(undefined, 1_000);
      assert.fail(`connecting ${name} without a prompt: ${String(outcome)}`);
    }
  }

  /** Connects with the prompt answered; resolves with the prompt's text. */
  async function connectAsked(name: string, password = PASSWORD): Promise<string> {
    const connected = connect(name);
    const prompt = await answerPasswordPrompt(password);
    assert.ok(prompt.shown, `no password was asked for when connecting ${name}`);
    assert.equal(await connected, true);
    return prompt.text ?? '';
  }

  before(async () => {
    broker = await startMosquitto({
      passwords: { alice: PASSWORD },
      allowAnonymous: false,
      tls: {},
    });
    // Another CA file that still verifies the broker: the same CA plus an unrelated one.
    caBundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-scope-ca-')), 'bundle.pem');
    const { ca, otherCa } = broker.certs!;
    fs.writeFileSync(caBundle, fs.readFileSync(ca, 'utf8') + fs.readFileSync(otherCa, 'utf8'));
    // Notifications are hidden by the test driver, and VS Code skips modal dialogs in
    // extension tests: record what the extension shows, and answer a modal with `modalAnswer`.
    for (const [name, list] of [
      ['showWarningMessage', warnings],
      ['showErrorMessage', errors],
    ] as const) {
      const original = vscode.window[name] as (...a: unknown[]) => Thenable<unknown>;
      const window = vscode.window as unknown as Record<string, unknown>;
      window[name] = (message: string, ...rest: unknown[]) => {
        list.push(message);
        const options = rest[0] as vscode.MessageOptions | undefined;
        if (options?.modal) {
          modals.push(`${message} ${options.detail ?? ''}`);
          return Promise.resolve(modalAnswer);
        }
        return original(message, ...rest);
      };
      restore.push(() => (window[name] = original));
    }
  });

  after(async () => {
    for (const r of restore) r();
    await setConnections([]);
    await setUserConnections(undefined);
    await broker?.stop();
  });

  it('a saved password goes only to a broker verified the same way', async () => {
    await use(plant({ ca: broker.certs!.ca }));
    await connectAsked('plant');
    await disconnect('plant');
    await connectUnasked('plant');
    await disconnect('plant');

    // Same name, user and URL, another CA file: asked again, never given the saved one.
    await use(plant({ ca: caBundle }));
    const connecting = connect('plant');
    const asked = await answerPasswordPrompt(undefined);
    assert.ok(asked.shown, 'the saved password was sent with another tls.ca, without asking');
    assert.equal(await connecting, false);
  });

  it('with verification off, the password is asked every time, and the row warns', async () => {
    const { sessions, tree } = await api();
    await use(plant({ ca: broker.certs!.ca }));
    await connectUnasked('plant');
    await disconnect('plant');

    await use(plant({ rejectUnauthorized: false }));
    const text = await connectAsked('plant');
    assert.match(text, /TLS certificate verification is off/);
    const session = sessions.get('plant')!;
    const element = tree.connectionElement(session) as Element;
    // The tooltip is filled on hover, as VS Code asks for it.
    const item = tree.resolveTreeItem(tree.getTreeItem(element), element);
    assert.match(String(item.description), /^certificate not verified · connected/);
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value.replace(/&nbsp;/g, ' '), /TLS certificate is not verified/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'unlock');
    await waitFor('the warning notification', () =>
      warnings.find((w) => /"plant" connected to .* without verifying its certificate/.test(w)),
    );
    await disconnect('plant');
    await connectAsked('plant');
    await disconnect('plant');
  });

  it('Forget Password and Forget All Passwords, with the count confirmed', async () => {
    await use(plant({ ca: broker.certs!.ca }), plant({ ca: broker.certs!.ca }, 'plant2'));
    await connectUnasked('plant');
    await disconnect('plant');
    const forgotten = await vscode.commands.executeCommand('mqttScope.forgetPassword', 'plant');
    assert.equal(forgotten, 1);
    await connectAsked('plant');
    await disconnect('plant');
    await connectAsked('plant2');
    await disconnect('plant2');

    modalAnswer = undefined; // Cancel
    assert.equal(await vscode.commands.executeCommand('mqttScope.forgetAllPasswords'), 0);
    assert.match(modals.pop() ?? '', /^Forget all 2 saved MQTT passwords\? /);
    modalAnswer = 'Forget All';
    assert.equal(await vscode.commands.executeCommand('mqttScope.forgetAllPasswords'), 2);
    assert.match(modals.pop() ?? '', /^Forget all 2 saved MQTT passwords\? Every connection/);
    for (const name of ['plant', 'plant2']) {
      await connectAsked(name);
      await disconnect(name);
    }
  });

  it('Forget Password is on a row with a user name, and from the palette', async () => {
    await use(plant({ ca: broker.certs!.ca }), { name: 'anonymous', url: url() });
    const { sessions, tree } = await api();
    const row = (name: string) =>
      tree.getTreeItem(tree.connectionElement(sessions.get(name)!) as Element).contextValue ?? '';
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const when = manifest.contributes.menus['view/item/context'].find(
      (m) => m.command === 'mqttScope.forgetPassword',
    )?.when;
    const pattern = new RegExp(/viewItem =~ \/(.+)\/$/.exec(when ?? '')?.[1] ?? '^$');
    assert.match(row('plant'), pattern);
    assert.doesNotMatch(row('anonymous'), pattern);
    // From the palette: the only connection with a user name needs no picking.
    await connectUnasked('plant');
    await disconnect('plant');
    assert.equal(await vscode.commands.executeCommand('mqttScope.forgetPassword'), 1);
    await connectAsked('plant');
    await disconnect('plant');
  });

  it('the password of a profile removed from settings is deleted', async () => {
    const { sessions } = await api();
    await use(plant({ ca: broker.certs!.ca }));
    await connectUnasked('plant');
    await disconnect('plant');
    await use(plant({ ca: broker.certs!.ca }, 'plant2'));
    await waitFor('plant to go', () => !sessions.get('plant'));
    await use(plant({ ca: broker.certs!.ca }));
    await connectAsked('plant');
    await disconnect('plant');
  });

  it('tls.ca /dev/zero with autoConnect: an error naming the file, the host responsive', async () => {
    const { sessions, tree } = await api();
    let lag = 0;
    const ticker = setInterval(() => undefined, 1_000);
    const started = Date.now();
    // About time: a 20 ms timer that fires late measures how long the host was blocked.
    const probe = new Promise<void>((r) =>
      setTimeout(() => {
        lag = Date.now() - started - 20;
        r();
      }, 20),
    );
    // A user profile: one from the folder would first ask before connecting by itself.
    await setUserConnections([
      { name: 'zero', url: url(), tls: { ca: '/dev/zero' }, autoConnect: true },
    ]);
    const session = await waitFor('the zero session', () => sessions.get('zero'));
    await waitFor('the error', () => session.state.kind === 'error');
    await probe;
    clearInterval(ticker);
    assert.ok(lag < 1_000, `the host was blocked for ${lag} ms`);
    const why = 'Cannot read tls.ca "/dev/zero": it is a character device, not a regular file';
    assert.ok(session.state.kind === 'error' && session.state.message.startsWith(why));
    const element = tree.connectionElement(session) as Element;
    // The tooltip is filled on hover, as VS Code asks for it.
    const item = tree.resolveTreeItem(tree.getTreeItem(element), element);
    assert.ok(String(item.description).includes(why), String(item.description));
    await waitFor('the notification', () => errors.find((e) => e.includes('tls.ca "/dev/zero"')));
    // Still answering commands.
    assert.equal(await vscode.commands.executeCommand('mqttScope.forgetAllPasswords'), 0);
  });

  it('the test password is nowhere: logs, settings, state, documents, exports', async () => {
    const { sessions } = await api();
    // Prompt, connect, a refused password, a reconnect with the saved one.
    await use(plant({ ca: broker.certs!.ca }), {
      ...plant({ ca: broker.certs!.ca }, 'bob'),
      username: 'bob',
    });
    await connectAsked('plant');
    const refused = connect('bob');
    assert.ok((await answerPasswordPrompt(PASSWORD)).shown);
    assert.equal(await refused, false);
    await waitFor('the refusal notification', () =>
      errors.find((e) => /password for bob forgotten/.test(e)),
    );
    const session = sessions.get('plant')!;
    await vscode.commands.executeCommand('mqttScope.dropConnection', 'plant');
    await waitFor('the reconnect', () => session.state.kind === 'reconnecting');
    await waitFor('connected again', () => session.state.kind === 'connected', 15_000);
    await disconnect('plant');
    const exported = JSON.stringify(
      sessions.all().map((s) => ({ profile: s.profile, state: s.state, target: s.target })),
    );
    const found = await grepForSecret(PASSWORD, {
      texts: {
        'the exported sessions': exported,
        ...Object.fromEntries(
          vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d.getText()]),
        ),
      },
      outputLogMustContain: '[plant] the connection was dropped on purpose',
    });
    assert.deepEqual(found.hits, [], `the password was found in: ${found.hits.join(', ')}`);
    assert.ok(found.filesSearched > 10, `only ${found.filesSearched} files searched`);
  });
});
