// The Sparkplug view and MQTT: Request Rebirth inside the real VS Code host: the demo's edge node
// is listed online with its device, seq and bdSeq, and a Rebirth request run as the view's
// context menu runs it brings a new NBIRTH and DBIRTH.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { freePort } from '../support/ports';
import { api, setConnections, waitFor } from './helpers';
import type { SparkplugElement } from '../../src/extension/views/sparkplugTree';
import { encodeSparkplugPayload } from '../../src/core/sparkplug/sparkplugCodec';
import { formatTime } from '../../src/shared/clockTime';

const GROUP = 'demo-plant';
const NODE = 'edge-1';

describe('Sparkplug view and Request Rebirth', function () {
  before(async () => {
    await setConnections([]);
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', await freePort(), vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('mqttScope.stopDemo');
    await vscode.commands.executeCommand('mqttScope.stopLocalBroker');
    await vscode.workspace
      .getConfiguration()
      .update('mqttScope.localBroker.port', undefined, vscode.ConfigurationTarget.Global);
  });

  it('lists the demo edge node online, and Request Rebirth brings a new NBIRTH', async () => {
    const { sparkplug, sparkplugTree } = await api();
    const demoNode = () => sparkplug.edgeNodes().find((e) => e.group === GROUP && e.name === NODE);
    const earlier = demoNode()?.bdSeq;
    assert.equal(await vscode.commands.executeCommand<boolean>('mqttScope.startDemo'), true);
    const node = await waitFor(
      'the demo edge node online with its device',
      () => {
        const n = sparkplug.edgeNodes().find((e) => e.group === GROUP && e.name === NODE);
        return n?.state === 'online' && n.devices.get('pump-1')?.state === 'online' ? n : undefined;
      },
      15_000,
    );
    // The view: group → edge node → device.
    const groups = sparkplugTree.getChildren() as SparkplugElement[];
    const group = groups.find((g) => g.group === GROUP);
    assert.ok(group, `no ${GROUP} group in the Sparkplug view`);
    assert.equal(String(sparkplugTree.getTreeItem(group).label), GROUP);
    const nodeRow = (sparkplugTree.getChildren(group) as SparkplugElement[])[0];
    const item = sparkplugTree.getTreeItem(nodeRow);
    assert.equal(String(item.label), NODE);
    // One more than the demo's previous session (another suite may have started it before).
    assert.match(String(item.description), /^online · seq \d+ · bdSeq \d+$/);
    if (earlier !== undefined)
      assert.ok(node.bdSeq! > earlier, `bdSeq ${node.bdSeq} after ${earlier}`);
    assert.equal(item.contextValue, 'sparkplugNode');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.equal(item.command?.command, 'mqttScope.showMessages');
    const device = (sparkplugTree.getChildren(nodeRow) as SparkplugElement[])[0];
    assert.equal(String(sparkplugTree.getTreeItem(device).label), 'pump-1');
    assert.equal(sparkplugTree.getTreeItem(device).description, 'online');

    // As the context menu runs it: with the node's row.
    const lastBirth = node.births.at(-1)!.fromSeq;
    const lastDeviceBirth = node.devices.get('pump-1')!.births.at(-1)!.fromSeq;
    const result = await vscode.commands.executeCommand<{ ok: boolean; topic?: string }>(
      'mqttScope.requestRebirth',
      nodeRow,
    );
    assert.deepEqual(result, { ok: true, topic: `spBv1.0/${GROUP}/NCMD/${NODE}` });
    await waitFor('a new NBIRTH', () => node.births.at(-1)!.fromSeq > lastBirth, 10_000);
    await waitFor(
      'a new DBIRTH',
      () => node.devices.get('pump-1')!.births.at(-1)!.fromSeq > lastDeviceBirth,
      10_000,
    );
    assert.equal(node.seqGaps, 0, node.warnings.map((w) => w.text).join('; '));

    // A half-named node is refused with the argument named.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('mqttScope.requestRebirth', { group: GROUP })),
      /node/,
    );
  });

  it('marks device text in a node tooltip and shows its time as the log does', async () => {
    const { sparkplug, sparkplugTree } = await api();
    const [group, name] = ['plant\u202e', 'edge\u0007'];
    const time = Date.now();
    sparkplug.observe({
      connection: 'hostile-names',
      topic: `spBv1.0/${group}/NBIRTH/${name}`,
      payload: encodeSparkplugPayload({ seq: 0, metrics: [] }),
      time,
    });
    const row: SparkplugElement = {
      kind: 'sparkplugNode',
      connection: 'hostile-names',
      group,
      node: name,
    };
    // appendText escapes Markdown (backslashes, &nbsp;): read it back as the text it shows.
    const markdown = (sparkplugTree.getTreeItem(row).tooltip as vscode.MarkdownString).value;
    const tooltip = markdown.replace(/\\(.)/g, '$1').replace(/&nbsp;/g, ' ');
    assert.ok(!tooltip.includes('\u202e') && !tooltip.includes('\u0007'), tooltip);
    assert.match(tooltip, /plant⟨U\+202E⟩ \/ edge⟨BEL⟩/);
    assert.ok(tooltip.includes(formatTime(time)), tooltip);
  });
});
