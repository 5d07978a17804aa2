/**
 * The clients of one `.mqtt` run in the editor: the default client is the environment's
 * connection (a session, so everything is logged), else its `broker` (a plain MQTT.js client),
 * else the active connection; CONNECT blocks get plain MQTT.js clients, on the environment's
 * broker or the default connection's when they name none. `closeAll` ends what the run opened
 * and never disconnects the user's connection.
 */
import * as vscode from 'vscode';
import type { MqttEnvironment } from '../../core/mqttFile/environments';
import { mqttJsRunClients } from '../../core/mqttFile/mqttJsRunClients';
import type { RunClient, RunClients } from '../../core/mqttFile/runTypes';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { brokerTarget } from '../../core/trust/brokerTrust';
import { sessionRunClient } from './sessionRunClient';

export interface EditorClientDeps {
  sessions: Pick<SessionManager, 'get'>;
  /** The active connection (the status bar's). */
  active(): MqttSession | undefined;
  /** Connects a session as the Connect command does; false when it could not. */
  connect(session: MqttSession): Promise<boolean>;
  /** Expands an environment's `{{$env …}}` / `{{$secret …}}` password. */
  password(reference: string): Promise<string | undefined>;
}

export function editorRunClients(
  deps: EditorClientDeps,
  environment: { name: string; environment: MqttEnvironment } | undefined,
): RunClients & { closeAll(): Promise<void> } {
  const env = environment?.environment;
  const opened: RunClient[] = [];
  let plain: ReturnType<typeof mqttJsRunClients> | undefined;
  let defaultClient: Promise<RunClient> | undefined;
  let session: MqttSession | undefined;

  const plainClients = async () => {
    if (plain) return plain;
    if (env?.broker) {
      const password = env.password ? await deps.password(env.password) : undefined;
      plain = mqttJsRunClients({
        broker: env.broker,
        protocolVersion: env.protocol,
        username: env.username,
        password,
      });
    } else {
      const s = session ?? chooseSession();
      const p = s.profile;
      plain = mqttJsRunClients({
        broker: `${brokerTarget(p)}${p.protocol.startsWith('ws') ? p.path : ''}`,
        protocolVersion: p.protocolVersion === 4 ? 4 : 5,
      });
    }
    return plain;
  };

  const chooseSession = (): MqttSession => {
    if (env?.connection) {
      const named = deps.sessions.get(env.connection);
      if (!named)
        throw new Error(
          vscode.l10n.t(
            'The environment "{0}" uses the connection "{1}", which is not in mqttScope.connections.',
            environment?.name ?? '',
            env.connection,
          ),
        );
      return named;
    }
    const active = deps.active();
    if (!active)
      throw new Error(
        vscode.l10n.t(
          'There is no connection to run on: add one (MQTT: Add Connection) or choose an environment (MQTT: Select Environment).',
        ),
      );
    return active;
  };

  const makeDefault = async (): Promise<RunClient> => {
    if (env?.broker && !env.connection) return (await plainClients()).defaultClient();
    session = chooseSession();
    const client = await sessionRunClient(session, (s) => deps.connect(s as MqttSession));
    opened.push(client);
    return client;
  };

  return {
    defaultClient: () => (defaultClient ??= makeDefault()),
    connect: async (request) => (await plainClients()).connect(request),
    closeAll: async () => {
      await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
      await plain?.closeAll().catch(() => undefined);
    },
  };
}
