// The create-key wizard (#/create-key) in Chromium over the real bridge and
// vault: a symmetric key with alias, description, tag, administrators and
// users; an RSA key, with only valid specs offered for each usage; an HMAC
// key with imported (EXTERNAL) material. What the review step shows as the
// key policy is, byte for byte, what GetKeyPolicy returns afterwards.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { specsFor } from '../../renderer/src/screens/create-key/choices.js';
import { checkScreen, launchChromium, openApp, signIn, type AppUnderTest } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

/** Records the hashes the page navigates to (the key's page belongs to another screen). */
async function recordNavigation(page: Page): Promise<void> {
  await page.evaluate("window.hashes = []; addEventListener('hashchange', () => window.hashes.push(location.hash))");
}

/** Clicks Create key on the review step and returns the id of the key the wizard opened. */
async function createAndOpen(page: Page): Promise<string> {
  await recordNavigation(page);
  await page.getByRole('button', { name: 'Create key' }).click();
  let keyId = '';
  await expect
    .poll(async () => {
      const hashes = await page.evaluate<string[]>('window.hashes');
      keyId = hashes.map((h) => /^#\/keys\/([0-9a-f-]{36})$/.exec(h)?.[1]).find(Boolean) ?? '';
      return keyId;
    })
    .toMatch(/^[0-9a-f-]{36}$/);
  return keyId;
}

const step = (page: Page, title: string) => page.getByRole('heading', { name: title, level: 2 }).waitFor();
const next = (page: Page) => page.getByRole('button', { name: 'Next' }).click();

async function openWizard(app: AppUnderTest): Promise<void> {
  await signIn(app.page);
  await app.page.getByRole('link', { name: 'Create key' }).click();
  await step(app.page, 'Key type and usage');
}

describe('create key wizard', () => {
  it('a symmetric key with alias, description, tag, administrators and users; the policy reviewed is the policy attached', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const alice = (await t.call('CreateUser', { UserName: 'alice' })).User;
      const bob = (await t.call('CreateUser', { UserName: 'bob' })).User;
      await openWizard(app);
      expect(await page.getByLabel(/^Symmetric/).isChecked()).toBe(true);
      expect(await page.getByLabel('Key spec').locator('option').allTextContents()).toEqual(['SYMMETRIC_DEFAULT']);
      await checkScreen(page, 'create-key-1-type');
      await next(page);

      await step(page, 'Alias, description and tags');
      await page.getByLabel('Alias').fill('payroll');
      await page.getByLabel('Description').fill('Payroll exports');
      await page.getByRole('button', { name: 'Add tag' }).click();
      await page.getByLabel('Tag 1 key').fill('team');
      await page.getByLabel('Tag 1 value').fill('finance');
      await checkScreen(page, 'create-key-2-labels');
      await next(page);

      await step(page, 'Key administrators');
      await page.getByRole('checkbox', { name: /^alice/ }).check();
      await checkScreen(page, 'create-key-3-administrators');
      await next(page);
      await step(page, 'Key users');
      await page.getByRole('checkbox', { name: /^bob/ }).check();
      await checkScreen(page, 'create-key-4-users');
      await next(page);

      await step(page, 'Review');
      const shown = await page.getByTestId('key-policy').textContent();
      await checkScreen(page, 'create-key-5-review');
      const keyId = await createAndOpen(page);

      expect((await t.call('ListKeys', {})).Keys.map((k) => k.KeyId)).toEqual([keyId]); // one key: reaching the review created nothing
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyId });
      expect(KeyMetadata).toMatchObject({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', KeyState: 'Enabled', Description: 'Payroll exports' });
      const { Policy } = await t.call('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' });
      expect(Policy).toBe(shown);
      const statements = JSON.parse(Policy!).Statement as { Sid: string; Principal: { AWS: string }; Action: string[] }[];
      expect(statements.find((s) => s.Sid === 'Allow access for Key Administrators')?.Principal.AWS).toBe(alice.Arn);
      const use = statements.find((s) => s.Sid === 'Allow use of the key');
      expect(use?.Principal.AWS).toBe(bob.Arn);
      expect(use?.Action).toContain('kms:GenerateDataKey*');
      expect((await t.call('ListAliases', { KeyId: keyId })).Aliases.map((a) => a.AliasName)).toEqual(['alias/payroll']);
      expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'team', TagValue: 'finance' }]);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an RSA key: each usage offers only the specs that allow it, and the key users get what its usage needs', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const bob = (await t.call('CreateUser', { UserName: 'bob' })).User;
      await openWizard(app);
      await page.getByLabel(/^Asymmetric/).check();
      const specs = () => page.getByLabel('Key spec').locator('option').allTextContents();
      await page.getByRole('radio', { name: 'Sign and verify', exact: true }).check();
      expect(await specs()).toEqual(specsFor('asymmetric', 'SIGN_VERIFY'));
      await page.getByRole('radio', { name: 'Key agreement', exact: true }).check();
      expect(await specs()).toEqual(specsFor('asymmetric', 'KEY_AGREEMENT'));
      await page.getByRole('radio', { name: 'Encrypt and decrypt', exact: true }).check();
      expect(await specs()).toEqual(['RSA_2048', 'RSA_3072', 'RSA_4096']);
      await page.getByLabel('Key spec').selectOption('RSA_2048');
      await checkScreen(page, 'create-key-1-asymmetric');
      await next(page);
      await step(page, 'Alias, description and tags');
      await next(page);
      await step(page, 'Key administrators');
      await next(page);
      await step(page, 'Key users');
      await page.getByRole('checkbox', { name: /^bob/ }).check();
      await next(page);
      await step(page, 'Review');
      expect(await page.getByRole('definition').allTextContents()).toEqual(['Asymmetric', 'Encrypt and decrypt', 'RSA_2048', 'AWS_KMS', '—', '—', '—', '—', 'bob']);
      const shown = await page.getByTestId('key-policy').textContent();
      const keyId = await createAndOpen(page);

      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: keyId });
      expect(KeyMetadata).toMatchObject({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', KeyState: 'Enabled', EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] });
      const { Policy } = await t.call('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' });
      expect(Policy).toBe(shown);
      const use = (JSON.parse(Policy!).Statement as { Sid: string; Principal: { AWS: string }; Action: string[] }[]).find((s) => s.Sid === 'Allow use of the key');
      expect(use).toMatchObject({ Principal: { AWS: bob.Arn }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'] });
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('an HMAC key with EXTERNAL origin waits for its material; a refused alias says the key exists without it', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await openWizard(app);
      await page.getByLabel(/^HMAC/).check();
      expect(await page.getByLabel('Key spec').locator('option').allTextContents()).toEqual(['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512']);
      await page.getByLabel('Key spec').selectOption('HMAC_256');
      await page.getByLabel(/^External/).check();
      await next(page);
      await step(page, 'Alias, description and tags');
      await page.getByLabel('Alias').fill('aws/reserved'); // AWS reserves alias/aws/ for its own keys
      await next(page);
      await next(page);
      await next(page);
      await step(page, 'Review');
      await page.getByRole('button', { name: 'Create key' }).click();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toMatch(/^\w+Exception: /);
      const { Keys } = await t.call('ListKeys', {});
      expect(Keys).toHaveLength(1);
      await page.getByText(`The key ${Keys[0]!.KeyId} was created without its alias.`).waitFor();
      await checkScreen(page, 'create-key-alias-refused');
      const { KeyMetadata } = await t.call('DescribeKey', { KeyId: Keys[0]!.KeyId });
      expect(KeyMetadata).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', Origin: 'EXTERNAL', KeyState: 'PendingImport' });
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
