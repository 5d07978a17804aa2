/**
 * The built `mqtt-scope` with other peers: a REQUEST answered by a real Paho (Python) responder,
 * its reply captured by `{{lastReply.json.id}}` for the next blocks; Ctrl-C (SIGINT) closes
 * every client cleanly (no will fires, the broker keeps no client) and exits 130.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAedes, type AedesBroker } from '../support/aedesBroker';
import { startMosquitto, type MosquittoBroker } from '../support/mosquitto';
import { startPahoResponder } from '../support/pahoResponder';
import { envFile, printed, runCli, startCli, tempFiles } from './cliProcess';

const REQUEST_FILE = [
  '### the device answers',
  'REQUEST cli/req/status WITHIN 5s',
  'qos: 1',
  'json: $.status == "ok"',
  '',
  '{"cmd": "status"}',
  '',
  '### the acknowledgement carries the captured id',
  'EXPECT cli/ack/{{lastReply.json.id}} WITHIN 2s',
  '',
  'ack {{lastReply.json.id}}',
  '',
  '### acknowledge',
  'PUBLISH cli/ack/{{lastReply.json.id}}',
  '',
  'ack {{lastReply.json.id}}',
  '',
].join('\n');

describe('mqtt-scope with a Paho responder', () => {
  let mosquitto: MosquittoBroker;
  before(async () => {
    mosquitto = await startMosquitto();
  });
  after(async () => mosquitto?.stop());

  it('passes a REQUEST and uses {{lastReply.json.id}} in the next blocks', async () => {
    const responder = startPahoResponder({
      port: mosquitto.port,
      topic: 'cli/req/status',
      qos: 1,
      replyJson: { id: 'order-7', status: 'ok' },
      timeoutMs: 30_000,
    });
    const files = tempFiles({ 'request.mqtt': REQUEST_FILE });
    try {
      await responder.ready;
      const o = await runCli(
        ['run', 'request.mqtt', '--broker', `mqtt://127.0.0.1:${mosquitto.port}`],
        {
          cwd: files.dir,
        },
      );
      assert.equal(o.code, 0, printed(o));
      assert.match(o.stdout, /^ {2}✓ the device answers \(\d+ ms\)$/m);
      assert.match(o.stdout, /^ {2}✓ the acknowledgement carries the captured id/m);
      const answer = await responder.nextAnswer();
      assert.ok(answer.correlationHex, 'the request carried correlation data');
      assert.match(answer.responseTopic, /\S/);
    } finally {
      responder.stop();
      files.remove();
    }
  });

  it('fails the REQUEST when the reply does not match, and says why', async () => {
    const responder = startPahoResponder({
      port: mosquitto.port,
      topic: 'cli/req/status',
      qos: 1,
      replyJson: { id: 'order-8', status: 'busy' },
      timeoutMs: 30_000,
    });
    const files = tempFiles({ 'request.mqtt': REQUEST_FILE });
    try {
      await responder.ready;
      const o = await runCli(
        ['run', 'request.mqtt', '--broker', `mqtt://127.0.0.1:${mosquitto.port}`],
        {
          cwd: files.dir,
        },
      );
      assert.equal(o.code, 1, printed(o));
      assert.match(o.stdout, /^ {2}✗ the device answers/m);
      assert.match(o.stdout, /status/);
    } finally {
      responder.stop();
      files.remove();
    }
  });
});

describe('mqtt-scope interrupted by Ctrl-C', () => {
  let aedes: AedesBroker;
  const wills: string[] = [];
  before(async () => {
    aedes = await startAedes();
    aedes.broker.on('publish', (packet) => {
      if (packet.topic === 'cli/int/will') wills.push(packet.payload.toString());
    });
  });
  after(async () => aedes?.stop());

  it('closes every client cleanly and exits 130', async () => {
    const files = tempFiles({
      'env.json': envFile(aedes.port, { protocol: 4 }),
      'long.mqtt': [
        '### the device connects',
        'CONNECT device',
        'will-topic: cli/int/will',
        'will-payload: died',
        '',
        '### a reading that never comes',
        'EXPECT cli/int/never WITHIN 60s',
        '',
        '### wait for it',
        'WAIT',
        '',
        '### never reached',
        'EXPECT cli/int/later WITHIN 1s',
        '',
      ].join('\n'),
    });
    try {
      const cli = startCli(['run', 'long.mqtt', '--env', 'ci', '--env-file', 'env.json'], {
        cwd: files.dir,
      });
      await cli.waitFor(/✓ the device connects/);
      const deadline = Date.now() + 10_000;
      while (aedes.broker.connectedClients < 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(aedes.broker.connectedClients, 2, 'the device and the default client');
      const interrupted = Date.now();
      cli.child.kill('SIGINT');
      const o = await cli.done;
      assert.equal(o.code, 130, printed(o));
      assert.ok(Date.now() - interrupted < 5_000, 'it stops at once, not after the 60 s window');
      assert.match(o.stderr, /interrupted, closing the clients/);
      assert.match(o.stdout, /^ {2}- never reached/m, 'the rest is reported skipped');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(aedes.broker.connectedClients, 0, 'no client left on the broker');
      assert.deepEqual(wills, [], 'the device closed with DISCONNECT, so its will did not fire');
    } finally {
      files.remove();
    }
  });
});
