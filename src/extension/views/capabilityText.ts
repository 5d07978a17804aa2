/**
 * What the broker allows, as the user reads it: one row per CONNACK capability, each marked
 * when it is the protocol's default rather than something the broker sent. The connection's
 * tooltip (on hover) and Show Broker Capabilities show the same rows.
 */
import * as vscode from 'vscode';
import type { BrokerCapabilities, CapabilityName } from '../../core/session/brokerCapabilities';
import type { MqttSession } from '../../core/session/session';
import { formatCount } from '../../shared/counts';
import { visibleLine } from '../../shared/visibleText';

export interface CapabilityRow {
  label: string;
  value: string;
  /** Where the value comes from: sent by the broker, or the protocol's default. */
  source: string;
}

const locale = () => vscode.env.language;
const yesNo = (value: boolean) => (value ? vscode.l10n.t('yes') : vscode.l10n.t('no'));
const count = (n: number) => formatCount(n, locale());
/** Broker text shown on one line, invisible characters as markers; at most 200 characters. */
const brokerText = (text: string) => visibleLine(text, 200);

export function capabilityRows(caps: BrokerCapabilities): CapabilityRow[] {
  const v5 = caps.protocolVersion === 5;
  const source = (name: CapabilityName) =>
    caps.announced.includes(name)
      ? vscode.l10n.t('sent by the broker')
      : v5
        ? vscode.l10n.t('MQTT 5 default (not sent)')
        : vscode.l10n.t('MQTT 3.1.1 (no CONNACK properties)');
  const row = (label: string, value: string, name: CapabilityName): CapabilityRow => ({
    label,
    value,
    source: source(name),
  });
  const rows: CapabilityRow[] = [
    row(vscode.l10n.t('Maximum QoS'), String(caps.maximumQoS), 'maximumQoS'),
    row(vscode.l10n.t('Retained messages'), yesNo(caps.retainAvailable), 'retainAvailable'),
    row(
      vscode.l10n.t('Maximum packet size'),
      caps.maximumPacketSize !== undefined
        ? vscode.l10n.t('{0} bytes', count(caps.maximumPacketSize))
        : vscode.l10n.t('no limit but the protocol (256 MiB)'),
      'maximumPacketSize',
    ),
    row(vscode.l10n.t('Receive maximum'), count(caps.receiveMaximum), 'receiveMaximum'),
    row(
      vscode.l10n.t('Topic alias maximum'),
      caps.topicAliasMaximum === 0
        ? vscode.l10n.t('0 (no topic aliases)')
        : count(caps.topicAliasMaximum),
      'topicAliasMaximum',
    ),
    row(
      vscode.l10n.t('Wildcard subscriptions'),
      yesNo(caps.wildcardSubscriptionAvailable),
      'wildcardSubscriptionAvailable',
    ),
    row(
      vscode.l10n.t('Shared subscriptions'),
      yesNo(caps.sharedSubscriptionAvailable),
      'sharedSubscriptionAvailable',
    ),
    row(
      vscode.l10n.t('Subscription identifiers'),
      yesNo(caps.subscriptionIdentifiersAvailable),
      'subscriptionIdentifiersAvailable',
    ),
    {
      label: vscode.l10n.t('Keep alive'),
      value: vscode.l10n.t('{0} s', caps.keepAlive),
      source: caps.announced.includes('serverKeepAlive')
        ? vscode.l10n.t('sent by the broker (Server Keep Alive)')
        : vscode.l10n.t("the profile's keepalive"),
    },
  ];
  if (caps.sessionExpiryInterval !== undefined)
    rows.push({
      label: vscode.l10n.t('Session expiry'),
      value: vscode.l10n.t('{0} s', count(caps.sessionExpiryInterval)),
      source: caps.announced.includes('sessionExpiryInterval')
        ? vscode.l10n.t('sent by the broker')
        : vscode.l10n.t('as asked in CONNECT'),
    });
  const sent = vscode.l10n.t('sent by the broker');
  const text = (label: string, value: string | undefined) => {
    if (value !== undefined) rows.push({ label, value: brokerText(value), source: sent });
  };
  text(vscode.l10n.t('Assigned client id'), caps.assignedClientIdentifier);
  text(vscode.l10n.t('Response information'), caps.responseInformation);
  text(vscode.l10n.t('Server reference'), caps.serverReference);
  text(vscode.l10n.t('Reason string'), caps.reasonString);
  for (const [name, value] of caps.userProperties ?? [])
    text(vscode.l10n.t('User property {0}', brokerText(name)), value);
  return rows;
}

/** Appends what the broker allows to a connection's tooltip; nothing while not connected. */
export function appendCapabilities(tooltip: vscode.MarkdownString, session: MqttSession): void {
  const caps = session.capabilities;
  if (!caps) return;
  const lines = capabilityRows(caps).map((r) => vscode.l10n.t('{0}: {1}', r.label, r.value));
  tooltip.appendText(
    `\n\n${vscode.l10n.t('What the broker allows (CONNACK):')}\n${lines.join('\n')}`,
  );
}

/** The read-only document of Show Broker Capabilities: a heading, then a Markdown table. */
export function capabilitiesDocument(session: MqttSession): string {
  const caps = session.capabilities;
  const title = `# ${vscode.l10n.t('What the broker of "{0}" allows', session.name)}`;
  const version = session.profile.protocolVersion === 5 ? 'MQTT 5.0' : 'MQTT 3.1.1';
  if (!caps)
    return `${title}\n\n${vscode.l10n.t('"{0}" is not connected. Connect it to read what its broker allows from the CONNACK.', session.name)}\n`;
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
  const header = [vscode.l10n.t('Capability'), vscode.l10n.t('Value'), vscode.l10n.t('Source')];
  const table = [
    `| ${header.join(' | ')} |`,
    '|---|---|---|',
    ...capabilityRows(caps).map((r) => `| ${cell(r.label)} | ${cell(r.value)} | ${r.source} |`),
  ];
  const about = vscode.l10n.t(
    '{0} · {1} · client id {2} · CONNACK at {3} · session present: {4}',
    session.target,
    version,
    session.clientId,
    new Date(caps.receivedAt).toLocaleTimeString(),
    yesNo(caps.sessionPresent),
  );
  const refusals = vscode.l10n.t(
    'MQTT Scope refuses, before sending, a publish or subscription this broker said it does not allow.',
  );
  return `${title}\n\n${about}\n\n${table.join('\n')}\n\n${refusals}\n`;
}
