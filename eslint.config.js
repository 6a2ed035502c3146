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
    // The front ends use the public API and frontend/ only; the engine's insides stay swappable.
    files: ['src/cli/**', 'src/action/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../index.js', '!../version.js', '!../frontend'],
              message: 'the CLI and the action import ../index.js, ../version.js and ../frontend/*.js only',
            },
          ],
          paths: [{ name: '@actions/github', message: 'only src/action/github-api.ts talks to GitHub' }],
        },
      ],
    },
  },
  {
    // The one file that talks to GitHub, through @actions/github's Octokit.
    files: ['src/action/github-api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../index.js', '!../version.js', '!../frontend'],
              message: 'the action imports ../index.js, ../version.js and ../frontend/*.js only',
            },
          ],
        },
      ],
    },
  },
  {
    // frontend/ is what the CLI and the action share: no one else imports it. (A rule of its own name, so that
    // the folders' own no-restricted-imports below keep theirs; test/unit/shape.test.ts checks every import.)
    files: ['src/**'],
    ignores: ['src/cli/**', 'src/action/**', 'src/frontend/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/frontend', '**/frontend/*'], message: 'only the CLI and the action import frontend/' }] },
      ],
    },
  },
  {
    // frontend/ reads inward: core/, schema/, source/, the library's JSON documents, options and environment,
    // postgres/connection-info.js (no driver), engine/unexpected.js and engine/ types; never a front end, the
    // facade, the driver or the scratch servers.
    files: ['src/frontend/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../cli/*', '../action/*', '../index.js', '../migrator.js', '../scratch/*', 'pg', '@actions/core', '@actions/github'],
              message: 'frontend/ reads inward only',
            },
            { group: ['../postgres/*', '!../postgres/connection-info.js'] },
            { group: ['../engine/*', '!../engine/unexpected.js'], allowTypeImports: true },
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
