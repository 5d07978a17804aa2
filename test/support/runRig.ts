/**
 * The runner on virtual time over the in-memory broker, with fixed environment values
 * (`HOME_TOPIC`), secrets (`PW`) and files (`file:<path>`), for the runner's unit tests.
 */
import { runMqttFile } from '../../src/core/mqttFile/runner';
import type { MqttFile } from '../../src/core/mqttFile/mqttFileAst';
import type { FileResult, RunOptions } from '../../src/core/mqttFile/runTypes';
import { MemoryRunClients } from './memoryRunClients';
import { VirtualClock } from './virtualClock';

export function runRig(protocolVersion: 4 | 5 = 5) {
  const clock = new VirtualClock();
  const clients = new MemoryRunClients(clock, protocolVersion);
  const run = (file: MqttFile, o: Partial<RunOptions> = {}): Promise<FileResult> =>
    clock.run(
      runMqttFile(file, {
        clients,
        scheduler: clock,
        variables: {},
        env: (name) => (name === 'HOME_TOPIC' ? 'env/topic' : undefined),
        secret: (name) => Promise.resolve(name === 'PW' ? 's3cret' : undefined),
        readFile: (path) => Promise.resolve(new TextEncoder().encode(`file:${path}`)),
        ...o,
      }),
    );
  const payloads = () =>
    clients.broker.published.map((p) => new TextDecoder().decode(p.message.payload));
  return { clock, clients, run, payloads };
}

export const statuses = (r: FileResult) => r.results.map((x) => x.status);
