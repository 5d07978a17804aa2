/**
 * buildClientOptions: a validated profile mapped onto MQTT.js options, TLS files included
 * (read beforehand by tlsFiles.ts, tested in tlsFiles.test.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildClientOptions, tlsHandshakeOptions } from '../../src/core/session/clientOptions';
import type { ConnectionProfile } from '../../src/core/profile/profile';
import { testProfile } from '../support/profiles';
import { mqttJsLog } from '../../src/core/session/mqttClientFactory';

const profile = testProfile;

const files = {
  ca: Buffer.from('CA PEM'),
  cert: Buffer.from('CERT PEM'),
  key: Buffer.from('KEY PEM'),
};

describe('buildClientOptions', () => {
  it('maps the connection settings', () => {
    const o = buildClientOptions(
      profile({ keepalive: 30, clean: false, connectTimeout: 7, username: 'alice' }),
      'cid',
      'pw',
      undefined,
    );
    assert.equal(o.protocol, 'mqtt');
    assert.equal(o.host, 'broker.example');
    assert.equal(o.hostname, 'broker.example');
    assert.equal(o.port, 1883);
    assert.equal(o.clientId, 'cid');
    assert.equal(o.protocolVersion, 5);
    assert.equal(o.keepalive, 30);
    assert.equal(o.clean, false);
    assert.equal(o.connectTimeout, 7_000, 'seconds become milliseconds');
    assert.equal(o.username, 'alice');
    assert.equal(o.password, 'pw');
  });

  it('leaves reconnecting and resubscribing to the session', () => {
    const o = buildClientOptions(profile(), 'cid', undefined, undefined);
    assert.equal(o.reconnectPeriod, 0);
    assert.equal(o.resubscribe, false);
    assert.equal(o.password, undefined);
  });

  it('passes the WebSocket path only for ws and wss', () => {
    for (const protocol of ['ws', 'wss'] as const) {
      assert.equal(
        buildClientOptions(profile({ protocol, path: '/ws' }), 'c', undefined, undefined).path,
        '/ws',
      );
    }
    for (const protocol of ['mqtt', 'mqtts'] as const) {
      assert.equal(
        buildClientOptions(profile({ protocol, path: '/ws' }), 'c', undefined, undefined).path,
        undefined,
      );
    }
  });

  it('sets sessionExpiryInterval as an MQTT 5 CONNECT property', () => {
    const o = buildClientOptions(
      profile({ sessionExpiryInterval: 3600 }),
      'c',
      undefined,
      undefined,
    );
    assert.deepEqual(o.properties, { sessionExpiryInterval: 3600 });
    const zero = buildClientOptions(
      profile({ sessionExpiryInterval: 0 }),
      'c',
      undefined,
      undefined,
    );
    assert.deepEqual(zero.properties, { sessionExpiryInterval: 0 });
  });

  it('sends no properties without sessionExpiryInterval or with MQTT 3.1.1', () => {
    assert.equal(buildClientOptions(profile(), 'c', undefined, undefined).properties, undefined);
    const v4 = buildClientOptions(
      profile({ protocolVersion: 4, sessionExpiryInterval: 60 }),
      'c',
      undefined,
      undefined,
    );
    assert.equal(v4.properties, undefined);
    assert.equal(v4.protocolVersion, 4);
  });

  it('maps the will, its payload as UTF-8 bytes', () => {
    const o = buildClientOptions(
      profile({ will: { topic: 'devices/me/status', payload: 'offline ✗', qos: 1, retain: true } }),
      'c',
      undefined,
      undefined,
    );
    assert.ok(o.will);
    assert.equal(o.will.topic, 'devices/me/status');
    assert.ok(Buffer.isBuffer(o.will.payload));
    assert.equal(o.will.payload.toString('utf8'), 'offline ✗');
    assert.equal(o.will.qos, 1);
    assert.equal(o.will.retain, true);
    assert.equal(buildClientOptions(profile(), 'c', undefined, undefined).will, undefined);
  });

  describe('TLS', () => {
    it('verifies certificates by default on mqtts and wss', () => {
      for (const protocol of ['mqtts', 'wss'] as const) {
        assert.equal(
          buildClientOptions(profile({ protocol }), 'c', undefined, undefined).rejectUnauthorized,
          true,
        );
        const tls = { rejectUnauthorized: true };
        assert.equal(
          buildClientOptions(profile({ protocol, tls }), 'c', undefined, undefined)
            .rejectUnauthorized,
          true,
        );
      }
    });

    it('turns verification off only when asked', () => {
      const o = buildClientOptions(
        profile({ protocol: 'mqtts', tls: { rejectUnauthorized: false } }),
        'c',
        undefined,
        undefined,
      );
      assert.equal(o.rejectUnauthorized, false);
    });

    it('sets no TLS options on mqtt and ws', () => {
      for (const protocol of ['mqtt', 'ws'] as const) {
        const o = buildClientOptions(profile({ protocol }), 'c', undefined, {});
        assert.equal(o.rejectUnauthorized, undefined);
        assert.equal(o.ca, undefined);
      }
    });

    it('passes the TLS files read beforehand, and servername', () => {
      const o = buildClientOptions(
        profile({
          protocol: 'mqtts',
          tls: {
            ca: 'certs/ca.pem',
            cert: 'certs/client.pem',
            key: 'certs/client.key',
            rejectUnauthorized: true,
            servername: 'sni.example',
          },
        }),
        'c',
        undefined,
        files,
      );
      assert.equal(String(o.ca), 'CA PEM');
      assert.equal(String(o.cert), 'CERT PEM');
      assert.equal(String(o.key), 'KEY PEM');
      assert.equal(o.servername, 'sni.example');
    });
  });
});

describe('tlsHandshakeOptions', () => {
  const tls = {
    ca: 'certs/ca.pem',
    cert: 'certs/client.pem',
    key: 'certs/client.key',
    rejectUnauthorized: true,
  };
  const probe = (overrides: Partial<ConnectionProfile>) =>
    tlsHandshakeOptions(buildClientOptions(profile(overrides), 'c', 'pw', files));

  it('verifies with the same files, host and port as the connection', () => {
    const o = probe({ protocol: 'mqtts', port: 8884, tls });
    assert.equal(o.host, 'broker.example');
    assert.equal(o.port, 8884);
    assert.equal(o.rejectUnauthorized, true);
    assert.equal(String(o.ca), 'CA PEM');
    assert.equal(String(o.cert), 'CERT PEM');
    assert.equal(String(o.key), 'KEY PEM');
  });

  it('checks the host name unless tls.servername names another; none for an IP', () => {
    assert.equal(probe({ protocol: 'wss', tls }).servername, 'broker.example');
    const sni = { ...tls, servername: 'sni.example' };
    assert.equal(probe({ protocol: 'mqtts', tls: sni }).servername, 'sni.example');
    assert.equal(probe({ protocol: 'mqtts', host: '127.0.0.1', tls }).servername, undefined);
  });

  it('keeps verification off when the profile turned it off', () => {
    const off = { rejectUnauthorized: false };
    assert.equal(probe({ protocol: 'mqtts', tls: off }).rejectUnauthorized, false);
  });
});

describe("MQTT.js's debug output", () => {
  it('is kept when DEBUG names mqttjs or everything, and skipped otherwise', () => {
    assert.deepEqual(mqttJsLog('mqttjs*'), {});
    assert.deepEqual(mqttJsLog('foo,mqttjs:client'), {});
    assert.deepEqual(mqttJsLog('*'), {});
    for (const debug of [undefined, '', 'foo', '-mqttjs*', 'express:*'])
      assert.equal(typeof mqttJsLog(debug).log, 'function', String(debug));
  });
});
