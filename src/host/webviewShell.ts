/**
 * The HTML page of any webview, as plain text, without `vscode`, so the browser tests serve the
 * very page (and content security policy) the extension serves: a per-load nonce, nothing
 * inline, nothing remote. View `<name>` loads dist/webview/<name>.js and <name>.css (built from
 * the list in scripts/build.mjs) after shared.css (the page and the grid every view has) and the
 * codicon font; its script builds the whole UI with DOM
 * APIs and textContent inside <div id="app">.
 */
export interface ShellParts {
  /** The view's name: its script and stylesheet are `<view>.js` and `<view>.css`. */
  view: string;
  /** The page title (not shown by VS Code; read by screen readers and tests). */
  title: string;
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  nonce: string;
  /** The URL of a file in dist/webview. */
  asset(name: string): string;
  /** Extra `data-*` attributes of #app, e.g. `{ mode: 'panel' }`. */
  data?: Record<string, string>;
  /** VS Code's display language (`vscode.env.language`), for the page's `lang` and `data-locale` (counts are grouped as it does). */
  lang?: string;
  /**
   * The translated messages (`vscode.l10n.bundle`; none in English). The webview reads them from
   * #app before it builds anything (e.g. src/webview/messageLog/l10n.ts).
   */
  l10n?: Record<string, string>;
}

/**
 * Views that preview images from payload bytes (an <img> of a Blob URL made in the page): the
 * only addition to the policy, `blob:` images; nothing else is loosened.
 */
const BLOB_IMAGE_VIEWS: ReadonlySet<string> = new Set(['messageLog']);

export function webviewShell(parts: ShellParts): string {
  const { cspSource, nonce, view, asset, lang, l10n } = parts;
  if (!/^[A-Za-z][\w-]*$/.test(view)) throw new Error(`Not a view name: ${JSON.stringify(view)}`);
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:${BLOB_IMAGE_VIEWS.has(view) ? ' blob:' : ''}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const language = lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : 'en';
  const data = Object.entries(parts.data ?? {})
    .filter(([key]) => /^[a-z][a-z0-9-]*$/.test(key))
    .map(([key, value]) => ` data-${key}="${attribute(value)}"`)
    .join('');
  const bundle = l10n ? ` data-l10n="${attribute(JSON.stringify(l10n))}"` : '';
  return `<!DOCTYPE html><html lang="${language}"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}"><link rel="stylesheet" href="${asset('shared.css')}"><link rel="stylesheet" href="${asset(`${view}.css`)}">
<title>${attribute(parts.title)}</title></head>
<body><div id="app"${data} data-locale="${language}"${bundle}></div><script nonce="${nonce}" src="${asset(`${view}.js`)}"></script></body></html>`;
}

function attribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
