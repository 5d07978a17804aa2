import type { DecodeContext, PayloadDecoder } from './decoder';

type ImageMime = 'image/png' | 'image/jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.byteLength < signature.length) return false;
  return signature.every((b, i) => bytes[i] === b);
}

/** The image format the bytes begin with, by its signature. */
export function imageMimeOf(bytes: Uint8Array): ImageMime | undefined {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, JPEG_SIGNATURE)) return 'image/jpeg';
  return undefined;
}

/** The format a content type claims, if it names one this decoder reads. */
function claimedMime(context: DecodeContext): ImageMime | undefined {
  const type = context.contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'image/png') return 'image/png';
  if (type === 'image/jpeg' || type === 'image/jpg') return 'image/jpeg';
  return undefined;
}

const NAMES: Record<ImageMime, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG' };

/**
 * PNG and JPEG images, recognised by their signature only: the bytes are not parsed here, the
 * detail pane previews them (`image.mime`). A content type that claims one format is held to
 * its signature.
 */
export const imageDecoder: PayloadDecoder = {
  id: 'image',
  label: 'Image',
  contentTypes: ['image/png', 'image/jpeg', 'image/jpg'],
  sniff: (bytes) => imageMimeOf(bytes) !== undefined,
  decode(bytes, context) {
    const found = imageMimeOf(bytes);
    const claimed = claimedMime(context);
    if (claimed && found !== claimed) throw new Error(`Image: no ${NAMES[claimed]} signature`);
    if (!found) throw new Error('Image: neither a PNG nor a JPEG signature');
    return { image: { mime: found }, label: `${NAMES[found]} image` };
  },
};
