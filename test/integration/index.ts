// Entry point of the suites that run inside a real VS Code extension host. The workbench loads
// this module (extensionTestsPath = dist/test/integration/index.js) and calls run(); when the
// promise settles, the host exits with 0 or 1.
//
// esbuild bundles this file with `vscode` and `mocha` external. Suites are registered with
// `await import('./x.test.js')` (literal paths; `.js` for TypeScript's Node16 resolution, esbuild
// maps it to the .ts file): esbuild bundles each suite (no file globbing at run time) and
// evaluates it only when that line runs, i.e. after 'pre-require' has put describe/it/before/...
// on globalThis. A top-level import would evaluate the suites before those globals exist.
// To add a suite, add one line to run() below.
import Mocha from 'mocha';
import { format } from 'node:util';

// The host forwards console output to the workbench's log as plain strings, without applying
// printf-style placeholders: mocha's reporters print `'%s%s', indent, title`, which would arrive
// as "%s%s    title". Format here so the harness prints readable lines.
Mocha.reporters.Base.consoleLog = (...data: unknown[]) => console.log(format(...data));

/** Runs mocha over the suites that `register` loads and prints the `N passed, N failed` line. */
export async function runMocha(register: () => Promise<unknown> | void): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  const grep = process.env.MQTT_SCOPE_TEST_GREP;
  if (grep) mocha.grep(grep);
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  await register();

  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passes = runner.stats?.passes ?? 0;
      // The harness (test/integration/run.ts) and CI read this exact line.
      console.log(`${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (passes === 0) reject(new Error('no integration tests ran'));
      else resolve();
    });
  });
}

export function run(): Promise<void> {
  // `run.ts --untrusted`: the folder is open in restricted mode.
  if (process.env.MQTT_SCOPE_TEST_UNTRUSTED)
    return runMocha(async () => {
      await import('./untrusted.test.js');
    });
  return runMocha(async () => {
    await import('./activation.test.js');
    // Before any suite receives a message: the Message Log opens on the first one.
    await import('./firstHour.test.js');
    await import('./connections.test.js');
    await import('./localBroker.test.js');
    await import('./retained.test.js');
    await import('./reliability.test.js');
    await import('./secrets.test.js');
    await import('./trust.test.js');
    await import('./hostileBroker.test.js');
    await import('./commands.test.js');
    await import('./localBrokerCommands.test.js');
    await import('./publishLog.test.js');
    await import('./messageDocuments.test.js');
    await import('./requestResponse.test.js');
    await import('./publishProperties.test.js');
    await import('./decoders.test.js');
    await import('./brokerCapabilities.test.js');
    await import('./packetTrace.test.js');
    await import('./floods.test.js');
    await import('./charts.test.js');
    await import('./sparkplug.test.js');
    await import('./liveTopics.test.js');
    await import('./lmTools.test.js');
    await import('./mqttFileRun.test.js');
    await import('./mqttFileConnect.test.js');
    await import('./saveAsMqttBlock.test.js');
    await import('./mqttFileEditor.test.js');
  });
}
