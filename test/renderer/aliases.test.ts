// The Aliases screen (#/aliases) in Chromium over the real bridge and vault:
// create (a name the vault refuses is shown with its AWS error), retarget to
// a key of the same spec and usage, delete after a confirmation — each
// checked against what ListAliases says in the vault.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('the Aliases screen', () => {
  it('create, retarget, delete: a round trip the vault agrees with', async () => {
    const app = await openApp(browser);
    const { t, page } = app;
    const aliases = async () => (await t.call('ListAliases', {})).Aliases.map((a) => ({ AliasName: a.AliasName, TargetKeyId: a.TargetKeyId }));
    try {
      const payroll = (await t.call('CreateKey', { Description: 'Payroll' })).KeyMetadata;
      const payroll2 = (await t.call('CreateKey', { Description: 'Payroll, next year' })).KeyMetadata;
      const rsa = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'Signing' })).KeyMetadata;
      const doomed = (await t.call('CreateKey', { Description: 'Going away' })).KeyMetadata;
      await t.call('ScheduleKeyDeletion', { KeyId: doomed.KeyId, PendingWindowInDays: 7 });

      await signIn(page);
      await page.getByRole('link', { name: 'Aliases' }).click();
      await page.getByRole('heading', { name: 'Aliases', exact: true }).waitFor();
      await page.getByText('No aliases in this region yet.').waitFor();
      // a key pending deletion cannot take an alias, so it is not offered
      const target = page.getByLabel('Target key', { exact: true });
      await expect.poll(() => target.locator('option').count()).toBe(4);
      expect(await target.locator('option').allTextContents()).not.toContain(expect.stringContaining(doomed.KeyId));
      await checkScreen(page, 'aliases-empty');

      // the contract's schema first (a name is required, a key too), then the vault's own rules
      const name = page.getByLabel('Alias name', { exact: true });
      await name.fill('');
      await page.getByRole('button', { name: 'Create alias' }).click();
      await page.getByText('Choose the key the alias names.').waitFor();
      await name.fill('payroll');
      // the search narrows the choices (description, id or alias); the chosen key stays chosen when the search hides it
      await page.getByLabel('Find a key').fill('NEXT YEAR');
      await expect.poll(() => target.locator('option').allTextContents()).toEqual(['Choose a key…', expect.stringContaining(payroll2.KeyId)]);
      await page.getByText('1 of 3 keys match.').waitFor();
      await page.getByLabel('Find a key').fill('');
      await target.selectOption(payroll.KeyId);
      await page.getByLabel('Find a key').fill('signing');
      expect(await target.inputValue()).toBe(payroll.KeyId);
      await page.getByLabel('Find a key').fill('');
      await page.getByRole('button', { name: 'Create alias' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^InvalidAliasNameException: /);
      expect(await aliases()).toEqual([]);

      await name.fill('alias/payroll');
      await page.getByRole('button', { name: 'Create alias' }).click();
      const row = page.getByRole('row').filter({ hasText: 'alias/payroll' });
      await row.waitFor();
      expect(await aliases()).toEqual([{ AliasName: 'alias/payroll', TargetKeyId: payroll.KeyId }]);
      await expect.poll(() => row.textContent()).toContain(payroll.KeyId);
      await checkScreen(page, 'aliases');

      // retarget: only keys of the same spec and usage are offered
      await page.getByRole('button', { name: 'Retarget alias/payroll' }).click();
      const dialog = page.getByRole('dialog', { name: 'Retarget alias/payroll' });
      await dialog.waitFor();
      const choices = await dialog.getByLabel('New target key').locator('option').allTextContents();
      expect(choices.slice(1)).toEqual([expect.stringContaining(payroll2.KeyId)]);
      expect(choices.join()).not.toContain(rsa.KeyId);
      await checkScreen(page, 'aliases-retarget');
      await dialog.getByLabel('New target key').selectOption(payroll2.KeyId);
      await dialog.getByRole('button', { name: 'Retarget' }).click();
      await page.getByText(`alias/payroll now points at ${payroll2.KeyId}.`).waitFor();
      expect(await aliases()).toEqual([{ AliasName: 'alias/payroll', TargetKeyId: payroll2.KeyId }]);
      await expect.poll(() => row.textContent()).toContain(payroll2.KeyId);

      // delete asks first; Cancel (and Escape) leave the alias
      await page.getByRole('button', { name: 'Delete alias/payroll' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete alias/payroll?' });
      await confirm.waitFor();
      await checkScreen(page, 'aliases-delete');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Delete alias/payroll' }).click();
      await confirm.waitFor();
      await page.keyboard.press('Escape');
      await confirm.waitFor({ state: 'detached' });
      expect(await aliases()).toHaveLength(1);
      await page.getByRole('button', { name: 'Delete alias/payroll' }).click();
      await confirm.getByRole('button', { name: 'Delete alias' }).click();
      await page.getByText('alias/payroll was deleted.').waitFor();
      await page.getByText('No aliases in this region yet.').waitFor();
      expect(await aliases()).toEqual([]);

      // the key list shows aliases too, read again after a change
      await t.call('CreateAlias', { AliasName: 'alias/signing', TargetKeyId: rsa.KeyId });
      await page.getByRole('link', { name: 'Keys' }).click();
      await expect.poll(() => page.locator(`tr[data-key-id="${rsa.KeyId}"] td`).first().textContent()).toBe('alias/signing');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
