/**
 * PasswordIndex: the saved passwords listed in global state, shared by workspaces. A profile
 * that leaves one workspace's settings keeps its password while another workspace that used
 * it still has it; the last one to let go deletes the secret.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { PasswordIndex } from '../../src/extension/passwordIndex';

/** Global state and SecretStorage as VS Code shares them between workspaces. */
function sharedStores() {
  const state = new Map<string, unknown>();
  const secrets = new Map<string, string>();
  const memento = {
    get: (key: string) => state.get(key),
    update: async (key: string, value: unknown) => void state.set(key, value),
    keys: () => [...state.keys()],
  } as unknown as vscode.Memento;
  const storage = {
    get: async (key: string) => secrets.get(key),
    store: async (key: string, value: string) => void secrets.set(key, value),
    delete: async (key: string) => void secrets.delete(key),
  } as unknown as vscode.SecretStorage;
  return { secrets, open: (workspace: string) => new PasswordIndex(memento, storage, workspace) };
}

const plant = { profile: 'plant', user: 'alice', target: 'mqtts://plant.example:8883' };
const lab = { profile: 'lab', user: 'bob', target: 'mqtt://lab.example:1883' };

describe('PasswordIndex', () => {
  it('a removed profile keeps its password while another workspace has it', async () => {
    const { secrets, open } = sharedStores();
    const a = open('file:///a');
    const b = open('file:///b');
    await a.store('k-plant', plant, 'secret');
    await b.store('k-plant', plant, 'secret');
    await a.store('k-lab', lab, 'other');
    assert.equal(await a.prune([lab]), 0, 'b still has plant');
    assert.equal(secrets.get('k-plant'), 'secret');
    assert.deepEqual(a.all().find((e) => e.key === 'k-plant')?.workspaces, ['file:///b']);
    assert.equal(await b.prune([]), 1);
    assert.equal(secrets.has('k-plant'), false);
    assert.equal(secrets.get('k-lab'), 'other', "b never had lab: a's password stays");
  });

  it('a profile whose broker changed lets go of the old password', async () => {
    const { secrets, open } = sharedStores();
    const a = open('file:///a');
    await a.store('k-plant', plant, 'secret');
    assert.equal(await a.prune([{ ...plant, target: 'mqtts://elsewhere:8883' }]), 1);
    assert.equal(secrets.size, 0);
  });

  it('forget deletes what it selects and says how many', async () => {
    const { secrets, open } = sharedStores();
    const a = open('file:///a');
    await a.store('k-plant', plant, 'secret');
    await a.store('k-plant-2', plant, 'secret, another CA');
    await a.store('k-lab', lab, 'other');
    assert.equal(await a.forget((e) => e.profile === 'plant' && e.user === 'alice'), 2);
    assert.deepEqual([...secrets.keys()], ['k-lab']);
    assert.equal(await a.forget(() => true), 1);
    assert.deepEqual(a.all(), []);
  });
});
