/**
 * The local broker and the demo devices as the user sees them: commands, settings, messages
 * saying which port was used, and the implicit "Local broker" connection profile that appears
 * while the broker runs.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { showError, showInfo } from './notify';
import { DemoDevices } from '../core/broker/demoDevices';
import { Emitter } from '../core/event';
import { LocalBroker } from '../core/broker/localBroker';
import { realScheduler, type Logger } from '../core/ports';
import { validateProfiles, type ConnectionProfile } from '../core/profile/profile';
import { LOCAL_BROKER_USERNAME, LOCAL_PROFILE_NAME, Settings } from './constants';

export class LocalBrokerController implements vscode.Disposable {
  readonly broker: LocalBroker;
  private demo: DemoDevices | undefined;
  private readonly emitter = new Emitter<void>();
  /** The broker or the demo changed state. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /**
   * Every client of the local broker must give it: made anew each time VS Code starts the
   * extension, kept in memory only (never in settings, secrets or the log).
   */
  private readonly credentials = {
    username: LOCAL_BROKER_USERNAME,
    password: randomBytes(18).toString('base64url'),
  };

  constructor(private readonly logger: Logger) {
    this.broker = new LocalBroker(logger);
    this.disposables.push(this.broker.onDidChangeState(() => this.emitter.fire()));
  }

  get demoRunning(): boolean {
    return this.demo?.isRunning ?? false;
  }

  /** The "Local broker" profile while the broker runs; connects by itself. */
  profiles(): ConnectionProfile[] {
    const state = this.broker.state;
    if (state.kind !== 'running') return [];
    const { profiles } = validateProfiles([
      {
        name: LOCAL_PROFILE_NAME,
        url: `mqtt://127.0.0.1:${state.port}`,
        username: LOCAL_BROKER_USERNAME,
        autoConnect: true,
        subscriptions: [{ topic: '#', qos: 1 }],
      },
    ]);
    return profiles;
  }

  /** The password of the local broker while it runs, for a profile that connects to it. */
  passwordFor(profileName: string, username: string, target: string): string | undefined {
    const state = this.broker.state;
    const own =
      state.kind === 'running' &&
      profileName === LOCAL_PROFILE_NAME &&
      username === LOCAL_BROKER_USERNAME &&
      target === `mqtt://127.0.0.1:${state.port}`;
    return own ? this.credentials.password : undefined;
  }

  /** Starts the broker if needed; resolves with its port, or undefined when it failed. */
  async start(): Promise<number | undefined> {
    const config = vscode.workspace.getConfiguration();
    const wanted = config.get<number>(Settings.localBrokerPort) ?? 1883;
    const websocketPort = config.get<number>(Settings.localBrokerWebsocketPort) ?? 0;
    const requirePassword = config.get<boolean>(Settings.localBrokerRequirePassword) ?? true;
    try {
      const result = await this.broker.start({
        port: wanted,
        websocketPort,
        // Without it, any program on this computer may connect, as to a Mosquitto on 127.0.0.1.
        credentials: requirePassword ? this.credentials : undefined,
      });
      if (!requirePassword)
        this.logger.warn(
          `The local broker accepts clients without a password (${Settings.localBrokerRequirePassword} is false).`,
        );
      const ws = result.wsPort ? vscode.l10n.t(' and ws://127.0.0.1:{0}/mqtt', result.wsPort) : '';
      const note = result.moved
        ? vscode.l10n.t(' (port {0} was taken, so it uses {1})', wanted, result.port)
        : '';
      void showInfo(
        vscode.l10n.t(
          'MQTT: local broker running on mqtt://127.0.0.1:{0}{1}{2}.',
          result.port,
          ws,
          note,
        ),
      );
      return result.port;
    } catch (error) {
      void showError(vscode.l10n.t('MQTT: {0}', (error as Error).message));
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.stopDemo();
    await this.broker.stop();
  }

  /** Stops and starts the broker (and ends the demo); resolves with the new port. */
  async restart(): Promise<number | undefined> {
    await this.stop();
    return this.start();
  }

  async startDemo(): Promise<boolean> {
    const port = this.broker.state.kind === 'running' ? this.broker.state.port : await this.start();
    if (port === undefined) return false;
    if (this.demo?.isRunning) return true;
    this.demo = new DemoDevices({
      url: `mqtt://127.0.0.1:${port}`,
      credentials: this.credentials,
      scheduler: realScheduler,
      logger: this.logger,
    });
    try {
      await this.demo.start();
      this.emitter.fire();
      return true;
    } catch (error) {
      await this.demo.stop();
      void showError(
        vscode.l10n.t('MQTT: the demo devices did not start: {0}', (error as Error).message),
      );
      return false;
    }
  }

  async stopDemo(): Promise<void> {
    const demo = this.demo;
    this.demo = undefined;
    await demo?.stop();
    this.emitter.fire();
  }

  /** For other programs: mosquitto_sub -u mqtt-scope -P <password>. Returns whether it copied. */
  async copyPassword(): Promise<boolean> {
    if (this.broker.state.kind !== 'running') {
      void showError(vscode.l10n.t('MQTT: the local broker is not running.'));
      return false;
    }
    await vscode.env.clipboard.writeText(this.credentials.password);
    void showInfo(
      vscode.l10n.t(
        'MQTT: the local broker password is on the clipboard. Give it with user name "{0}", e.g. mosquitto_sub -h 127.0.0.1 -p {1} -u {0} -P <password> -t "#"; it changes when VS Code restarts.',
        LOCAL_BROKER_USERNAME,
        this.broker.state.port,
      ),
    );
    return true;
  }

  /** A burst of demo traffic: `rate` messages per second for `seconds`, or asked for. */
  async burst(given?: { rate: number; seconds: number }): Promise<void> {
    if (!this.demo?.isRunning && !(await this.startDemo())) return;
    const picked =
      given ??
      (await vscode.window.showQuickPick(
        [
          { label: vscode.l10n.t('1,000 messages/s for 10 s'), rate: 1_000, seconds: 10 },
          { label: vscode.l10n.t('10,000 messages/s for 10 s'), rate: 10_000, seconds: 10 },
          { label: vscode.l10n.t('20,000 messages/s for 30 s'), rate: 20_000, seconds: 30 },
        ],
        { placeHolder: vscode.l10n.t('Burst of demo traffic on demo/burst/0 … demo/burst/999') },
      ));
    if (picked) this.demo?.burst(picked.rate, picked.seconds);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.stop().finally(() => this.broker.dispose());
    this.emitter.dispose();
  }
}
