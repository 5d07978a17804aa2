// Payload filters in the real VS Code UI, with the packaged extension: a regular expression runs
// on the worker thread shipped in the .vsix and finds its rows, and one that backtracks without
// end is stopped and reported by the field while the editor stays responsive.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { pahoPublish } from '../support/paho';
import { openPlantMessageLog, plantWorkbench, runCommand, screenshot } from './harness';

const env = plantWorkbench('message-log-filter');

test('a regex filter finds its rows on the worker; a runaway one is stopped and said so', async () => {
  const { page } = env.wb;
  const log = await openPlantMessageLog(page);
  for (const payload of ['alpha 1', 'beta 2', `${'a'.repeat(32)}!`])
    await pahoPublish({
      port: env.broker.port,
      topic: 'plant/line',
      payload,
      qos: 1,
      count: 1,
      protocol: 5,
      timeoutMs: 15_000,
    });
  await log.getByText('3 messages').waitFor({ timeout: 10_000 });

  const field = log.getByRole('textbox', { name: 'Payload text' });
  await log.getByTitle('Use a regular expression').click();
  await field.fill('^(alpha|beta) \\d$');
  await log.getByText('2 of 3 messages').waitFor({ timeout: 10_000 });
  const rows = log.locator('.grid-row', { hasText: 'plant/line' });
  assert.deepEqual(
    (await rows.allTextContents()).map((t) => /(alpha 1|beta 2)/.exec(t)?.[1]),
    ['alpha 1', 'beta 2'],
  );

  await field.fill('(\\w+\\s?)+$');
  await log.getByText(/The filter took longer than \d+ s and was stopped/).waitFor({
    timeout: 30_000,
  });
  // The previous filter's rows stay, and the workbench still answers.
  await log.getByText('2 of 3 messages').waitFor();
  await screenshot(page, 'message-log-filter-stopped');
  await runCommand(page, 'MQTT: Open Message Log');
});
