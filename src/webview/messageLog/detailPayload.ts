/**
 * The payload part of the detail pane: which view shows it, and that view. "Decoded" (the saved
 * `auto`) shows the payload as the host's decoder read it (src/core/decoders): JSON formatted as
 * sent, a decoded value tree, text, an image preview, or the hex dump with the decoder's error on
 * a line above it. Text, JSON and Hex force a view.
 */
import type { LogDetail } from '../../protocol/messageLog';
import type { Shown as DiffShown } from './detailDiff';
import { el } from './dom';
import { decodeUtf8, decodeUtf8Lossy } from '../../shared/utf8';
import { formatBytes } from '../../shared/byteSize';
import { ImagePreview } from './imagePreview';
import { isJsonContainer, parsesAsJson } from './json';
import { l10n } from './l10n';
import { DecodedView, HexView, JsonView, TextView, type Progressive } from './payloadViews';
import type { PayloadView } from './state';
import { appendVisible, visibleLine } from './visible';

/** What a view shows (`data-view` of the payload box). */
export type Shown = 'decoded' | 'json' | 'text' | 'hex' | 'image';

/** Read once per detail: the payload as UTF-8 (undefined: it is not) and whether it is JSON. */
export interface PayloadFacts {
  text: string | undefined;
  json: boolean;
}

export function payloadFacts(d: LogDetail): PayloadFacts {
  const text = decodeUtf8(d.payload, d.truncated);
  // The host parsed it; only a detail without a decoder's verdict is checked here.
  const json = d.decoded
    ? d.decoded.decoder === 'json' && !d.decoded.error && text !== undefined
    : text !== undefined && !d.truncated && isJsonContainer(text);
  return { text, json };
}

/** What the Decoded view shows for this detail. */
export function decodedShown(d: LogDetail, facts: PayloadFacts): Shown {
  const dec = d.decoded;
  if (!dec) return facts.text === undefined ? 'hex' : facts.json ? 'json' : 'text';
  if (dec.error) return d.truncated && facts.text !== undefined ? 'text' : 'hex';
  if (dec.image) return 'image';
  if (facts.json) return 'json';
  if (dec.value) return 'decoded';
  if (dec.text !== undefined || dec.decoder === 'text') return 'text';
  return 'hex';
}

/** The Decoded button's format: the decoder's label ("CBOR", "Protobuf plant.Telemetry"). */
export function decodedLabel(d: LogDetail, facts: PayloadFacts): string {
  if (d.decoded) return visibleLine(d.decoded.label, 40);
  const shown = decodedShown(d, facts);
  return shown === 'json' ? 'JSON' : shown === 'hex' ? l10n.t('Hex') : l10n.t('Text');
}

export function effectiveShown(d: LogDetail, facts: PayloadFacts, view: PayloadView): Shown {
  return view === 'auto' ? decodedShown(d, facts) : view;
}

/** How the diff compares what is shown: structured binary formats and images as hex dumps. */
export function diffShown(shown: Shown): DiffShown {
  return shown === 'json' || shown === 'text' ? shown : 'hex';
}

/** "CBOR · content type application/cbor": the decoder, and why it was chosen. */
export function decodedBy(d: LogDetail): HTMLElement | undefined {
  const dec = d.decoded;
  if (!dec) return undefined;
  const line = el('div', 'decoded-by');
  line.appendChild(el('span', 'decoded-by-label', l10n.t('Decoded as')));
  const why =
    dec.reason !== 'auto'
      ? dec.reason
      : dec.decoder === 'hex'
        ? l10n.t('no decoder recognises the payload')
        : l10n.t('recognised from the payload');
  appendVisible(line, ` ${visibleLine(dec.label, 200)} · `);
  appendVisible(line, visibleLine(why, 500));
  return line;
}

/** Renders the payload of `d` as `view` into `box`; returns the view to continue. */
export function renderPayloadView(
  box: HTMLElement,
  d: LogDetail,
  facts: PayloadFacts,
  view: PayloadView,
  wrap: boolean,
): Progressive {
  const shown = effectiveShown(d, facts, view);
  box.dataset.view = shown;
  const dec = d.decoded;
  if (view === 'auto' && dec?.error) box.appendChild(errorLine(dec.error, d));
  switch (shown) {
    case 'image':
      return new ImagePreview(d.payload, dec!.image!.mime, d.size, box);
    case 'decoded':
      return new DecodedView(dec!.value!, box);
    case 'hex':
      return new HexView(d.payload, box);
    case 'json': {
      const source = facts.text ?? decodeUtf8Lossy(d.payload);
      if (!facts.json && !parsesAsJson(source))
        box.appendChild(
          el(
            'div',
            'payload-notice',
            d.truncated
              ? l10n.t('The payload is cut: the JSON below is incomplete.')
              : l10n.t('This payload is not valid JSON; it is shown formatted as far as possible.'),
          ),
        );
      return new JsonView(source, box);
    }
    case 'text':
      // What a decoder made text of (base64, …), or the payload as sent.
      if (view === 'auto' && dec?.text !== undefined && !dec.error)
        return new TextView(dec.text, box, wrap);
      if (facts.text === undefined)
        box.appendChild(
          el('div', 'payload-notice', l10n.t('Not valid UTF-8: invalid bytes are shown as �.')),
        );
      return new TextView(facts.text ?? decodeUtf8Lossy(d.payload), box, wrap);
  }
}

/** The decoder's error, above the hex dump (or the text of a payload cut before its end). */
function errorLine(error: string, d: LogDetail): HTMLElement {
  const line = el('div', 'payload-notice decode-error');
  line.setAttribute('role', 'status');
  appendVisible(line, visibleLine(error, 500));
  if (d.truncated)
    line.appendChild(
      document.createTextNode(
        ` (${l10n.t('only the first {0} is here: load the full payload to decode it', formatBytes(d.payload.byteLength))})`,
      ),
    );
  return line;
}
