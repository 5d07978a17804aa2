// MQTT 5 properties from the palette in the real VS Code UI: the user publishes with a content
// type and two user properties of the same key, and the Message Log's detail of the message that
// came back shows them, with the subscription identifier from settings and the subscription it
// stands for. Publish Again offers the same properties again. Its own broker and workbench.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import {
  brokerAndWorkbench,
  openPlantMessageLog,
  pickQuickInputItem,
  runCommand,
  screenshot,
  test,
  typeInQuickInput,
} from './harness';

const TOPIC = 'plant/props/lamp-1';

const env = brokerAndWorkbench('publish-properties', (url) => ({
  'mqttScope.connections': [
    {
      name: 'plant',
      url,
      protocolVersion: 5,
      autoConnect: true,
      subscriptions: [{ topic: 'plant/#', qos: 1, subscriptionIdentifier: 5 }],
    },
  ],
}));

/** Waits until the open quick input's title is `text` (each step is a new quick input). */
const titled = (page: Page, text: string | RegExp) =>
  page.locator('.quick-input-widget .quick-input-title', { hasText: text }).waitFor();

/** The properties list, once it shows `row` with a description matching `description`. */
async function propertiesList(page: Page, row: string, description: RegExp): Promise<void> {
  await titled(page, 'MQTT 5 properties');
  await page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${row}$`) }),
      hasText: description,
    })
    .first()
    .waitFor();
}

async function addUserProperty(page: Page, key: string, value: string): Promise<void> {
  await pickQuickInputItem(page, 'Add user property');
  await titled(page, 'User property: key');
  await typeInQuickInput(page, key);
  await titled(page, `User property "${key}": value`);
  await typeInQuickInput(page, value);
}

test('publishes with a content type and a repeated user property; the detail shows them', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  const step = (n: number) => titled(page, `(${n}/4)`);
  await runCommand(page, 'MQTT: Publish');
  await step(1);
  await typeInQuickInput(page, TOPIC);
  await step(2);
  await typeInQuickInput(page, '{"on":true}');
  await step(3);
  await pickQuickInputItem(page, '1');
  await step(4);
  await pickQuickInputItem(page, 'Not retained');

  await propertiesList(page, 'Publish', /without properties/);
  await pickQuickInputItem(page, 'Content type');
  await titled(page, /^Content type$/);
  // A value the input box refuses says why, and is not taken.
  await typeInQuickInput(page, 'a\u0000b', { submit: false });
  await page.locator('.quick-input-widget .quick-input-message', { hasText: /U\+0000/ }).waitFor();
  await typeInQuickInput(page, 'application/json');
  await propertiesList(page, 'Content type', /application\/json/);
  await addUserProperty(page, 'tag', 'alpha');
  await addUserProperty(page, 'tag', 'beta');
  await propertiesList(page, 'Add user property', /tag=alpha, tag=beta/);
  await propertiesList(page, 'Publish', /with 2 MQTT 5 properties/);
  await screenshot(page, 'publish-properties-step');
  await pickQuickInputItem(page, 'Publish');

  const received = log.locator('.grid-row', { has: log.locator('.dir-in'), hasText: TOPIC });
  await received.first().waitFor({ timeout: 15_000 });
  await received.first().click();
  const props = log.locator('.detail-props');
  await props.waitFor();
  const table = (await props.locator('table.props').textContent()) ?? '';
  assert.match(table, /contentType\s*application\/json/);
  assert.match(table, /user property "tag"\s*alpha\s*user property "tag"\s*beta/);
  const meaning = log.locator('.detail-mqtt5 dd[data-kind="subscription"]');
  assert.equal((await meaning.textContent())?.trim(), '5 → plant/#');
  await screenshot(page, 'publish-properties-detail');

  // Publish Again offers the message's properties (not its subscription identifier).
  await log.getByRole('button', { name: 'Publish Again' }).click();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (const n of [1, 2]) {
    await step(n);
    await input.press('Enter');
  }
  await step(3);
  await input.press('Enter');
  await step(4);
  await input.press('Enter');
  await propertiesList(page, 'Publish', /with 2 MQTT 5 properties/);
  await propertiesList(page, 'Add user property', /tag=alpha, tag=beta/);
  await input.press('Enter');
  const echoes = log.locator('.grid-row', { has: log.locator('.dir-in'), hasText: TOPIC });
  await echoes.nth(1).waitFor({ timeout: 15_000 });
  await echoes.nth(0).click();
  const again = (await log.locator('.detail-props table.props').textContent()) ?? '';
  assert.match(again, /user property "tag"\s*alpha\s*user property "tag"\s*beta/);
});
