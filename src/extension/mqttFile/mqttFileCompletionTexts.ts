/** The words completion shows about keywords and dynamic values, translated. */
import * as vscode from 'vscode';
import type { BlockKeyword, DynamicValueName } from '../../core/mqttFile/mqttFileVocabulary';

/** What each keyword inserts (a snippet) and says. */
export function keywordSnippets(): Record<BlockKeyword, { snippet: string; doc: string }> {
  return {
    PUBLISH: {
      snippet: 'PUBLISH ${1:topic}',
      doc: vscode.l10n.t('Publishes the body on a topic.'),
    },
    EXPECT: {
      snippet: 'EXPECT ${1:filter} WITHIN ${2:2s}',
      doc: vscode.l10n.t(
        'Subscribes now; passes when what must arrive arrived within the time. Put it before the PUBLISH it checks.',
      ),
    },
    REQUEST: {
      snippet: 'REQUEST ${1:topic} WITHIN ${2:2s}',
      doc: vscode.l10n.t(
        'MQTT 5 request/response: publishes the body with a response topic and correlation data, and waits for the reply.',
      ),
    },
    WAIT: {
      snippet: 'WAIT ${1:1s}',
      doc: vscode.l10n.t(
        'Pauses; without a time, waits until every EXPECT started so far has passed or failed.',
      ),
    },
    CONNECT: {
      snippet: 'CONNECT ${1:device}',
      doc: vscode.l10n.t('Opens a named client with its own client id, will and credentials.'),
    },
    DISCONNECT: {
      snippet: 'DISCONNECT ${1:device}',
      doc: vscode.l10n.t('Closes a named client with DISCONNECT: its will does not fire.'),
    },
    DROP: {
      snippet: 'DROP ${1:device}',
      doc: vscode.l10n.t(
        "Closes a named client's socket without DISCONNECT: the broker publishes its will.",
      ),
    },
  };
}

/** What each dynamic value expands to. */
export function dynamicValueDocs(): Record<DynamicValueName, string> {
  return {
    $timestamp: vscode.l10n.t('The time as Unix seconds.'),
    $isoTimestamp: vscode.l10n.t('The time as an ISO 8601 date-time.'),
    $uuid: vscode.l10n.t('A random UUID.'),
    $randomInt: vscode.l10n.t('A random integer n with min ≤ n < max.'),
    $index: vscode.l10n.t("A REPEAT's iteration: 0, 1, …"),
    $env: vscode.l10n.t('An environment variable of the process.'),
    $secret: vscode.l10n.t(
      "A secret from the editor's secret storage (the command line reads the environment variable of that name).",
    ),
  };
}
