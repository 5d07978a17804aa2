/**
 * The Message Log's HTML shell as plain text, without `vscode`, so the browser tests serve the
 * very page (and content security policy) the extension serves: a per-load nonce, nothing
 * inline, nothing remote. The webview script builds the whole UI with DOM APIs and textContent.
 */
export interface ShellParts {
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  nonce: string;
  mode: 'panel' | 'view';
  /** The URL of a file in dist/webview. */
  asset(name: 'codicon.css' | 'messageLog.css' | 'messageLog.js'): string;
  /** VS Code's display language (`vscode.env.language`), for the page's `lang` and `data-locale` (counts are grouped as it does). */
  lang?: string;
  /**
   * The translated messages (`vscode.l10n.bundle`; none in English). The webview reads them from
   * #app before it builds anything (src/webview/messageLog/l10n.ts).
   */
  l10n?: Record<string, string>;
}

export function messageLogShell({ cspSource, nonce, mode, asset, lang, l10n }: ShellParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const language = lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : 'en';
  const bundle = l10n ? ` data-l10n="${attribute(JSON.stringify(l10n))}"` : '';
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}"><link rel="stylesheet" href="${asset('messageLog.css')}">
<title>Message Log</title></head>
<body><div id="app" data-mode="${mode}" data-locale="${language}"${bundle}></div><script nonce="${nonce}" src="${asset('messageLog.js')}"></script></body></html>`;
}

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
