/**
 * The Message Log's client of its host: the generic HostClient on the Message Log protocol.
 */
import type { HostToWebview, LogReplies, WebviewToHost } from '../../protocol/messageLog';
import { HostClient } from '../shared/hostClient';

export type LogHostClient = HostClient<WebviewToHost, HostToWebview, LogReplies>;

export function connectToHost(onMessage: (message: HostToWebview) => void): LogHostClient {
  return new HostClient<WebviewToHost, HostToWebview, LogReplies>(
    {
      hostMessageTypes: [
        'init',
        'stats',
        'rows',
        'detail',
        'filter',
        'locate',
        'filterChanged',
        'connections',
        'select',
      ],
      replyTypes: { rows: 'rows', detail: 'detail', setFilter: 'filter', locate: 'locate' },
    },
    onMessage,
  );
}
