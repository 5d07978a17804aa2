/** A validated connection profile with every field at its default, for tests to vary. */
import type { ConnectionProfile } from '../../src/core/profile/profile';

export function testProfile(overrides: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return {
    name: 'p',
    protocol: 'mqtt',
    host: 'broker.example',
    port: 1883,
    path: '/mqtt',
    protocolVersion: 5,
    keepalive: 60,
    clean: true,
    subscriptions: [],
    autoConnect: false,
    connectTimeout: 10,
    ...overrides,
  };
}
