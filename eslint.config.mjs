// Flat config: typescript-eslint type-checked rules plus the layer rules of the architecture
// (core never imports vscode; cli and emulator never import the extension; the emulator shares no
// client code).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'Only src/extension may import vscode (docs/architecture.md §1).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/artifacts/**', '**/*.cjs', '**/*.mjs'] },
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
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
);
