// Lint, including the layer map (DESIGN §2): imports go one way only.
// core knows nothing of Electron, SQLite, custody, the CLI or the vault
// wiring; store and custody know the core but not the CLI or Electron.
import tseslint from 'typescript-eslint';

const layer = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const ELECTRON = { group: ['electron', 'electron/*'], message: 'Only main/app may import electron.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vault-test-*/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
  layer(['main/cli/**', 'main/vault/**'], [ELECTRON]),
);
