// The one test of the real Electron app (issue 11), with Playwright's
// Electron support: launch the built app on a fresh passphrase vault,
// unlock it, sign in, create a key with the wizard, see it listed. It needs the Electron
// binary, which cannot be downloaded on the build machines
// (ELECTRON_SKIP_BINARY_DOWNLOAD=1, DESIGN §8): there it reports itself
// skipped, saying so. It is the only test allowed to skip, and only for
// that reason; the same screens run in Chromium against the same
// dispatcher in test/renderer/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { initVault } from '../../main/vault/vault.js';
// @ts-expect-error: a plain .mjs script without types (scripts/electron-binary.mjs)
import { electronBinary } from '../../scripts/electron-binary.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = (electronBinary as (root: string) => string | undefined)(ROOT);

describe('the Electron app', () => {
  it('launches: unlock, sign in, create a key, see it listed', async (ctx) => {
    if (!BINARY) {
      const reason = 'skipped: the Electron binary is not installed here (node_modules/electron has no dist/: installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';
      console.warn(`test/app/launch.test.ts ${reason}`); // the default reporter does not print a skip's note
      ctx.skip(reason);
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-electron-'));
    const userData = await mkdtemp(join(tmpdir(), 'strongroom-electron-data-'));
    try {
      await initVault(join(dir, 'vault'), { custody: { kind: 'passphrase', passphrase: 'launch test vault passphrase' }, adminPassphrase: 'launch test admin passphrase' });
      const app = await electron.launch({
        executablePath: BINARY,
        args: [ROOT, `--user-data-dir=${userData}`],
        env: { ...process.env, STRONGROOM_VAULT: join(dir, 'vault') } as Record<string, string>,
      });
      try {
        const page = await app.firstWindow();
        expect(page.url()).toBe('app://strongroom/index.html');
        await page.getByLabel('Vault passphrase').fill('launch test vault passphrase');
        await page.getByRole('button', { name: 'Unlock' }).click();
        await page.getByLabel('Passphrase', { exact: true }).fill('launch test admin passphrase');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('heading', { name: 'Keys' }).waitFor();
        // the create-key wizard: a symmetric key with a description, defaults elsewhere
        await page.getByRole('link', { name: 'Create key' }).click();
        await page.getByRole('heading', { name: 'Key type and usage', level: 2 }).waitFor();
        await page.getByRole('button', { name: 'Next' }).click();
        await page.getByLabel('Description').fill('Created in the Electron app');
        for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click();
        await page.getByRole('heading', { name: 'Review', level: 2 }).waitFor();
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.waitForURL(/#\/keys\/[0-9a-f-]{36}$/);
        await page.getByRole('link', { name: 'Keys', exact: true }).click();
        await page.getByRole('row').filter({ hasText: 'Created in the Electron app' }).waitFor();
        // the renderer has no Node and only the one bridge object
        expect(await page.evaluate<string>('typeof require + "," + typeof process + "," + Object.keys(window.strongroom).sort().join(",")')).toBe(
          'undefined,undefined,call,onSessionEvent,pathForFile,signIn,signOut,startFileJob',
        );
      } finally {
        await app.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(userData, { recursive: true, force: true });
    }
  }, 120_000);
});
