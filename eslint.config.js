// Lint rules, including the layering rules of DESIGN.md:
// agent/ never imports electron/ or renderer/; renderer/ imports only contract
// types, plus the field schemas and code tables of electron/contract/fields.js; only
// electron/main and electron/preload import the electron package.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const agentLayer = {
  patterns: [{ group: ['**/electron/**', '**/electron', '**/renderer/**', '**/renderer'], message: 'agent/ must not import electron/ or renderer/.' }],
  paths: [{ name: 'electron', message: 'agent/ must not import electron.' }],
};

const rendererLayer = {
  patterns: [
    {
      group: ['**/electron/contract/**', '!**/electron/contract/fields.js'],
      allowTypeImports: true,
      message:
        'renderer/ imports only types from the contract (use import type), and values only from electron/contract/fields.js (its field schemas and code tables).',
    },
    { regex: '(^|/)electron/contract/?$', allowTypeImports: true, message: 'renderer/ imports only types from the contract (use import type).' },
    {
      group: ['**/electron/*', '!**/electron/contract', '**/electron/*/**', '!**/electron/contract/**'],
      message: 'renderer/ imports only the contract from electron/.',
    },
    { group: ['**/agent/**', '**/agent', '**/proto/**', '**/proto', 'node:*'], message: 'renderer/ talks to the backend only through the contract.' },
  ],
  paths: [{ name: 'electron', message: 'renderer/ must not import electron; use the contract API.' }],
};

const backendLayer = {
  patterns: [{ group: ['**/renderer/**', '**/renderer'], message: 'the backend must not import renderer/.' }],
  paths: [{ name: 'electron', message: 'only electron/main and electron/preload import electron.' }],
};

// What the desktop may take from agent/: the shared code, the agent API and discovery clients,
// the embedded discovery server's entry, and the agent config contract; never agent internals.
const agentSurface = {
  regex: '^(\\.\\./)+agent/(?!shared/|api/client\\.js$|api/rpc-error\\.js$|discovery/client/index\\.js$|discovery/server/index\\.js$|config/schema\\.js$)',
  message: 'the desktop imports from agent/ only agent/shared, the API and discovery clients, the discovery server entry and the config schema.',
};

// agent/shared is the bottom layer: it imports nothing else of agent/.
const sharedLayer = {
  patterns: [
    ...agentLayer.patterns,
    { regex: '^\\.\\./(?!\\.\\./)|^(\\.\\./)+agent/', message: 'agent/shared imports nothing else of agent/ (it is what both sides share).' },
  ],
  paths: agentLayer.paths,
};

const desktopLayer = (patterns) => ({ patterns: [...patterns, agentSurface], paths: backendLayer.paths });

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'proto/gen/**', 'test/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  { files: ['agent/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', agentLayer] } },
  { files: ['renderer/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', rendererLayer] } },
  { files: ['agent/shared/**'], ignores: ['**/*.test.ts'], rules: { '@typescript-eslint/no-restricted-imports': ['error', sharedLayer] } },
  {
    files: ['electron/**'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', backendLayer] },
  },
  {
    files: ['electron/**'],
    ignores: ['electron/main/**', 'electron/preload/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', desktopLayer(backendLayer.patterns)] },
  },
  { files: ['electron/main/**', 'electron/preload/**'], rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [agentSurface] }] } },
);
