// The screens before the shell, in Chromium over the real bridge and vault:
// the first run creates a vault, a locked passphrase vault unlocks, a user
// signs in (and a user who must changes its passphrase first), an idle
// session locks and says so. Each screen passes axe and is photographed.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultHost } from '../../main/session/vault-host.js';
import { startBrowserBridge } from '../support/browser-bridge.js';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';
import { TEST_ARGON2 } from '../support/vault.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('before the shell', () => {
  it('first run: creates a passphrase vault, signs in to it', async () => {
    const app = await openApp(browser);
    const dir = join(app.t.dir, 'new-vault');
    const host = new VaultHost(dir, { service: { argon2: TEST_ARGON2 } });
    const bridge = await startBrowserBridge({ host, cwd: dir });
    const page = await bridge.open(browser);
    try {
      await page.getByRole('heading', { name: 'Create the vault' }).waitFor();
      await checkScreen(page, 'first-run');
      await page.getByLabel(/A vault passphrase/).check();
      await page.getByLabel('Vault passphrase', { exact: true }).fill('first run vault passphrase');
      await page.getByLabel('Admin passphrase', { exact: true }).fill('first run admin passphrase');
      await page.getByLabel('Admin passphrase again').fill('first run admin passphrase!');
      await page.getByText('The two passphrases differ.').waitFor();
      await page.getByLabel('Admin passphrase again').fill('first run admin passphrase');
      await page.getByRole('button', { name: 'Create the vault' }).click();
      await signIn(page, 'admin', 'first run admin passphrase');
      expect(host.vault.custody).toBe('passphrase');
    } finally {
      await page.close();
      await bridge.close();
      await host.close();
      await app.close();
    }
  });

  it('sign-in: a wrong passphrase is named; a user who must change its passphrase does so first', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateUser', { UserName: 'nora' });
      await t.call('CreateLoginProfile', { UserName: 'nora', Password: 'first passphrase of nora', PasswordResetRequired: true });
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await checkScreen(page, 'sign-in');
      await page.getByLabel('User').fill('nora');
      await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^AccessDeniedException: /);
      await page.getByLabel('Passphrase', { exact: true }).fill('first passphrase of nora');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Choose a new passphrase' }).waitFor();
      await checkScreen(page, 'change-passphrase');
      await page.getByLabel('Current passphrase').fill('first passphrase of nora');
      await page.getByLabel('New passphrase', { exact: true }).fill('second passphrase of nora');
      await page.getByLabel('New passphrase again').fill('second passphrase of nora');
      await page.getByRole('button', { name: 'Change passphrase' }).click();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('the idle lock sends the window back to sign-in, saying why', async () => {
    const app = await openApp(browser, { idleLockMs: 1 });
    try {
      await signIn(app.page);
      await new Promise((r) => setTimeout(r, 5));
      app.bridge.dispatcher.lockIdle();
      await app.page.getByText('Locked (idle for too long): sign in again.').waitFor();
      await checkScreen(app.page, 'locked');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
