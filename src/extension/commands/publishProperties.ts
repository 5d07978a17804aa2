/**
 * The last step of Publish on an MQTT 5 connection: publish now, or add properties first —
 * content type, payload format, message expiry, response topic, correlation data, user
 * properties (a key may repeat) and a topic alias. Each value is checked in its input box
 * (`core/session/publishProperties.ts`); an empty box leaves the property out; Escape in a box
 * goes back to the list, Escape in the list cancels the publish.
 */
import * as vscode from 'vscode';
import {
  addUserProperty,
  checkContentType,
  checkMqttString,
  checkResponseTopic,
  correlationDataText,
  parseCorrelationData,
  parseMessageExpiry,
  parseTopicAlias,
  userPropertyPairs,
  type PublishProperties,
} from '../../core/session/publishProperties';
import { visibleLine } from '../../shared/visibleText';

type Action =
  | 'publish'
  | 'contentType'
  | 'payloadFormat'
  | 'messageExpiry'
  | 'responseTopic'
  | 'correlationData'
  | 'userProperty'
  | 'clearUserProperties'
  | 'topicAlias';

interface Item extends vscode.QuickPickItem {
  action: Action;
}

/** The properties to publish with, or undefined when the user cancelled the publish. */
export async function pickPublishProperties(
  topic: string,
  initial: PublishProperties = {},
): Promise<PublishProperties | undefined> {
  let p: PublishProperties = { ...initial };
  for (;;) {
    const picked = await vscode.window.showQuickPick(items(p), {
      title: vscode.l10n.t('MQTT: Publish to "{0}": MQTT 5 properties', topic),
      placeHolder: vscode.l10n.t('Publish now, or add a property first'),
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.action === 'publish') return p;
    p = (await edit(picked.action, p)) ?? p;
  }
}

const notSet = () => vscode.l10n.t('not set');
const shown = (v: string | undefined) => (v === undefined ? notSet() : visibleLine(v, 80));

function items(p: PublishProperties): Item[] {
  const count = Object.values(p).filter((v) => v !== undefined).length;
  const pairs = userPropertyPairs(p.userProperties);
  const list: Item[] = [
    {
      label: vscode.l10n.t('Publish'),
      description:
        count === 0
          ? vscode.l10n.t('without properties')
          : vscode.l10n.t('with {0} MQTT 5 properties', count),
      action: 'publish',
    },
    {
      label: vscode.l10n.t('Content type'),
      description: shown(p.contentType),
      action: 'contentType',
    },
    {
      label: vscode.l10n.t('Payload format'),
      description:
        p.payloadFormatIndicator === undefined
          ? notSet()
          : p.payloadFormatIndicator
            ? vscode.l10n.t('UTF-8 text')
            : vscode.l10n.t('bytes'),
      action: 'payloadFormat',
    },
    {
      label: vscode.l10n.t('Message expiry'),
      description:
        p.messageExpiryInterval === undefined
          ? notSet()
          : vscode.l10n.t('{0} s', p.messageExpiryInterval),
      action: 'messageExpiry',
    },
    {
      label: vscode.l10n.t('Response topic'),
      description: shown(p.responseTopic),
      action: 'responseTopic',
    },
    {
      label: vscode.l10n.t('Correlation data'),
      description: shown(p.correlationData && correlationDataText(p.correlationData)),
      action: 'correlationData',
    },
    {
      label: vscode.l10n.t('Add user property'),
      description:
        pairs.length === 0
          ? notSet()
          : visibleLine(pairs.map(([k, v]) => `${k}=${v}`).join(', '), 120),
      action: 'userProperty',
    },
  ];
  if (pairs.length > 0)
    list.push({ label: vscode.l10n.t('Remove user properties'), action: 'clearUserProperties' });
  list.push({
    label: vscode.l10n.t('Topic alias'),
    description: p.topicAlias === undefined ? notSet() : String(p.topicAlias),
    action: 'topicAlias',
  });
  return list;
}

/** Asks for one value; an empty answer removes the property, Escape keeps it as it was. */
function ask(
  title: string,
  prompt: string,
  value: string | undefined,
  validate: (v: string) => string | undefined,
): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => (v === '' ? undefined : validate(v)),
  });
}

