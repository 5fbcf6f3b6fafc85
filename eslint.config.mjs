// @ts-check
// Flat config: typescript-eslint type-checked rules plus the layer rules of the architecture
// (core never imports vscode; cli and emulator never import the extension; the emulator shares no
// client code). The build, harness and bench scripts (.mjs) are linted too, type-checked through
// tsconfig.scripts.json (JSDoc types, `checkJs`).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'Only src/extension may import vscode (docs/architecture.md §1).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/artifacts/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports.' }],
    },
  },
  {
    // The scripts run on Node directly (no bundler), so they get Node's globals. The tsconfig that
    // covers them is tsconfig.scripts.json, not the one the project service would find.
    files: ['**/*.mjs'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: false, project: ['./tsconfig.scripts.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // JSDoc return types are checked by tsc (checkJs); this rule cannot read them.
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      // The parser drops JSDoc casts (`/** @type {T} */ (JSON.parse(s))`), so these rules would see
      // `any` where tsc sees the declared type; tsc's strict checkJs covers what they would catch.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // ESLint loads its configuration from the default export.
    files: ['eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBan],
          patterns: [{ group: ['**/extension/**', '**/cli/**', '**/emulator/**'], message: 'core depends on nothing above it.' }],
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBan],
          patterns: [{ group: ['**/extension/**'], message: 'the CLI is built on core only.' }],
        },
      ],
    },
  },
  {
    files: ['src/emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [vscodeBan],
          patterns: [
            {
              group: [
                '**/extension/**',
                '**/cli/**',
                '**/core/http/**',
                '**/core/graph/**',
                '**/core/partnerCenter/**',
                '**/core/actions/**',
                '**/core/auth/**',
              ],
              message: 'The emulator is written independently of the client (docs/architecture.md §1); only core/roles data may be shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // Webview scripts run in the webview's browser context, shipped as written (no bundler, no types).
    files: ['media/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { program: null, project: false, projectService: false },
      globals: { ...globals.browser, acquireVsCodeApi: 'readonly' },
      sourceType: 'script',
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
);
