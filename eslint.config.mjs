// ESLint flat config. The pure core (src/core) may not import vscode, Node built-ins, or touch the DOM.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-cs/**', '.vscode-test*/**', 'bench-out/**', 'media/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'off',
      '@typescript-eslint/no-implied-eval': 'error',
    },
  },
  {
    // Browser code of the webviews is typed by its own tsconfig (DOM lib, no Node).
    files: ['webview/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: ['./tsconfig.webview.json'], tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core is pure: no vscode API (use an adapter in src/vscode).' },
          ...nodeBuiltins.map((name) => ({ name, message: 'src/core is pure: no Node built-ins (use src/node).' })),
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'src/core is pure: no DOM.' },
        { name: 'document', message: 'src/core is pure: no DOM.' },
        { name: 'navigator', message: 'src/core is pure: no DOM.' },
        { name: 'process', message: 'src/core is pure: no Node globals.' },
        { name: 'require', message: 'src/core is pure: use import.' },
        { name: 'Buffer', message: 'src/core is pure: no Node globals.' },
        { name: '__dirname', message: 'src/core is pure: no Node globals.' },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', require: 'readonly', module: 'readonly', __dirname: 'readonly', Buffer: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
