/**
 * Which WebSocket upgrades the embedded broker accepts. A browser sends the page's `Origin` with
 * every WebSocket upgrade and lets any page open one to 127.0.0.1, so without this check any web
 * page the user visits could read and publish the local traffic. Accepted:
 * - no `Origin`: a program (MQTT.js, Paho, mosquitto); a browser page cannot leave it out, and a
 *   local program could use the TCP port anyway;
 * - `vscode-webview://…` and `vscode-file://…`: VS Code's own webviews and desktop workbench;
 * - `http(s)://localhost` and `http(s)://127.0.0.1` on any port: pages served on this machine,
 *   such as a browser-based VS Code or a dashboard the user runs.
 * `null` (sandboxed frames, `file:` pages) and every other origin are refused. The `Host` must
 * name the loopback address the broker listens on, so a DNS-rebound name is refused too.
 */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
const VSCODE_SCHEMES = new Set(['vscode-webview:', 'vscode-file:']);

export interface UpgradeHeaders {
  origin?: string;
  host?: string;
}

/** Why an upgrade is refused, or undefined when it is accepted. */
export function refusedUpgrade({ origin, host }: UpgradeHeaders): string | undefined {
  if (!isLocalHost(host)) return `Host ${quoted(host)} is not 127.0.0.1 or localhost`;
  if (origin === undefined || isAllowedOrigin(origin)) return undefined;
  return `Origin ${quoted(origin)} is not a local or VS Code origin`;
}

function isLocalHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(host.trim().toLowerCase());
  return match !== null && LOCAL_HOSTS.has(match[1]);
}

function isAllowedOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (VSCODE_SCHEMES.has(url.protocol)) return true;
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOCAL_HOSTS.has(url.hostname);
}

/** A header value for the log: quoted with control characters escaped, and at most 200 long. */
function quoted(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}
