/**
 * Connection profiles as users write them in `mqttScope.connections`, and their validation.
 * Validation never throws: it returns the valid profiles plus one problem per mistake, each
 * naming the setting path, so one bad profile never takes the others down.
 */
import { describe, isObj, ProfileReader, type Obj } from './profileReader';
import { readEndpoint, readProtocolVersion } from './profileEndpoint';
import { schemaProblems } from './profileSchema';
import { readSubscriptions, readTls, readWill } from './profileSections';

export { describe } from './profileReader';
export { DEFAULT_PORTS, PROTOCOL_VERSION_DEFAULT } from './profileEndpoint';

export type {
  Transport,
  QoS,
  ProtocolVersion,
  SubscriptionSpec,
  TlsOptions,
  WillSpec,
  WillProperties,
  ConnectionProfile,
  ProfileProblem,
  ValidationResult,
} from './profileTypes';
import type { ConnectionProfile, ProfileProblem, ValidationResult } from './profileTypes';

export interface ValidationOptions {
  /** Names kept for profiles the extension makes itself (compared trimmed, ignoring case). */
  reservedNames?: readonly string[];
}

export function validateProfiles(
  raw: unknown,
  settingPath = 'mqttScope.connections',
  options: ValidationOptions = {},
): ValidationResult {
  const reserved = new Set((options.reservedNames ?? []).map((n) => n.trim().toLowerCase()));
  const problems: ProfileProblem[] = [];
  const profiles: ConnectionProfile[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) {
    problems.push({
      path: settingPath,
      message: `Must be an array of connection profiles, not ${describe(raw)}.`,
    });
    return { profiles, problems };
  }
  const seen = new Map<string, number>();
  raw.forEach((entry, index) => {
    const base = `${settingPath}[${index}]`;
    if (!isObj(entry)) {
      problems.push({
        path: base,
        message: `A connection profile must be an object, not ${describe(entry)}.`,
      });
      return;
    }
    const name =
      typeof entry.name === 'string' && entry.name.trim() ? entry.name.trim() : undefined;
    if (name !== undefined && reserved.has(name.toLowerCase())) {
      problems.push({
        path: `${base}.name`,
        message: `The name "${name}" is reserved for the connection MQTT Scope makes to its built-in broker; choose another name.`,
        profileName: name,
      });
      return;
    }
    if (name !== undefined && seen.has(name)) {
      problems.push({
        path: `${base}.name`,
        message: `The name "${name}" is already used by ${settingPath}[${seen.get(name)}]; names must be unique.`,
        profileName: name,
      });
      return;
    }
    if (name !== undefined) seen.set(name, index);
    const found: ProfileProblem[] = schemaProblems(entry).map(({ key, message }) => ({
      path: key ? `${base}.${key}` : base,
      message,
      profileName: name,
    }));
    // Then what the schema cannot say; a path the schema already reported is not reported twice.
    const semantic: ProfileProblem[] = [];
    const profile = readProfile(new ProfileReader(entry, base, semantic, name), entry);
    const reported = new Set(found.map((p) => p.path));
    found.push(...semantic.filter((p) => !reported.has(p.path)));
    problems.push(...found);
    if (profile && found.length === 0) profiles.push(profile);
  });
  return { profiles, problems };
}

function readProfile(r: ProfileReader, raw: Obj): ConnectionProfile | undefined {
  // Trimmed, as the duplicate check in validateProfiles trims it.
  const name = r.string('name')?.trim();
  const endpoint = readEndpoint(r, raw);
  const protocolVersion = readProtocolVersion(raw.protocolVersion);
  const sessionExpiryInterval = r.int('sessionExpiryInterval');
  if (raw.sessionExpiryInterval !== undefined && protocolVersion === 4) {
    r.problem(
      'sessionExpiryInterval',
      '"sessionExpiryInterval" is an MQTT 5 property; set "protocolVersion": 5 or remove it.',
    );
  }
  const clientId = r.string('clientId');
  if (clientId !== undefined && Buffer.byteLength(clientId) > 65_535) {
    r.problem('clientId', 'The client id is longer than 65,535 bytes.');
  }
  const subscriptions = readSubscriptions(r, raw.subscriptions, protocolVersion);
  const tls = readTls(r, raw.tls, endpoint?.protocol);
  const will = readWill(r, raw.will, protocolVersion);
  if (!name || !endpoint) return undefined;
  return {
    name,
    ...endpoint,
    clientId,
    protocolVersion,
    keepalive: r.int('keepalive') ?? 60,
    clean: r.bool('clean', true),
    sessionExpiryInterval,
    username: r.string('username'),
    subscriptions,
    autoConnect: r.bool('autoConnect', false),
    ...(r.bool('packetTrace', false) ? { packetTrace: true } : {}),
    connectTimeout: r.int('connectTimeout') ?? 10,
    tls,
    will,
  };
}
