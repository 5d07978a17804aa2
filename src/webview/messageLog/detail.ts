/**
 * The detail pane of the selected message: its fields, MQTT 5 properties, the payload as its
 * decoder read it (detailPayload.ts) or forced as text, JSON or a hex dump, the diff with the
 * previous message on the same topic, and the actions the host carries out.
 */
import type { LogAction, LogDetail } from '../../protocol/messageLog';
import { button, el, setPressed } from './dom';
import { formatCount } from './format';
import { formatBytes } from '../../shared/byteSize';
import { formatDateTime } from '../../shared/clockTime';
import { l10n } from './l10n';
import { renderDiff } from './detailDiff';
import {
  decodedBy,
  decodedLabel,
  diffShown,
  effectiveShown,
  payloadFacts,
  renderPayloadView,
  type PayloadFacts,
} from './detailPayload';
import { renderProperties } from './detailProperties';
import { renderOutcome } from './detailOutcome';
import { renderRequestLink } from './detailRequest';
import type { Progressive } from './payloadViews';
import type { PayloadView } from './state';
import { topicHeader } from './topicHeader';
import { appendVisible } from './visible';

export interface DetailCallbacks {
  onAction(action: LogAction, seq: number): void;
  onLoadFull(seq: number): void;
  /** The payload view, wrap or diff setting changed (to be persisted). */
  onSettings(s: DetailSettings): void;
}

export interface DetailSettings {
  payloadView: PayloadView;
  wrap: boolean;
  diff: boolean;
}

const ACTIONS: { action: LogAction; icon: string; label: string }[] = [
  { action: 'copyPayload', icon: 'copy', label: l10n.t('Copy Payload') },
  { action: 'copyTopic', icon: 'copy', label: l10n.t('Copy Topic') },
  { action: 'openInEditor', icon: 'go-to-file', label: l10n.t('Open in Editor') },
  { action: 'publishAgain', icon: 'send', label: l10n.t('Publish Again') },
  { action: 'revealInTree', icon: 'list-tree', label: l10n.t('Reveal in Topic Explorer') },
  { action: 'showInPacketTrace', icon: 'list-ordered', label: l10n.t('Show in Packet Trace') },
  { action: 'openBlock', icon: 'go-to-file', label: l10n.t('Open Block') },
];

export class DetailPane {
  readonly element: HTMLElement;
  private readonly body: HTMLDivElement;
  /** Says that the message shown is not in the grid: the filter hides it. */
  private readonly hiddenNotice: HTMLDivElement;
  private hiddenSeq: number | undefined;
  private detail: LogDetail | undefined;
  private settings: DetailSettings;
  private progressive: Progressive | undefined;
  private moreButton: HTMLButtonElement | undefined;
  /** Read once per detail: the text (undefined = not UTF-8) and whether it is JSON. */
  private facts: PayloadFacts | undefined;
  private payloadBox: HTMLDivElement | undefined;
  private viewButtons = new Map<PayloadView, HTMLButtonElement>();
  private wrapButton: HTMLButtonElement | undefined;
  private diffButton: HTMLButtonElement | undefined;

  constructor(
    private readonly cb: DetailCallbacks,
    settings: DetailSettings,
  ) {
    this.settings = { ...settings };
    this.element = el('section', 'detail');
    this.element.setAttribute('aria-label', l10n.t('Message detail'));
    this.body = el('div', 'detail-body');
    this.hiddenNotice = el(
      'div',
      'payload-notice filter-hidden-notice',
      l10n.t('This message is hidden by the current filter.'),
    );
    this.hiddenNotice.setAttribute('role', 'status');
    this.hiddenNotice.hidden = true;
    this.element.append(this.hiddenNotice, this.body);
    this.showMessage(l10n.t('Select a message to see its detail.'));
  }

  get seq(): number | undefined {
    return this.detail?.seq;
  }

  /** The message shown is a publish still waiting for the broker's answer. */
  get awaitsOutcome(): boolean {
    return this.detail?.exchange?.state === 'pending';
  }

