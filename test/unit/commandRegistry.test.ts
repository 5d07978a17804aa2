/**
 * The command registry: it covers exactly the manifest's commands, registers each with the host
 * once, runs the typed function for internal callers and for VS Code alike, and refuses a bad
 * argument with an error naming the command and the argument, without running the command.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { commandArgParsers } from '../../src/extension/commands/commandArgs';
import { CommandArgumentError } from '../../src/extension/commands/argChecks';
import { CommandRegistry } from '../../src/extension/commands/registry';
import { Commands, type CommandId } from '../../src/extension/constants';
import { FakeCommandHost } from './fakes/commandHost';

const manifest = JSON.parse(
  fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'),
) as { contributes: { commands: { command: string }[] } };
const declared = manifest.contributes.commands.map((c) => c.command).sort();

/** A registry with every command defined; each run records its typed argument. */
function fullRegistry() {
  const calls: { id: CommandId; args: unknown }[] = [];
  const registry = new CommandRegistry();
  for (const id of Object.keys(commandArgParsers) as CommandId[])
    registry.define(id, ((args: unknown) => {
      calls.push({ id, args });
      return `ran ${id}`;
    }) as never);
  return { registry, calls };
}

describe('command registry', () => {
  it('has a parser for exactly the commands of package.json (none missing, none extra)', () => {
    assert.deepEqual(Object.keys(commandArgParsers).sort(), declared);
  });

  it('registers exactly the manifest commands with VS Code, each once', () => {
    const { registry } = fullRegistry();
    const host = new FakeCommandHost();
    const disposables = registry.registerAll(host);
    assert.deepEqual(host.ids().sort(), declared);
    for (const d of disposables) d.dispose();
    assert.deepEqual(host.ids(), []);
  });

  it('refuses to register while a command has no definition, naming it', () => {
    const registry = new CommandRegistry();
    registry.define(Commands.showLog, () => undefined);
    assert.throws(() => registry.registerAll(new FakeCommandHost()), /mqttScope\.connect/);
  });

  it('refuses a second definition of the same command', () => {
    const registry = new CommandRegistry();
    registry.define(Commands.showLog, () => undefined);
    assert.throws(() => registry.define(Commands.showLog, () => undefined), /defined twice/);
  });

  it('runs the typed function for internal callers, without parsing', async () => {
    const { registry, calls } = fullRegistry();
    const args = { target: { connection: 'plant' }, topic: 't', edit: true };
    assert.equal(await registry.run(Commands.publish, args), 'ran mqttScope.publish');
    assert.deepEqual(calls, [{ id: Commands.publish, args }]);
  });

  it('parses what VS Code passes before running the command', async () => {
    const { registry, calls } = fullRegistry();
    const host = new FakeCommandHost();
    registry.registerAll(host);
    await host.execute(Commands.connect, 'plant');
    await host.execute(Commands.connect);
    assert.deepEqual(calls, [
      { id: Commands.connect, args: { target: { connection: 'plant' } } },
      { id: Commands.connect, args: { target: undefined } },
    ]);
  });

  it('rejects a bad argument naming the command and the argument, and does not run it', async () => {
    const calls: CommandId[] = [];
    const warnings: string[] = [];
    const logged = new CommandRegistry({
      info: () => undefined,
      debug: () => undefined,
      error: () => undefined,
      warn: (m) => warnings.push(m),
    });
    for (const id of Object.keys(commandArgParsers) as CommandId[])
      logged.define(id, (() => calls.push(id)) as never);
    const host = new FakeCommandHost();
    logged.registerAll(host);
    await assert.rejects(
      host.execute(Commands.publish, { connection: 'plant', qos: 3 }),
      (error: unknown) =>
        error instanceof CommandArgumentError &&
        error.command === Commands.publish &&
        error.argument === 'qos' &&
        error.message === 'mqttScope.publish: the argument "qos" must be 0, 1 or 2, not 3',
    );
    assert.deepEqual(calls, []);
    assert.deepEqual(warnings, ['mqttScope.publish: the argument "qos" must be 0, 1 or 2, not 3']);
  });

  it('fails to run a command that was never defined', async () => {
    await assert.rejects(new CommandRegistry().run(Commands.showLog, {}), /not defined/);
  });
});
