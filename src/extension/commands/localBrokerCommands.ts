/**
 * Start, Stop and Restart Local Broker, Copy Local Broker Password, Start and Stop Demo
 * Devices, Demo Burst: the commands of `LocalBrokerController`.
 */
import { Commands } from '../constants';
import type { LocalBrokerController } from '../localBrokerController';
import type { CommandRegistry } from './registry';

export function defineLocalBrokerCommands(
  registry: CommandRegistry,
  local: LocalBrokerController,
): void {
  registry.define(Commands.startLocalBroker, () => local.start());
  registry.define(Commands.stopLocalBroker, () => local.stop());
  registry.define(Commands.restartLocalBroker, () => local.restart());
  registry.define(Commands.copyLocalBrokerPassword, () => local.copyPassword());
  registry.define(Commands.startDemo, () => local.startDemo());
  registry.define(Commands.stopDemo, () => local.stopDemo());
  registry.define(Commands.demoBurst, ({ rate, seconds }) =>
    local.burst(rate !== undefined && seconds !== undefined ? { rate, seconds } : undefined),
  );
}
