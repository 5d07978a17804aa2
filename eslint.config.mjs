// Flat config. The layer rules are the point: only src/extension may import `vscode`; the core
// and the protocol are plain TypeScript; the webview is browser code and reaches the host only
// through src/protocol; src/shared is pure TypeScript that every layer may import.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeImport = {
  name: 'vscode',
  message: 'Only src/extension may import vscode. Declare a port in src/core/ports.ts instead.',
};

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
