/**
 * Reason codes and connection errors turned into sentences.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  connackReason,
  describeConnectionError,
  describeLinkLoss,
  hex,
  isRetryableRefusal,
  reasonName,
} from '../../src/core/reasons';

const TARGET = 'mqtt://broker.example:1883';

function errorWith(
  code: string | number,
  message = 'boom',
  extra: Record<string, unknown> = {},
): Error {
  return Object.assign(new Error(message), { code }, extra);
}

describe('hex', () => {
  it('writes two upper-case digits with 0x', () => {
    assert.equal(hex(0), '0x00');
    assert.equal(hex(0x87), '0x87');
    assert.equal(hex(0xa2), '0xA2');
  });
});

describe('reasonName', () => {
  for (const [code, expected] of [
    [0x00, '0x00 Success'],
    [0x01, '0x01 Granted QoS 1'],
    [0x02, '0x02 Granted QoS 2'],
    [0x04, '0x04 Disconnect with Will Message'],
    [0x10, '0x10 No matching subscribers'],
    [0x11, '0x11 No subscription existed'],
    [0x18, '0x18 Continue authentication'],
    [0x19, '0x19 Re-authenticate'],
    [0x80, '0x80 Unspecified error'],
    [0x87, '0x87 Not authorized'],
    [0x8f, '0x8F Topic Filter invalid'],
    [0x97, '0x97 Quota exceeded'],
    [0x9e, '0x9E Shared Subscriptions not supported'],
    [0xa2, '0xA2 Wildcard Subscriptions not supported'],
  ] as const) {
    it(`names ${hex(code)} with its MQTT 5 name`, () => assert.equal(reasonName(code), expected));
  }

  it('does not give MQTT 5 codes the MQTT 3.1.1 CONNACK texts', () => {
    assert.doesNotMatch(reasonName(1), /protocol version/);
    assert.doesNotMatch(reasonName(4), /password/);
    assert.equal(reasonName(3), '0x03 Unknown reason code');
    assert.equal(reasonName(5), '0x05 Unknown reason code');
  });

  it('calls unknown codes unknown', () => {
    assert.equal(reasonName(0x7f), '0x7F Unknown reason code');
    assert.equal(reasonName(0xff), '0xFF Unknown reason code');
  });

  it('calls 0x80 "Failure" in an MQTT 3.1.1 SUBACK', () => {
    assert.equal(reasonName(0x80, 4), '0x80 Failure');
    assert.equal(reasonName(0x80, 5), '0x80 Unspecified error');
  });
});

describe('connackReason', () => {
  it('uses the MQTT 3.1.1 return codes for protocol version 4 (§3.2.2.3)', () => {
    assert.equal(connackReason(1, 4), '0x01 Unacceptable protocol version');
    assert.equal(connackReason(2, 4), '0x02 Identifier rejected');
    assert.equal(connackReason(3, 4), '0x03 Server unavailable');
    assert.equal(connackReason(4, 4), '0x04 Bad user name or password');
    assert.equal(connackReason(5, 4), '0x05 Not authorized');
    assert.equal(connackReason(6, 4), '0x06 Unknown return code');
    assert.equal(connackReason(0x87, 4), '0x87 Unknown return code');
  });

  it('uses the MQTT 5 reason codes for protocol version 5 (§3.2.2.2)', () => {
    assert.equal(connackReason(0x84, 5), '0x84 Unsupported Protocol Version');
    assert.equal(connackReason(0x85, 5), '0x85 Client Identifier not valid');
    assert.equal(connackReason(0x86, 5), '0x86 Bad User Name or Password');
    assert.equal(connackReason(0x87, 5), '0x87 Not authorized');
    assert.equal(connackReason(0x8a, 5), '0x8A Banned');
    assert.equal(connackReason(0x9f, 5), '0x9F Connection rate exceeded');
  });

  it('gives the same code different meanings in the two versions', () => {
    assert.notEqual(connackReason(5, 4), connackReason(5, 5));
  });
});

describe('describeConnectionError', () => {
  const describeError = (e: unknown, version: 4 | 5 = 5) =>
    describeConnectionError(e, TARGET, version, 10);

  it('ECONNREFUSED: nothing listening', () => {
    const text = describeError(errorWith('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1883'));
    assert.equal(text, `Connection refused by ${TARGET}: no MQTT broker is listening there.`);
  });

  it('ENOTFOUND and EAI_AGAIN: the name does not resolve, naming the host', () => {
    const e = errorWith('ENOTFOUND', 'getaddrinfo ENOTFOUND nosuch.invalid', {
      hostname: 'nosuch.invalid',
    });
    assert.equal(describeError(e), 'Unknown host "nosuch.invalid": the name does not resolve.');
    assert.match(describeError(errorWith('EAI_AGAIN')), new RegExp(`Unknown host "${TARGET}"`));
  });

  it('ETIMEDOUT, ECONNRESET and unreachable networks', () => {
    assert.match(describeError(errorWith('ETIMEDOUT')), /^Timed out reaching mqtt:\/\/broker/);
    assert.match(describeError(errorWith('ECONNRESET')), /closed the connection.*TLS/);
    assert.match(describeError(errorWith('EHOSTUNREACH')), /unreachable.*EHOSTUNREACH/);
    assert.match(describeError(errorWith('ENETUNREACH')), /unreachable.*ENETUNREACH/);
  });

  const UNTRUSTED = [
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  ];
  for (const code of UNTRUSTED) {
    it(`${code}: no CA you trust signed it, so set tls.ca`, () => {
      assert.equal(
        describeError(errorWith(code, 'self-signed certificate in certificate chain')),
        `TLS failure with ${TARGET}: the broker's certificate is not signed by a CA you trust: set tls.ca to the file of the CA that signed it (${code}).`,
      );
    });
  }

  it('an untrusted signer with tls.ca set names the file', () => {
    const e = errorWith(
      'SELF_SIGNED_CERT_IN_CHAIN',
      'self-signed certificate in certificate chain',
    );
    assert.equal(
      describeConnectionError(e, TARGET, 5, 10, { ca: 'certs/ca.pem', rejectUnauthorized: true }),
      `TLS failure with ${TARGET}: the broker's certificate is not signed by the CA in tls.ca (certs/ca.pem): point tls.ca at the CA that signed it (SELF_SIGNED_CERT_IN_CHAIN).`,
    );
  });

  it('an expired or not yet valid certificate', () => {
    assert.equal(
      describeError(errorWith('CERT_HAS_EXPIRED', 'certificate has expired')),
      `TLS failure with ${TARGET}: the broker's certificate has expired: the broker needs a renewed certificate (or this machine's clock is wrong) (CERT_HAS_EXPIRED).`,
    );
    assert.match(
      describeError(errorWith('CERT_NOT_YET_VALID', 'certificate is not yet valid')),
      /not valid yet: check this machine's clock \(CERT_NOT_YET_VALID\)\.$/,
    );
  });

  it("other TLS codes keep OpenSSL's words and the code", () => {
    assert.equal(
      describeError(errorWith('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number')),
      `TLS failure with ${TARGET}: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER).`,
    );
  });

  describe('a certificate made out to another name', () => {
    const mismatch = (host?: string) =>
      errorWith(
        'ERR_TLS_CERT_ALTNAME_INVALID',
        "Hostname/IP does not match certificate's altnames",
        {
          reason: "Host: broker.example. is not in the cert's altnames: DNS:other",
          host,
          cert: { subjectaltname: 'IP Address:127.0.0.1, DNS:localhost' },
        },
      );

    it('names the host that was checked and the names the certificate has', () => {
      assert.equal(
        describeError(mismatch('broker.example')),
        `TLS failure with ${TARGET}: the broker's certificate is not made out to "broker.example" (it names 127.0.0.1, localhost): connect by a name the certificate has, or set tls.servername to one (ERR_TLS_CERT_ALTNAME_INVALID).`,
      );
    });

    it('names tls.servername when the name came from there', () => {
      const tls = { servername: 'broker.example', rejectUnauthorized: true };
      assert.equal(
        describeConnectionError(mismatch('broker.example'), TARGET, 5, 10, tls),
        `TLS failure with ${TARGET}: the broker's certificate is not made out to "broker.example", the name in tls.servername (it names 127.0.0.1, localhost): set tls.servername to a name the certificate has (ERR_TLS_CERT_ALTNAME_INVALID).`,
      );
    });

    it("falls back to Node's reason without the checked name", () => {
      assert.match(
        describeError(mismatch()),
        /^TLS failure with .*: Host: broker\.example\. is not in the cert's altnames: DNS:other \(ERR_TLS_CERT_ALTNAME_INVALID\)\.$/,
      );
    });
  });

  it('numeric codes are CONNACK refusals, read in the right version', () => {
    assert.equal(
      describeError(errorWith(0x87, 'Connection refused: Not authorized'), 5),
      'The broker refused the connection: 0x87 Not authorized.',
    );
    assert.equal(
      describeError(errorWith(5, 'Connection refused: Not authorized'), 4),
      'The broker refused the connection: 0x05 Not authorized.',
    );
    assert.equal(
      describeError(errorWith(4, 'Connection refused: Bad username or password'), 4),
      'The broker refused the connection: 0x04 Bad user name or password.',
    );
    assert.equal(
      describeError(errorWith(0x86, 'Bad User Name or Password'), 5),
      'The broker refused the connection: 0x86 Bad User Name or Password.',
    );
  });

  it('connack timeout: says how long it waited', () => {
    assert.equal(
      describeConnectionError(new Error('connack timeout'), TARGET, 5, 7),
      `Timed out after 7 s waiting for ${TARGET} to accept the MQTT connection.`,
    );
  });

  it('anything else: the target and the message', () => {
    assert.equal(describeError(new Error('something odd')), `${TARGET}: something odd`);
    assert.equal(describeError('a string'), `${TARGET}: a string`);
    assert.equal(describeError(errorWith(0, 'zero')), `${TARGET}: zero`);
    assert.equal(describeError(errorWith('EPIPE', 'write EPIPE')), `${TARGET}: write EPIPE`);
  });

  it('a port that answers in something else than MQTT: says so in plain words', () => {
    // What MQTT.js reports when an HTTP server answers "HTTP/1.1 400 ...".
    const http = new Error('Invalid header flag bits, must be 0x0 for puback packet');
    assert.equal(
      describeError(http),
      `${TARGET} answered, but not in MQTT: an HTTP or WebSocket port? (Invalid header flag bits, must be 0x0 for puback packet)`,
    );
  });

  it('survives undefined and null', () => {
    assert.equal(typeof describeError(undefined), 'string');
    assert.equal(typeof describeError(null), 'string');
    assert.ok(describeError(undefined).startsWith(TARGET));
  });
});

describe('describeLinkLoss', () => {
  it('names the keepalive deadline MQTT.js applies: 1.5 × keepalive', () => {
    assert.equal(
      describeLinkLoss(new Error('Keepalive timeout'), TARGET, 5),
      'no answer within keepalive 7.5 s',
    );
    assert.equal(
      describeLinkLoss(new Error('Keepalive timeout'), TARGET, 60),
      'no answer within keepalive 90 s',
    );
  });

  it('a reset link, and nothing for errors describeConnectionError tells better', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    assert.equal(
      describeLinkLoss(reset, TARGET, 60),
      `${TARGET} reset the connection (ECONNRESET)`,
    );
    assert.equal(describeLinkLoss(new Error('odd'), TARGET, 60), undefined);
  });
});

describe('isRetryableRefusal', () => {
  it('retries "server unavailable / busy", never credentials', () => {
    assert.equal(isRetryableRefusal(3, 4), true);
    assert.equal(isRetryableRefusal(5, 4), false);
    assert.equal(isRetryableRefusal(0x88, 5), true);
    assert.equal(isRetryableRefusal(0x89, 5), true);
    assert.equal(isRetryableRefusal(0x86, 5), false);
    assert.equal(isRetryableRefusal(0x87, 5), false);
  });
});
