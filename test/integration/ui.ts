// Asks the harness (test/integration/uiBridge.ts) to answer a password prompt in the real
// workbench, and waits for what it saw. (Modal dialogs are skipped by VS Code in extension tests.)
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { UiAnswer, UiRequest } from './uiBridge';

const UI_REQUEST = '[mqtt-scope-test:ui] ';
let seq = 0;
const answers = fs.mkdtempSync(path.join(os.tmpdir(), 'mqtt-scope-ui-'));

async function request(req: Omit<UiRequest, 'id' | 'dir'>): Promise<UiAnswer> {
  const id = `${process.pid}-${++seq}`;
  const file = path.join(answers, `${id}.json`);
  console.log(`${UI_REQUEST}${JSON.stringify({ ...req, id, dir: answers })}`);
  const deadline = Date.now() + req.waitMs + 15_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the harness did not answer UI request ${id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = JSON.parse(fs.readFileSync(file, 'utf8')) as UiAnswer;
  if (answer.error) throw new Error(`UI request ${id} failed: ${answer.error}`);
  return answer;
}

/** Types `password` into the password prompt (or cancels it when undefined), if one shows. */
export function answerPasswordPrompt(password: string | undefined, waitMs = 10_000) {
  return request({
    action: 'passwordPrompt',
    answerHex: password === undefined ? undefined : Buffer.from(password, 'utf8').toString('hex'),
    waitMs,
  });
}

/** Waits until the panel area (where the Output view docks) shows `text`; what it shows. */
export function panelText(text: string, waitMs = 10_000) {
  return request({
    action: 'panelText',
    containsHex: Buffer.from(text, 'utf8').toString('hex'),
    waitMs,
  });
}
