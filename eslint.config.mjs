// Lint rules: typescript-eslint's recommended set, type-aware rules on promises, TSDoc
// syntax, and prettier for layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import tsdoc from 'eslint-plugin-tsdoc';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'lib/',
      'node_modules/',
      '.venv/',
      'conv1d_explorer/',
      'tests/e2e/test-results/',
      'tests/e2e/.server-root/',
      'bench/.build/',
      'bench/results/'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tests/tsconfig.json', tsconfigRootDir: import.meta.dirname }
    },
    plugins: { tsdoc },
    rules: {
      // A promise nobody awaits loses its error: a blank view instead of a message.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'tsdoc/syntax': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'smart'],
      'no-restricted-properties': [
        'error',
        {
          property: 'innerHTML',
          message: 'Payload strings must never become HTML: use textContent.'
        },
        {
          property: 'outerHTML',
          message: 'Payload strings must never become HTML: use textContent.'
        }
      ]
    }
  },
  prettier
);
