/**
 * The Message Log's words in the user's language. The host puts VS Code's translations for this
 * extension (`vscode.l10n.bundle`) into the page as `data-l10n` on #app — there is none in
 * English — and `l10n.t` works like `vscode.l10n.t`: the English message is the key, `{0}`,
 * `{1}`… are values. Calls are spelled `l10n.t('…')` so `@vscode/l10n-dev export` collects them
 * with the host's.
 */
let bundle: Record<string, unknown> | undefined;

function messages(): Record<string, unknown> {
  if (bundle) return bundle;
  bundle = {};
  // Read once, lazily: the page's #app exists by the time anything is shown (not in Node tests).
  const raw =
    typeof document === 'undefined' ? undefined : document.getElementById('app')?.dataset.l10n;
  if (raw) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed && typeof parsed === 'object') bundle = parsed as Record<string, unknown>;
    } catch {
      // A broken bundle must not take the log down: English it is.
    }
  }
  return bundle;
}

export const l10n = {
  t(message: string, ...args: (string | number | boolean)[]): string {
    const translated = messages()[message];
    const text = typeof translated === 'string' ? translated : message;
    return text.replace(/\{(\d+)\}/g, (match, index: string) =>
      Number(index) < args.length ? String(args[Number(index)]) : match,
    );
  },
};
