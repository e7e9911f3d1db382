// Lint, including the layer map (DESIGN §2): imports go one way only.
// core knows nothing of Electron, SQLite, custody, the CLI or the vault
// wiring; store and custody know the core but not the CLI or Electron.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const ELECTRON = { group: ['electron', 'electron/*'], message: 'Only main/app may import electron.' };
// main/app holds the Electron glue. Only these of its files import electron at
// runtime (Electron's binary is needed to run them, so they only wire plain
// modules together); every other main/app file takes electron's types only
// (`import type`) and is unit-tested in Node, where importing electron would
// try to download its binary.
const ELECTRON_RUNTIME = ['main/app/main.ts', 'main/app/window.ts', 'main/app/protocol.ts', 'main/app/ipc.ts', 'main/app/file-dialogs.ts'];
const ELECTRON_RUNTIME_IMPORTS = { group: ['**/app/main.js', '**/app/window.js', '**/app/protocol.js', '**/app/ipc.js', '**/app/file-dialogs.js'], message: 'This module imports electron at runtime; it cannot be loaded in Node.' };
/** main/app is the outermost layer: the rest of main imports none of it, except its two files of plain constants. */
const APP_EXCEPT_CONSTANTS = {
  group: ['**/app/**', '!**/app/origin.js', '!**/app/content-policy.js'],
  message: 'Outside main/app, only main/app/origin.ts and main/app/content-policy.ts (plain constants) may be imported.',
};
const APP = { group: ['**/app/**'], message: 'This layer must not import main/app.' };
/** Node's built-in modules, by both names (node:fs and fs): the contract must bundle for the browser. */
const NODE_BUILTINS = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.vault-test-*/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // electron is imported in main/app (and by the preload, which must use
  // contextBridge and ipcRenderer), nowhere else, not even for its types.
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], ignores: ['main/app/**', 'preload/**'], rules: { 'no-restricted-imports': ['error', { patterns: [ELECTRON] }] } },
  // The rest of main (the IPC dispatcher in main/bridge, say) may use the app's origin and CSP constants, nothing else of main/app.
  { ...layer(['main/**'], [ELECTRON, APP_EXCEPT_CONSTANTS]), ignores: ['main/app/**'] },
  // Plain main/app modules: electron types only.
  {
    files: ['main/app/**'],
    ignores: ELECTRON_RUNTIME,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', allowTypeImports: true, message: 'Plain main/app modules take electron types only (import type); the runtime import belongs in ' + ELECTRON_RUNTIME.join(', ') + '.' }],
          patterns: [{ group: ['electron/*'], allowTypeImports: true, message: 'electron types only here.' }, { ...ELECTRON_RUNTIME_IMPORTS, group: ['./main.js', './window.js', './protocol.js', './ipc.js', './file-dialogs.js'] }],
        },
      ],
    },
  },
  // Tests run in Node: they test the plain modules, never load the runtime ones.
  layer(['test/**'], [ELECTRON, ELECTRON_RUNTIME_IMPORTS]),
  // The contract (main/api) is imported by the renderer: no Node, no core, only zod and itself.
  {
    files: ['main/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'main/api is bundled for the browser: no Node modules.' })),
          patterns: [ELECTRON, { group: ['**/core/**', '**/store/**', '**/custody/**', '**/cli/**', '**/app/**', '**/vault/**', '**/files/**', '**/session/**', '**/bridge/**'], message: 'main/api imports nothing of the Node side.' }],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Buffer', message: 'Blobs are Uint8Array in the contract.' }, { name: 'process', message: 'main/api runs in the browser too.' }],
    },
  },
  layer(['main/core/**'], [
    ELECTRON,
    { group: ['sqlite3', '@napi-rs/keyring'], message: 'main/core is pure domain code: no storage or keychain libraries.' },
    { group: ['**/store/**', '**/custody/**', '**/cli/**', '**/app/**', '**/vault/**'], message: 'main/core must not import outer layers.' },
  ]),
  layer(['main/store/**', 'main/custody/**'], [
    ELECTRON,
    { group: ['**/cli/**', '**/app/**', '**/vault/**'], message: 'store and custody must not import outer layers.' },
  ]),
  layer(['main/files/**'], [ELECTRON, { group: ['**/cli/**', '**/app/**'], message: 'main/files is used by the CLI and the app, not the other way round.' }]),
  layer(['main/session/**'], [ELECTRON, { group: ['**/cli/**', '**/app/**'], message: 'main/session serves the CLI and the app, not the other way round.' }]),
  layer(['main/bridge/**'], [ELECTRON, { group: ['**/cli/**', '**/app/**'], message: 'main/bridge is plain: the Electron adapter (main/app) and test transports use it, not the other way round.' }]),
  // The renderer is a web page: it imports the contract and the bridge's types (main/api) and nothing else of main.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'The renderer is a web page: no Node modules.' })),
          patterns: [
            ELECTRON,
            { group: ['**/main/*', '!**/main/api', '**/main/*/**', '!**/main/api/**'], message: 'The renderer talks only to window.strongroom; from main it imports only main/api.' },
            { group: ['**/preload/**'], message: 'The renderer talks only to window.strongroom.' },
          ],
        },
      ],
    },
  },
  // The preload: electron and the contract, nothing of the Node side (it is bundled into a sandboxed script).
  layer(['preload/**'], [{ group: ['**/main/*', '!**/main/api', '**/main/*/**', '!**/main/api/**'], message: 'The preload imports only main/api (and electron).' }]),
  layer(['main/cli/**', 'main/vault/**'], [ELECTRON, APP, { group: ['**/bridge/**'], message: 'The CLI and the vault know nothing of the desktop app.' }]),
  // Backup and restore sit beside the vault wiring: the CLI (and later the app's session) use them, not the other way round.
  layer(['main/backup/**'], [ELECTRON, APP, { group: ['**/cli/**', '**/session/**', '**/bridge/**'], message: 'main/backup serves the CLI and the app; it imports none of them.' }]),
);
