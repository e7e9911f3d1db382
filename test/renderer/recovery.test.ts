// The recovery screen in Chromium over the real bridge and vault: the
// operator administrator splits the recovery key 2-of-3 among custodians
// (a passphrase typed twice, words to print, an age recipient from the real
// age-keygen) into a folder chosen in the desktop's dialog; the files are
// there and private; the screen then shows the split, and splitting again
// asks first. The shares it wrote recover the vault (recoverCustody, what
// `strongroom ceremony recover` runs) with a new vault passphrase.
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePaperShare } from '../../main/custody/recovery/paper.js';
import { openShareWithPassphrase } from '../../main/custody/recovery/sealed-share.js';
import { recoverCustody } from '../../main/vault/recover-custody.js';
import { openVault } from '../../main/vault/vault.js';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';
import { refused } from '../support/kms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('recovery shares', () => {
  it('splits 2-of-3 into a chosen folder, shows the split, asks before a re-split; two of the shares recover the vault', async () => {
    const folder: { path?: string } = {};
    const app = await openApp(browser, { chooseFiles: async (request) => (request.Directory && folder.path ? [folder.path] : []) });
    try {
      const { page, t } = app;
      folder.path = join(t.dir, 'ceremony');
      await mkdir(folder.path);
      const identity = join(t.dir, 'carol.age-identity');
      execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
      const recipient = execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }).trim();

      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recovery and backup' }).click();
      await expect.poll(() => page.getByTestId('recovery-state').textContent()).toMatch(/^No recovery shares yet/);
      await checkScreen(page, 'recovery');

      await page.getByLabel('Custodian 1 name').fill('alice');
      await page.getByLabel('Custodian 1 delivery').selectOption('passphrase');
      await page.getByLabel('Custodian 1 passphrase', { exact: true }).fill('alice custodian passphrase');
      await page.getByLabel('Custodian 1 passphrase again').fill('alice custodian passphras');
      await page.getByLabel('Custodian 2 name').fill('bob');
      await page.getByLabel('Custodian 3 name').fill('carol');
      await page.getByLabel('Custodian 3 delivery').selectOption('age');
      await page.getByLabel('Custodian 3 age recipient').fill(recipient);
      // (the backup panel above has its own Choose…)
      await page.getByRole('form', { name: 'Split the recovery key' }).getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => page.getByLabel('Folder for the share files').inputValue()).toBe(folder.path);
      // the two passphrases differ: named, nothing written
      await page.getByRole('button', { name: 'Split and write the share files' }).click();
      await page.getByText('ValidationException: alice: the two passphrases differ.').waitFor();
      expect(await readdir(folder.path)).toEqual([]);
      await page.getByLabel('Custodian 1 passphrase again').fill('alice custodian passphrase');
      await page.getByRole('button', { name: 'Split and write the share files' }).click();
      await page.getByText(/^Split [0-9a-f]{8}: any 2 of 3 shares recover the vault\./).waitFor();
      expect((await readdir(folder.path)).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg', 'carol.share.age']);
      for (const f of await readdir(folder.path)) expect((await stat(join(folder.path, f))).mode & 0o777).toBe(0o600);
      await expect.poll(() => page.getByTestId('recovery-state').textContent()).toMatch(/^Any 2 of 3 custodians \(alice, bob, carol\) can recover/);
      await checkScreen(page, 'recovery-split');

      // splitting again revokes these shares: asked first, and cancelled here
      await page.getByRole('button', { name: 'Split and write the share files' }).click();
      const confirm = page.getByRole('dialog', { name: 'Replace the current split?' });
      await confirm.waitFor();
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'hidden' });

      // alice's and bob's shares open the vault with a new vault passphrase (a forgotten one, say)
      const records = [
        await openShareWithPassphrase(await readFile(join(folder.path, 'alice.share'), 'utf8'), 'alice custodian passphrase'),
        parsePaperShare(await readFile(join(folder.path, 'bob.paper.txt'), 'utf8')),
      ];
      await refused(recoverCustody(t.dir, { records: records.slice(0, 1) }, { kind: 'passphrase', passphrase: 'a new vault passphrase' }), 'ValidationException');
      await recoverCustody(t.dir, { records }, { kind: 'passphrase', passphrase: 'a new vault passphrase' });
      await (await openVault(t.dir, { vaultPassphrase: async () => 'a new vault passphrase' })).close();
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