/** The properties after editing one of them; undefined when the user went back unchanged. */
async function edit(action: Action, p: PublishProperties): Promise<PublishProperties | undefined> {
  const set = <K extends keyof PublishProperties>(key: K, v: PublishProperties[K] | undefined) => {
    const next = { ...p };
    if (v === undefined) delete next[key];
    else next[key] = v;
    return next;
  };
  const t = vscode.l10n.t;
  switch (action) {
    case 'contentType': {
      const v = await ask(
        t('Content type'),
        t('A MIME type such as application/json (empty: leave it out)'),
        p.contentType,
        checkContentType,
      );
      return v === undefined ? undefined : set('contentType', v || undefined);
    }
    case 'responseTopic': {
      const v = await ask(
        t('Response topic'),
        t('The topic a responder should answer on (no + or #; empty: leave it out)'),
        p.responseTopic,
        checkResponseTopic,
      );
      return v === undefined ? undefined : set('responseTopic', v || undefined);
    }
    case 'messageExpiry': {
      const v = await ask(
        t('Message expiry'),
        t(
          'Seconds the broker keeps the message for subscribers that have not got it yet (empty: no expiry)',
        ),
        p.messageExpiryInterval?.toString(),
        (s) => parseMessageExpiry(s).error,
      );
      return v === undefined
        ? undefined
        : set('messageExpiryInterval', v ? parseMessageExpiry(v).value : undefined);
    }
    case 'topicAlias': {
      const v = await ask(
        t('Topic alias'),
        t(
          "A number from 1 to the broker's Topic Alias Maximum: the broker remembers this topic under the number for this connection (empty: none)",
        ),
        p.topicAlias?.toString(),
        (s) => parseTopicAlias(s).error,
      );
      return v === undefined
        ? undefined
        : set('topicAlias', v ? parseTopicAlias(v).value : undefined);
    }
    case 'correlationData': {
      const current = p.correlationData && correlationDataText(p.correlationData);
      const v = await ask(
        t('Correlation data'),
        t(
          'Text as typed, or hex: followed by hex digits for bytes, e.g. hex:0a1b2c (empty: leave it out)',
        ),
        current,
        (s) => parseCorrelationData(s).error,
      );
      return v === undefined
        ? undefined
        : set('correlationData', v ? parseCorrelationData(v).value : undefined);
    }
    case 'payloadFormat': {
      const picked = await vscode.window.showQuickPick(
        [
          { label: t('UTF-8 text'), description: t('payload format indicator 1'), value: true },
          { label: t('Bytes'), description: t('payload format indicator 0'), value: false },
          {
            label: t('Leave out'),
            description: t('no payload format indicator'),
            value: undefined,
          },
        ],
        { title: t('Payload format'), ignoreFocusOut: true },
      );
      return picked === undefined ? undefined : set('payloadFormatIndicator', picked.value);
    }
    case 'userProperty': {
      const check = (what: string) => (s: string) => checkMqttString(s, what);
      const key = await vscode.window.showInputBox({
        title: t('User property: key'),
        prompt: t('The key; the same key may be given more than once'),
        ignoreFocusOut: true,
        validateInput: (s) => (s === '' ? t('A key is needed.') : check('user property key')(s)),
      });
      if (key === undefined) return undefined;
      const value = await vscode.window.showInputBox({
        title: t('User property "{0}": value', visibleLine(key, 80)),
        prompt: t('The value (may be empty)'),
        ignoreFocusOut: true,
        validateInput: check('user property value'),
      });
      if (value === undefined) return undefined;
      return set('userProperties', addUserProperty(p.userProperties, key, value));
    }
    case 'clearUserProperties':
      return set('userProperties', undefined);
    case 'publish':
      return undefined;
  }
}
