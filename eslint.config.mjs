// Flat config. The layer rules are the point: only src/extension may import `vscode`; the core,
// the protocol and src/host (the host side of webviews) are plain TypeScript; the webview is
// browser code and reaches the host only through src/protocol; src/shared is pure TypeScript
// that every layer may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeImport = {
  name: 'vscode',
  message: 'Only src/extension may import vscode. Declare a port in src/core/ports.ts instead.',
};

// Words a user reads in VS Code's own UI go through vscode.l10n.t, so a translation bundle can
// replace them. A string literal or a template literal with words (letters outside a `$(icon)`)
// in one of these places fails lint; data such as topics and names passes through as arguments.
const WORDS = '/(^|[^\\w(~-])[A-Za-z]{2,}/';
const RAW_TEXT = `:matches(Literal[value=${WORDS}], TemplateLiteral:has(TemplateElement[value.raw=${WORDS}]))`;
/** The text itself, or a branch of `a ? 'x' : 'y'`, `a || 'x'`, `'x' + a` in that place. */
const rawTextAt = (place, position = '') => [
  `${place} > ${RAW_TEXT}${position}`,
  `${place} > :matches(ConditionalExpression, LogicalExpression, BinaryExpression)${position} > ${RAW_TEXT}`,
];
const UI_TEXT_SELECTORS = [
  // notifications, directly or through src/extension/notify.ts
  ...rawTextAt(
    'CallExpression[callee.property.name=/^(show(Information|Warning|Error)Message|setStatusBarMessage)$/]',
    ':first-child',
  ),
  ...rawTextAt('CallExpression[callee.name=/^show(Info|Warning|Error)$/]', ':first-child'),
  // quick picks, input boxes, quick-pick items, tree-item commands
  ...rawTextAt(
    'Property[key.name=/^(title|placeHolder|placeholder|prompt|label|description|detail|tooltip|emptyMessage)$/]',
  ),
  // tree items, status bar items, quick picks assigned field by field
  ...rawTextAt(
    'AssignmentExpression[left.property.name=/^(text|name|tooltip|description|title|placeholder|label|prompt)$/]',
  ),
  ...rawTextAt('NewExpression[callee.property.name=/^(TreeItem|MarkdownString)$/]', ':first-child'),
  ...rawTextAt('CallExpression[callee.property.name=/^append(Text|Markdown)$/]', ':first-child'),
  ...rawTextAt('CallExpression[callee.property.name="createWebviewPanel"]', ':nth-child(2)'),
];

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'test-artifacts/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...vscodeImport, allowTypeImports: false }],
          patterns: [
            {
              group: ['**/extension/**', '**/webview/**'],
              message: 'The core and protocol layers must not depend on the host or the webview.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeImport],
          patterns: [
            {
              group: ['**/extension/**', '**/webview/**', '**/core/**', 'node:*', 'mqtt'],
              allowTypeImports: true,
              message: 'The protocol holds only types and plain data shared by host and webview.',
            },
          ],
        },
      ],
    },
  },
  {
    // The host side of webviews, free of vscode so plain Node tests run the real bindings.
    files: ['src/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              ...vscodeImport,
              message:
                'src/host is the vscode-free host side of webviews: take what VS Code does as a parameter (see MessageLogHost).',
              allowTypeImports: false,
            },
          ],
          patterns: [
            {
              group: ['**/extension/**', '**/webview/**'],
              message:
                'src/host serves webviews from the core; it never imports the extension or webview code.',
            },
          ],
        },
      ],
      // It runs in the extension host (Node), never in a page.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator'],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            vscodeImport,
            { name: 'mqtt', message: 'The webview talks to the host, never to a broker.' },
          ],
          patterns: [
            {
              group: ['**/extension/**', '**/core/**', 'node:*'],
              message:
                'The webview is browser code: it may import only src/protocol, src/shared and browser libraries.',
            },
          ],
        },
      ],
    },
  },
  {
    // What every view's webview uses: it knows no view.
    files: ['src/webview/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeImport],
          patterns: [
            {
              regex: '^(\\.\\./(?!\\.\\./(protocol|shared)/)|node:|vscode$|mqtt$)',
              message:
                'src/webview/shared serves every view: it imports only its own modules, src/protocol and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...UI_TEXT_SELECTORS.map((selector) => ({
          selector,
          message: 'Text the user reads goes through vscode.l10n.t("… {0} …", value).',
        })),
        {
          // `@vscode/l10n-dev export` extracts only literal messages; values go in as {0}, {1}.
          selector:
            'CallExpression[callee.object.property.name="l10n"][callee.property.name="t"] > :first-child:not(Literal)',
          message: 'vscode.l10n.t takes a string literal: pass values as arguments for {0}, {1}.',
        },
      ],
    },
  },
  {
    // The command-line runner: the core and src/shared run without VS Code.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ ...vscodeImport, allowTypeImports: false }],
          patterns: [
            {
              group: ['**/extension/**', '**/webview/**', '**/host/**', '**/protocol/**'],
              message: 'src/cli imports only src/core and src/shared: it runs without VS Code.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shared: pure TypeScript that every layer may import, so it imports nothing itself.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message:
                'src/shared is pure TypeScript used by every layer: it imports only src/shared.',
            },
          ],
        },
      ],
      // Neither the DOM nor Node: the same code runs in the extension host and the webview.
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
      },
    },
  },
);
