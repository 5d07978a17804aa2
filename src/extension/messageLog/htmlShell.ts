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
  /** VS Code's display language (`vscode.env.language`): counts are grouped as it does. */
  locale?: string;
  /** The URL of a file in dist/webview. */
  asset(name: 'codicon.css' | 'messageLog.css' | 'messageLog.js'): string;
}

export function messageLogShell({ cspSource, nonce, mode, locale, asset }: ShellParts): string {
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}"><link rel="stylesheet" href="${asset('messageLog.css')}">
<title>Message Log</title></head>
<body><div id="app" data-mode="${mode}"${locale ? ` data-locale="${attribute(locale)}"` : ''}></div><script nonce="${nonce}" src="${asset('messageLog.js')}"></script></body></html>`;
}

/** A value safe inside a double-quoted attribute (the locale is VS Code's, but never trusted). */
function attribute(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, '');
}
