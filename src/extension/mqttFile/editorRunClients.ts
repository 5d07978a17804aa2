/**
 * The clients of one `.mqtt` run in the editor: the default client is the environment's
 * connection (a session, so everything is logged), else its `broker` (a plain MQTT.js client),
 * else the active connection; CONNECT blocks get plain MQTT.js clients. A CONNECT that names no
 * `broker` goes to that same broker as the same user: the connection's username, its password
 * (through the credentials path the session uses: saved, the local broker's own, or asked, at
 * most once a run) and its TLS files; a block with its own `username` / `password` sends only
 * those. A block with its own `broker` gets none of them. `closeAll` ends what the run opened
 * and never disconnects the user's connection.
 */
import * as vscode from 'vscode';
import type { IClientOptions } from 'mqtt';
import type { MqttEnvironment } from '../../core/mqttFile/environments';
import { mqttJsRunClients, type MqttJsDefaults } from '../../core/mqttFile/mqttJsRunClients';
import type { RunClient, RunClients } from '../../core/mqttFile/runTypes';
import type { MqttSession } from '../../core/session/session';
import type { SessionManager } from '../../core/session/sessionManager';
import { brokerTarget } from '../../core/trust/brokerTrust';
import { sessionRunClient } from './sessionRunClient';

export interface EditorClientDeps {
  sessions: Pick<SessionManager, 'get' | 'connectionSetup'>;
  /** The active connection (the status bar's). */
  active(): MqttSession | undefined;
  /** Connects a session as the Connect command does; false when it could not. */
  connect(session: MqttSession): Promise<boolean>;
  /** Expands an environment's `{{$env …}}` / `{{$secret …}}` password. */
  password(reference: string): Promise<string | undefined>;
}

type Plain = ReturnType<typeof mqttJsRunClients>;

/** Plain clients to one broker: as the connection's user, as the block's user, or elsewhere. */
interface PlainClients {
  signedIn: Plain;
  ownCredentials: Plain;
  elsewhere: Plain;
  broker: string;
}

export function editorRunClients(
  deps: EditorClientDeps,
  environment: { name: string; environment: MqttEnvironment } | undefined,
): RunClients & { closeAll(): Promise<void> } {
  const env = environment?.environment;
  const opened: RunClient[] = [];
  // One promise a run: the password is asked for (if at all) once, even when refused.
  let plain: Promise<PlainClients> | undefined;
  let defaultClient: Promise<RunClient> | undefined;
  let session: MqttSession | undefined;

  const plainClients = () => (plain ??= makePlain());

  const makePlain = async (): Promise<PlainClients> => {
    if (env?.broker) {
      const password = env.password ? await deps.password(env.password) : undefined;
      return plainSet({
        broker: env.broker,
        protocolVersion: env.protocol,
        username: env.username,
        password,
      });
    }
    const s = session ?? chooseSession();
    const p = s.profile;
    const setup = await deps.sessions.connectionSetup(s);
    if (setup.kind === 'stale')
      throw new Error(vscode.l10n.t('The connection "{0}" changed during the run.', s.name));
    if (setup.kind !== 'ready') throw new Error(setup.message);
    return plainSet({
      broker: `${brokerTarget(p)}${p.protocol.startsWith('ws') ? p.path : ''}`,
      protocolVersion: p.protocolVersion === 4 ? 4 : 5,
      ...credentialsOf(setup.options),
    });
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
    if (env?.broker && !env.connection) return (await plainClients()).signedIn.defaultClient();
    session = chooseSession();
    const client = await sessionRunClient(session, (s) => deps.connect(s as MqttSession));
    opened.push(client);
    return client;
  };

  return {
    defaultClient: () => (defaultClient ??= makeDefault()),
    connect: async (request) => {
      const clients = await plainClients();
      if (request.broker !== undefined && request.broker !== clients.broker)
        return clients.elsewhere.connect(request);
      if (request.username !== undefined || request.password !== undefined)
        return clients.ownCredentials.connect(request);
      return clients.signedIn.connect(request);
    },
    closeAll: async () => {
      await Promise.all(opened.map((c) => c.close().catch(() => undefined)));
      const clients = await plain?.catch(() => undefined);
      if (!clients) return;
      const { signedIn, ownCredentials, elsewhere } = clients;
      await Promise.all(
        [signedIn, ownCredentials, elsewhere].map((c) => c.closeAll().catch(() => undefined)),
      );
    },
  };
}

function plainSet(defaults: MqttJsDefaults): PlainClients {
  const { username: _user, password: _password, ...noUser } = defaults;
  return {
    broker: defaults.broker,
    signedIn: mqttJsRunClients(defaults),
    ownCredentials: mqttJsRunClients(noUser),
    elsewhere: mqttJsRunClients({
      broker: defaults.broker,
      protocolVersion: defaults.protocolVersion,
    }),
  };
}

/** The user, password and TLS settings of a session's client options. */
function credentialsOf(o: IClientOptions): Omit<MqttJsDefaults, 'broker'> {
  const buffer = (v: unknown) => (Buffer.isBuffer(v) ? v : undefined);
  const out: Omit<MqttJsDefaults, 'broker'> = {
    username: o.username,
    password: o.password === undefined ? undefined : o.password.toString(),
    ca: buffer(o.ca),
    cert: buffer(o.cert),
    key: buffer(o.key),
    rejectUnauthorized: o.rejectUnauthorized,
    servername: o.servername,
  };
  return out;
}
