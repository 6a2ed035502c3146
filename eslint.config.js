import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'node_modules/', 'bench/node_modules/', 'bench/.work/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The front ends use the public API only; the engine's insides stay swappable.
    files: ['src/cli/**', 'src/action/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            '../core/*',
            '../postgres/*',
            '../source/*',
            '../engine/*',
            '../migrator.js',
            '../options.js',
            '../json.js',
            '../progress.js',
          ],
        },
      ],
    },
  },
  {
    // core/ is pure: no I/O, no driver.
    files: ['src/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['node:*', 'pg', 'fs', 'path'] }] },
  },
  {
    // schema/ is the pure schema model: no I/O, no driver, nothing outside itself and core/.
    files: ['src/schema/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'pg', 'fs', 'path', '../postgres/*', '../scratch/*', '../engine/*', '../source/*'] },
      ],
    },
  },
  {
    // scratch/ starts and stops servers; it talks to them through the DbClient port, never the driver.
    files: ['src/scratch/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['pg', '../postgres/*', '../engine/*', '../source/*', '../schema/*'] }],
    },
  },
  {
    // PostgreSQL's parser (WebAssembly) is loaded by src/sql/ alone, and only when a command needs it. A rule of
    // its own name, so that the folders' no-restricted-imports keep theirs; it sees import() and import types too.
    files: ['src/**'],
    ignores: ['src/sql/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          "ImportDeclaration[source.value='libpg-query']",
          "ImportExpression[source.value='libpg-query']",
          "ExportNamedDeclaration[source.value='libpg-query']",
          "ExportAllDeclaration[source.value='libpg-query']",
          "TSImportType[argument.literal.value='libpg-query']",
        ].map((selector) => ({ selector, message: 'only src/sql/ loads libpg-query, the PostgreSQL parser, and lazily' })),
      ],
    },
  },
);
