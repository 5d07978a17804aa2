/**
 * The preview of an image payload (PNG or JPEG, as the host's image decoder recognised it by its
 * signature): an <img> of a Blob URL made from the payload bytes (the page's CSP allows
 * `img-src blob:` for this), scaled to fit the pane, with its format, pixel size and byte size.
 * The URL is revoked when the view goes.
 */
import { el } from './dom';
import { formatCount } from './format';
import { formatBytes } from '../../shared/byteSize';
import { l10n } from './l10n';
import type { Progressive } from './payloadViews';

export class ImagePreview implements Progressive {
  readonly moreLabel = '';
  private url: string | undefined;

  constructor(
    bytes: Uint8Array,
    mime: 'image/png' | 'image/jpeg',
    size: number,
    parent: HTMLElement,
  ) {
    const figure = el('figure', 'payload-image');
    const img = el('img', 'payload-image-img');
    const caption = el('figcaption', 'payload-image-caption');
    const format = mime === 'image/png' ? 'PNG' : 'JPEG';
    const bytesText = l10n.t('{0} ({1} bytes)', formatBytes(size), formatCount(size));
    caption.textContent = `${format} · ${bytesText}`;
    img.alt = l10n.t('{0} image from the payload', format);
    img.addEventListener('load', () => {
      caption.textContent = `${format} · ${img.naturalWidth} × ${img.naturalHeight} px · ${bytesText}`;
    });
    img.addEventListener('error', () => {
      figure.classList.add('broken');
      caption.textContent = `${format} · ${bytesText} · ${l10n.t('The browser could not show this image.')}`;
    });
    // A copy: the Blob must not keep the whole detail's buffer alive.
    this.url = URL.createObjectURL(new Blob([bytes.slice()], { type: mime }));
    img.src = this.url;
    figure.append(img, caption);
    parent.appendChild(figure);
  }

  renderMore(): boolean {
    return false;
  }

  dispose(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = undefined;
  }
}