  /** The filter hides message `seq` (undefined: it hides none that could be shown). */
  setHiddenByFilter(seq: number | undefined): void {
    this.hiddenSeq = seq;
    this.hiddenNotice.hidden = seq === undefined || this.detail?.seq !== seq;
  }

  showMessage(text: string): void {
    this.dropView();
    this.detail = undefined;
    this.hiddenNotice.hidden = true;
    this.body.replaceChildren(el('div', 'detail-placeholder', text));
  }

  showLoading(): void {
    this.element.classList.add('loading');
  }

  showError(error: string): void {
    this.element.classList.remove('loading');
    this.dropView();
    this.detail = undefined;
    this.hiddenNotice.hidden = true;
    const box = el('div', 'detail-placeholder detail-error');
    appendVisible(box, error.slice(0, 500));
    this.body.replaceChildren(box);
  }

  show(detail: LogDetail): void {
    this.element.classList.remove('loading');
    this.detail = detail;
    this.hiddenNotice.hidden = this.hiddenSeq !== detail.seq;
    this.facts = payloadFacts(detail);
    this.render();
  }

  private render(): void {
    const d = this.detail;
    if (!d) return;
    const frag = document.createDocumentFragment();

    const head = el('div', 'detail-head');
    const topicBox = topicHeader(d.topic);
    const actions = el('div', 'detail-actions');
    for (const a of ACTIONS) {
      if (a.action === 'showInPacketTrace' && !d.traced) continue;
      if (a.action === 'openBlock' && !d.origin) continue;
      const b = button({
        icon: a.icon,
        label: a.label,
        title: a.label,
        className: `action action-${a.action}`,
      });
      b.addEventListener('click', () => this.cb.onAction(a.action, d.seq));
      actions.appendChild(b);
    }
    head.append(topicBox, actions);

    const meta = el('dl', 'detail-meta');
    const field = (name: string, value: string | Node) => {
      const dt = el('dt', '', name);
      const dd = el('dd');
      if (typeof value === 'string') appendVisible(dd, value);
      else dd.appendChild(value);
      meta.append(dt, dd);
    };
    const yes = l10n.t('yes');
    const no = l10n.t('no');
    field(l10n.t('Time'), formatDateTime(d.time));
    field(l10n.t('Connection'), d.connection);
    field(
      l10n.t('Direction'),
      d.direction === 'out' ? l10n.t('out (published)') : l10n.t('in (received)'),
    );
    field(l10n.t('QoS'), String(d.qos));
    field(l10n.t('Retain'), d.retain ? yes : no);
    field(l10n.t('Dup'), d.dup ? yes : no);
    field(l10n.t('Size'), l10n.t('{0} ({1} bytes)', formatBytes(d.size), formatCount(d.size)));
    field(l10n.t('Seq'), String(d.seq));
    if (d.origin) field(l10n.t('From'), d.origin.label);
    frag.append(head, meta);

    const outcome = renderOutcome(d);
    if (outcome) frag.appendChild(outcome);
    const request = renderRequestLink(d, (seq) => this.cb.onAction('selectMessage', seq));
    if (request) frag.appendChild(request);

    const props = renderProperties(d);
    if (props) frag.appendChild(props);

    frag.appendChild(this.payloadToolbar(d));
    const by = decodedBy(d);
    if (by) frag.appendChild(by);
    if (d.truncated) {
      const notice = el('div', 'payload-notice truncated-notice');
      notice.appendChild(
        document.createTextNode(
          `${l10n.t('Showing the first {0} of {1}.', formatBytes(d.payload.byteLength), formatBytes(d.size))} `,
        ),
      );
      const load = button({
        icon: 'cloud-download',
        label: l10n.t('Load full payload'),
        title: l10n.t('Load the whole payload'),
        className: 'load-full',
      });
      load.addEventListener('click', () => {
        load.disabled = true;
        this.cb.onLoadFull(d.seq);
      });
      notice.appendChild(load);
      frag.appendChild(notice);
    }
    this.payloadBox = el('div', 'payload');
    frag.appendChild(this.payloadBox);
    this.body.replaceChildren(frag);
    this.renderPayload();
  }

