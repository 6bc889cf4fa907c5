// `npm run lint`: TypeScript and React hooks rules, and the layering of docs/architecture.md held as rules:
// which layer may import which, which packages each runtime may load, and no engine branch outside
// electron/core/engines (the Dialect answers instead).
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ENGINE_LITERAL = '/^(postgres|postgresql|mysql|mariadb|sqlite)$/';
const engineBranch = 'An engine branch outside electron/core/engines: ask the Dialect (dialectFor(kind) / engine.dialect), or read a description (shared/model/engine.ts).';
/** Catalogs and lock functions only one engine has: engine-specific SQL, which belongs in electron/core/engines. */
const ENGINE_SQL = '/pg_catalog\\.|information_schema\\.|sqlite_schema\\b|pg_try_advisory_lock\\(|pg_advisory_lock\\(|GET_LOCK\\(/i';
const engineSql = 'Engine-specific SQL outside electron/core/engines: the engine\'s dialect (or its adapters) writes it.';

/** Node's built-ins, the drivers and electron: never in the shared or renderer layers (they run in the browser). */
const nodeOnly = '^(node:|(fs|path|os|crypto|child_process|worker_threads|net|tls|dns|http|https|stream|url|util|events|buffer|zlib)(/|$)|(pg|pg-cursor|pg-copy-streams|mysql2|better-sqlite3|kysely|ws|ssh2|ssh-config|electron)(/|$))';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'renderer/public/**', '.ci/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `_name` marks what a signature or a destructuring must name but does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Types are checked by tsc (npm run typecheck); these duplicate it or fight TypeScript's own idioms.
      'no-undef': 'off',
      'no-redeclare': 'off',
      'no-dupe-class-members': 'off',
      // Control characters in regular expressions are deliberate here (SQL lexing, file names, terminal text).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}', 'features/*/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  // The layers: what each may import (docs/architecture.md › Layers).
  {
    files: ['shared/**/*.ts', 'features/**/*.{ts,tsx}', 'electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs'] } },
      'boundaries/elements': [
        { type: 'shared', pattern: ['shared', 'features/*/shared'] },
        { type: 'renderer', pattern: ['renderer/src', 'features/*/renderer'] },
        { type: 'core', pattern: ['electron/core', 'features/*/core'] },
        { type: 'electron-shell', pattern: ['electron/app', 'electron/preload'] },
        { type: 'web-shell', pattern: 'electron/web' },
        { type: 'cli', pattern: 'electron/cli' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            { from: { element: { type: 'shared' } }, allow: { to: { element: { type: 'shared' } } } },
            { from: { element: { type: 'renderer' } }, allow: { to: { element: { types: { anyOf: ['renderer', 'shared'] } } } } },
            { from: { element: { type: 'core' } }, allow: { to: { element: { types: { anyOf: ['core', 'shared'] } } } } },
            // The desktop shell serves the renderer's files the way the browser shell does (web/static-files.ts).
            { from: { element: { type: 'electron-shell' } }, allow: { to: { element: { types: { anyOf: ['electron-shell', 'web-shell', 'core', 'shared'] } } } } },
            { from: { element: { type: 'web-shell' } }, allow: { to: { element: { types: { anyOf: ['web-shell', 'core', 'shared'] } } } } },
            { from: { element: { type: 'cli' } }, allow: { to: { element: { types: { anyOf: ['cli', 'web-shell', 'core', 'shared'] } } } } },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts', 'features/*/shared/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'features/*/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: nodeOnly, message: 'The shared and renderer layers run in the browser: no Node, no drivers, no electron.' }] }],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'features/*/core/**/*.ts', 'electron/web/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^electron(/|$)', message: "Only electron/app and electron/preload may import 'electron': the core runs under plain Node." }] }],
    },
  },

  // No engine branch outside electron/core/engines: comparing an engine kind, family or product with a
  // literal, or SQL that only one engine understands.
  {
    files: ['shared/**/*.ts', 'features/**/*.{ts,tsx}', 'electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    ignores: ['electron/core/engines/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `BinaryExpression[operator=/^[!=]==?$/][right.value=${ENGINE_LITERAL}]`, message: engineBranch },
        { selector: `BinaryExpression[operator=/^[!=]==?$/][left.value=${ENGINE_LITERAL}]`, message: engineBranch },
        { selector: `SwitchCase[test.value=${ENGINE_LITERAL}]`, message: engineBranch },
        { selector: `Literal[value=${ENGINE_SQL}]`, message: engineSql },
        { selector: `TemplateElement[value.raw=${ENGINE_SQL}]`, message: engineSql },
      ],
    },
  },

  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Drivers' private parts only in their adapters, each with a public fallback and a conformance test
  // (test/integration/foundation/driver-internals.test.ts).
  {
    files: ['electron/**/*.ts', 'features/**/*.{ts,tsx}'],
    ignores: ['electron/core/engines/postgres/pg-internals.ts', 'electron/core/engines/mysql/mysql2-internals.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['_result', '_rowParser', '_clients', '_allConnections', '_connected', '_ending', '_fatalError', '_closing', 'processID', 'secretKey', 'connectionConfig'].map((property) => ({
          property,
          message: 'A driver\'s private part: use (or add, with a public fallback) an accessor in engines/postgres/pg-internals.ts or engines/mysql/mysql2-internals.ts.',
        })),
      ],
    },
  },

  // Tests and scripts are not layers: they may reach into any of them.
  {
    files: ['test/**/*.{ts,tsx,mts}', 'scripts/**/*.{mjs,mts,ts}', '*.config.{mts,mjs}'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
