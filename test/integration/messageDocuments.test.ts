// "Open in Editor" inside the real VS Code host: the document a stored message opens as
// (`mqtt-message:` scheme), read through VS Code's own content provider. A binary payload
// received from a real broker (an in-process aedes) is a hex dump in the shared layout
// (src/shared/hex.ts), the same lines the Message Log's detail pane shows in columns.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import type { MessageStore } from '../../src/core/store/messageStore';
import { api, setConnections, waitFor } from './helpers';

const NAME = 'it-documents';

describe('Open in Editor', function () {
  let aedes: AedesBroker;
  let store: MessageStore;

  before(async () => {
    aedes = await startAedes();
    const { sessions, messageLog } = await api();
    store = messageLog.store;
    await setConnections([
      {
        name: NAME,
        url: `mqtt://127.0.0.1:${aedes.port}`,
        protocolVersion: 4,
        subscriptions: [{ topic: 'doc/#', qos: 0 }],
      },
    ]);
    await waitFor('the session', () => sessions.get(NAME));
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.connect', NAME), true);
    const session = sessions.get(NAME);
    await waitFor('the SUBACK', () => session?.subscriptions[0].status.kind === 'granted');
  });

  after(async () => {
    await setConnections([]);
    await aedes?.stop();
  });

  /** Sends `payload` on `topic` from the broker, as a device would; the stored entry's seq. */
  async function deviceSends(topic: string, payload: Buffer): Promise<number> {
    await new Promise<void>((resolve, reject) =>
      aedes.broker.publish(
        { cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false },
        (error?: Error) => (error ? reject(error) : resolve()),
      ),
    );
    const entry = await waitFor(
      'the stored message',
      () => store.page({ limit: 1, filter: { connection: NAME, topicFilter: topic } }).entries[0],
    );
    return entry.seq;
  }

  const documentText = async (seq: number): Promise<string> =>
    (
      await vscode.workspace.openTextDocument(
        vscode.Uri.from({ scheme: 'mqtt-message', path: `/${seq}/doc`, query: `seq=${seq}` }),
      )
    ).getText();

  it('shows a binary payload as a hex dump: offset, two groups of 8 bytes, ASCII', async () => {
    const payload = Buffer.concat([
      Buffer.from('Hello, MQTT!'),
      Buffer.from([0, 0xff, 0x80]),
      Buffer.from('abcdef'),
    ]);
    const seq = await deviceSends(`doc/binary/${Date.now()}`, payload);
    const lines = (await documentText(seq)).split('\n');
    assert.deepEqual(lines, [
      '00000000  48 65 6c 6c 6f 2c 20 4d  51 54 54 21 00 ff 80 61  Hello, MQTT!...a',
      '00000010  62 63 64 65 66                                    bcdef',
    ]);
  });

  it('dumps the first MiB of a larger binary payload and says how much is left out', async () => {
    const payload = Buffer.alloc(1024 * 1024 + 20, 0xff);
    const seq = await deviceSends(`doc/large/${Date.now()}`, payload);
    const lines = (await documentText(seq)).split('\n');
    assert.equal(lines.length, 65_537);
    assert.match(lines[65_535], /^000ffff0 {2}ff ff/);
    assert.equal(lines[65_536], '… 20 more bytes');
  });

  it('shows UTF-8 text as it is', async () => {
    const seq = await deviceSends(`doc/text/${Date.now()}`, Buffer.from('grüße ⟨not a marker⟩'));
    assert.equal(await documentText(seq), 'grüße ⟨not a marker⟩');
  });

  it('pretty-prints JSON, also after a byte-order mark', async () => {
    const seq = await deviceSends(`doc/json/${Date.now()}`, Buffer.from('\uFEFF{"on":true}'));
    assert.equal(await documentText(seq), '{\n  "on": true\n}');
  });
});
