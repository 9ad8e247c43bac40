// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'dist-*/',
      '.astro/',
      'node_modules/',
      'test-results/',
      'test-results-*/',
      'playwright-report/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // tfjs loads only inside the training worker: the page's code may import types from the
    // modules that pull tfjs in, never values.
    files: ['components/**/*.ts', 'components/**/*.svelte'],
    // The registry runs only at build time, inside Astro components.
    ignores: ['components/exercises/registry.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@tensorflow/*',
                '**/lib/ml/train',
                '**/lib/ml/tf-mlp',
                '**/lib/compute/backends',
                '**/lib/compute/probe',
                '**/lib/compute/fallback',
                '**/lib/compute/loaders',
                '**/lib/compute/training-job',
                '**/lib/exercises/replay-training',
                '**/lib/exercises/schema',
                '**/lib/exercises/load',
              ],
              allowTypeImports: true,
              message:
                'This module imports tfjs (or zod classic, build-time only); the page may only import its types.',
            },
          ],
        },
      ],
    },
  },
  {
    // The engine must stay framework- and DOM-free so it runs under Vitest in Node.
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: ['svelte', 'svelte/*', 'astro', 'astro:*', '@astrojs/*', '../../components/*'],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
);
