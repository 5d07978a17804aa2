// The image decoder: PNG and JPEG told by their signature, a content type held to its claim,
// and the registry choosing it from the bytes or the content type without ever throwing.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imageDecoder, imageMimeOf } from '../../src/core/decoders/imageDecoder';
import { decodePayload } from '../../src/core/decoders/registry';
import { makePng } from '../support/png';

const png = makePng(3, 2, (x, y) => [x * 80, y * 120, 200, 255]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const topic = 'cam/1/snapshot';

describe('image decoder', () => {
  it('tells PNG and JPEG by their signature, and nothing else', () => {
    assert.equal(imageMimeOf(png), 'image/png');
    assert.equal(imageMimeOf(jpeg), 'image/jpeg');
    assert.equal(imageMimeOf(png.subarray(0, 7)), undefined, 'a cut signature');
    assert.equal(imageMimeOf(new TextEncoder().encode('{"a":1}')), undefined);
    assert.equal(imageMimeOf(new Uint8Array(0)), undefined);
    assert.equal(imageMimeOf(new Uint8Array([0xff, 0xd8])), undefined);
  });

  it('is chosen from the bytes: the preview gets the mime type, no value and no text', () => {
    const decoded = decodePayload(png, { topic });
    assert.deepEqual(decoded, {
      decoder: 'image',
      label: 'PNG image',
      reason: 'auto',
      image: { mime: 'image/png' },
    });
    assert.deepEqual(decodePayload(jpeg, { topic }), {
      decoder: 'image',
      label: 'JPEG image',
      reason: 'auto',
      image: { mime: 'image/jpeg' },
    });
  });

  it('is chosen by the content types image/png and image/jpeg (parameters and case ignored)', () => {
    const decoded = decodePayload(png, { topic, contentType: 'Image/PNG; name=x.png' });
    assert.equal(decoded.decoder, 'image');
    assert.equal(decoded.reason, 'content type image/png');
    assert.deepEqual(decoded.image, { mime: 'image/png' });
    const jpg = decodePayload(jpeg, { topic, contentType: 'image/jpeg' });
    assert.equal(jpg.reason, 'content type image/jpeg');
    assert.deepEqual(jpg.image, { mime: 'image/jpeg' });
  });

  it('holds a content type to its signature: an error, and no image to preview', () => {
    const text = new TextEncoder().encode('not a picture');
    const decoded = decodePayload(text, { topic, contentType: 'image/png' });
    assert.deepEqual(decoded, {
      decoder: 'image',
      label: 'Image',
      reason: 'content type image/png',
      error: 'Image: no PNG signature',
    });
    assert.equal(
      decodePayload(png, { topic, contentType: 'image/jpeg' }).error,
      'Image: no JPEG signature',
      'a PNG sent as image/jpeg',
    );
    assert.equal(
      decodePayload(new Uint8Array(0), { topic, contentType: 'image/png' }).error,
      'Image: no PNG signature',
    );
  });

  it('under a rule, accepts either format and names both when neither signature is there', () => {
    const rule = { decoder: 'image' as const, topic: 'cam/#' };
    assert.deepEqual(decodePayload(jpeg, { topic }, rule).image, { mime: 'image/jpeg' });
    assert.equal(decodePayload(jpeg, { topic }, rule).reason, 'rule cam/#');
    assert.equal(
      decodePayload(new Uint8Array([1, 2, 3]), { topic }, rule).error,
      'Image: neither a PNG nor a JPEG signature',
    );
  });

  it('never takes text or JSON, and leaves them to their decoders', () => {
    assert.equal(imageDecoder.sniff!(new TextEncoder().encode('hello'), topic), false);
    assert.equal(decodePayload(new TextEncoder().encode('hello'), { topic }).decoder, 'text');
    assert.equal(decodePayload(new TextEncoder().encode('[1]'), { topic }).decoder, 'json');
  });
});