  private payloadToolbar(d: LogDetail): HTMLElement {
    const bar = el('div', 'payload-toolbar');
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', l10n.t('Payload view'));
    const group = el('div', 'segmented');
    this.viewButtons.clear();
    const views: [PayloadView, string, string][] = [
      [
        'auto',
        l10n.t('Decoded ({0})', decodedLabel(d, this.facts!)),
        l10n.t('Show the payload as its decoder reads it'),
      ],
      ['text', l10n.t('Text'), l10n.t('Show the payload as text')],
      ['json', 'JSON', l10n.t('Show the payload as formatted JSON')],
      ['hex', l10n.t('Hex'), l10n.t('Show a hex dump of the payload')],
    ];
    for (const [view, label, title] of views) {
      const b = button({
        label,
        title,
        className: `view-${view}`,
        pressed: this.settings.payloadView === view,
      });
      b.addEventListener('click', () => {
        this.settings.payloadView = view;
        this.cb.onSettings({ ...this.settings });
        for (const [v, other] of this.viewButtons) setPressed(other, v === view);
        this.renderPayload();
      });
      this.viewButtons.set(view, b);
      group.appendChild(b);
    }
    this.wrapButton = button({
      icon: 'word-wrap',
      title: l10n.t('Wrap long lines'),
      className: 'wrap-toggle',
      pressed: this.settings.wrap,
    });
    this.wrapButton.addEventListener('click', () => {
      this.settings.wrap = !this.settings.wrap;
      setPressed(this.wrapButton!, this.settings.wrap);
      this.cb.onSettings({ ...this.settings });
      this.payloadBox
        ?.querySelectorAll('.payload-text, .diff')
        .forEach((n) => n.classList.toggle('wrap', this.settings.wrap));
    });
    const hasPrevious = d.previous !== undefined;
    this.diffButton = button({
      icon: 'diff',
      label: l10n.t('Diff with previous'),
      title: hasPrevious
        ? l10n.t('Compare with the previous message on this topic (seq {0})', d.previous!.seq)
        : l10n.t('No previous message on this topic is stored'),
      className: 'diff-toggle',
      pressed: this.settings.diff && hasPrevious,
    });
    this.diffButton.disabled = !hasPrevious;
    this.diffButton.addEventListener('click', () => {
      this.settings.diff = !this.settings.diff;
      setPressed(this.diffButton!, this.settings.diff);
      this.cb.onSettings({ ...this.settings });
      this.renderPayload();
    });
    bar.append(group, this.wrapButton, this.diffButton);
    return bar;
  }

  private renderPayload(): void {
    const d = this.detail;
    const box = this.payloadBox;
    if (!d || !box || !this.facts) return;
    this.dropView();
    box.replaceChildren();
    this.moreButton = undefined;
    const shown = effectiveShown(d, this.facts, this.settings.payloadView);
    if (this.settings.diff && d.previous) {
      box.dataset.view = 'diff';
      this.progressive = renderDiff(box, d, diffShown(shown), this.settings.wrap);
    } else {
      this.progressive = renderPayloadView(
        box,
        d,
        this.facts,
        this.settings.payloadView,
        this.settings.wrap,
      );
    }
    this.continueRendering();
  }

  /** Lets go of the payload view shown (an image's Blob URL). */
  private dropView(): void {
    this.progressive?.dispose?.();
    this.progressive = undefined;
  }

  private continueRendering(): void {
    const p = this.progressive;
    if (!p || !this.payloadBox) return;
    const more = p.renderMore();
    if (more) {
      if (!this.moreButton) {
        this.moreButton = button({
          icon: 'unfold',
          label: p.moreLabel,
          title: p.moreLabel,
          className: 'show-more',
        });
        this.moreButton.addEventListener('click', () => this.continueRendering());
      }
      this.payloadBox.appendChild(this.moreButton);
    } else {
      this.moreButton?.remove();
    }
  }
}
