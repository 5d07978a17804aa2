// First real suite: the packaged extension is found by the host, activates without throwing and
// registers every command its manifest promises (a contributed command without a handler shows
// "command not found" to the user).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'mqtt-scope.mqtt-scope';

interface Manifest {
  contributes?: { commands?: { command: string; title: string }[] };
}

describe('activation', () => {
  it(`finds and activates ${EXTENSION_ID}`, async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command listed in contributes.commands', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    assert.ok(declared.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });
});
