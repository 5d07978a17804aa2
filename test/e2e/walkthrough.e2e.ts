// The walkthrough as a new user meets it: every step has a picture of the UI it is about, and
// a step ticks itself when the user did the thing, however they did it — the "Local broker"
// profile connects by itself, with no Connect command run, and Connect is ticked. One test: the
// steps are ticked for good once done, so "nothing ticked yet" holds only before the broker
// starts.
import * as assert from 'node:assert/strict';
import { saveCrop } from './crop';
import {
  localBrokerWorkbench,
  openActivityContainer,
  pickQuickInputItem,
  runCommand,
  screenshot,
  test,
  waitForTreeRow,
} from './harness';

const env = localBrokerWorkbench('walkthrough', {
  // Keep the editor area for the walkthrough.
  'mqttScope.messageLog.openOnFirstMessage': false,
});

async function openWalkthrough(): Promise<void> {
  await runCommand(env.wb.page, 'Welcome: Open Walkthrough...');
  await pickQuickInputItem(env.wb.page, 'Get Started with MQTT Scope');
  await step('connect').waitFor();
}

const step = (id: string) =>
  env.wb.page.locator(`button.getting-started-step[data-step-id$="#${id}"]`).first();
/** The step, once VS Code shows it as done. */
const done = (id: string) =>
  env.wb.page
    .locator(`button.getting-started-step[data-step-id$="#${id}"][aria-checked="true"]`)
    .first();

test('the walkthrough shows a picture for each step; starting the broker ticks "Start" and "Connect" although no Connect command ran', async () => {
  const { page } = env.wb;
  await openWalkthrough();
  assert.equal(await step('connect').getAttribute('aria-checked'), 'false');
  for (const id of ['startBroker', 'connect', 'subscribe', 'publish', 'ownBroker']) {
    await step(id).click();
    const image = page.locator('.getting-started-media img').first();
    await image.waitFor();
    // VS Code sets srcset (the pictures are 1.5x), not src.
    const src = decodeURIComponent((await image.getAttribute('srcset')) ?? '');
    assert.match(src, /media\/walkthrough\/[a-z-]+\.png/, `${id}: ${src}`);
    // Loaded and drawn, not a broken image.
    await page.waitForFunction(
      (el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0,
      await image.elementHandle(),
    );
    const box = await image.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 100, `${id}: the image is not visible`);
  }

  await runCommand(page, 'MQTT: Start Local Broker');
  await openActivityContainer(page, 'MQTT');
  await waitForTreeRow(page, /Local broker\s*connected/);
  // The palette's Escape took the welcome page back to its start: open the walkthrough again.
  await openWalkthrough();
  await done('connect').waitFor();
  assert.equal(await step('startBroker').getAttribute('aria-checked'), 'true');
  // The Local broker's subscription to # is granted: that is subscribing, too.
  await done('subscribe').waitFor();
  assert.equal(await step('publish').getAttribute('aria-checked'), 'false');
  assert.equal(await step('ownBroker').getAttribute('aria-checked'), 'false');

  await step('connect').click();
  const image = page.locator('.getting-started-media img').first();
  await image.waitFor();
  assert.match(decodeURIComponent((await image.getAttribute('srcset')) ?? ''), /connect\.png/);
  assert.ok((await image.getAttribute('alt'))?.includes('connected'));
  await page.mouse.move(1000, 880);
  await screenshot(page, 'walkthrough');

  // The picture for the Subscribe step: the granted subscription under the connection.
  const subs = await waitForTreeRow(page, /Subscriptions\s*1/);
  await subs.click();
  await waitForTreeRow(page, /#\s*QoS 1/);
  await page.mouse.move(1000, 880);
  await saveCrop(page, 'subscribe', page.locator('.part.sidebar'), { maxHeight: 220 });
});
