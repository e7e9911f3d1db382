// The key detail screen (#/keys/:keyId) in Chromium over the real bridge
// and vault: state changes confirmed in dialogs and checked in the vault;
// actions offered by role (a key administrator, a key user, another
// tenant's admin); the ARN copied through the app's clipboard operation.
// Every screen state passes axe and is photographed; the page logs no
// error and no CSP violation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultHost } from '../../main/session/vault-host.js';
import { startBrowserBridge, type BrowserBridge } from '../support/browser-bridge.js';
import { checkScreen, launchChromium, signIn } from '../support/e2e.js';
import { makeVault, type TestVault } from '../support/vault.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

interface DetailApp {
  t: TestVault;
  bridge: BrowserBridge;
  /** what CopyToClipboard put on the (test) clipboard */
  copied: string[];
  problems: string[];
  /** a new window with its own session */
  window(): Promise<Page>;
  close(): Promise<void>;
}

/** As e2e.ts openApp, with a clipboard that records what the app copies (Electron's is main/app/clipboard-guard.ts). */
async function openDetailApp(): Promise<DetailApp> {
  const t = await makeVault();
  const copied: string[] = [];
  const bridge = await startBrowserBridge({
    host: VaultHost.of(t.vault),
    cwd: t.dir,
    desktop: { clipboard: { copy: async (text) => void copied.push(text) } },
  });
  const problems: string[] = [];
  return {
    t,
    bridge,
    copied,
    problems,
    async window() {
      const page = await bridge.open(browser);
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      return page;
    },
    async close() {
      await bridge.close();
      await t.close();
    },
  };
}

async function showKey(page: Page, keyId: string): Promise<void> {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/keys/${keyId}`);
  await page.getByRole('heading', { name: `Key ${keyId}` }).waitFor();
}

const state = async (t: TestVault, keyId: string) => (await t.call('DescribeKey', { KeyId: keyId })).KeyMetadata;

describe('key detail', () => {
  it('summary with a copyable ARN; disable, enable, schedule and cancel deletion, each confirmed, as the vault then says', async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      const { KeyMetadata } = await t.call('CreateKey', { Description: 'payroll exports' });
      const keyId = KeyMetadata.KeyId;
      await t.call('CreateAlias', { AliasName: 'alias/payroll', TargetKeyId: keyId });
      const page = await app.window();
      await signIn(page);
      await showKey(page, keyId);
      const summary = page.getByRole('region', { name: 'Summary' });
      await summary.getByText('alias/payroll').waitFor();
      await summary.getByText('payroll exports').waitFor();
      expect(await page.getByTestId('key-arn').textContent()).toBe(KeyMetadata.Arn);
      await checkScreen(page, 'key-detail');

      await page.getByRole('button', { name: 'Copy ARN' }).click();
      await page.getByText(/^Copied; cleared from the clipboard after \d+ s\.$/).waitFor();
      expect(app.copied).toEqual([KeyMetadata.Arn]);

      // disable: nothing happens until confirmed; Cancel changes nothing
      await page.getByRole('button', { name: 'Disable key' }).click();
      const disable = page.getByRole('dialog', { name: 'Disable this key?' });
      await disable.waitFor();
      await checkScreen(page, 'key-detail-confirm-disable');
      await disable.getByRole('button', { name: 'Cancel' }).click();
      await disable.waitFor({ state: 'hidden' });
      expect((await state(t, keyId)).KeyState).toBe('Enabled');
      await page.getByRole('button', { name: 'Disable key' }).click();
      await disable.getByRole('button', { name: 'Disable key' }).click();
      await page.getByRole('button', { name: 'Enable key' }).waitFor();
      expect((await state(t, keyId)).KeyState).toBe('Disabled');

      await page.getByRole('button', { name: 'Enable key' }).click();
      await page.getByRole('dialog', { name: 'Enable this key?' }).getByRole('button', { name: 'Enable key' }).click();
      await page.getByRole('button', { name: 'Disable key' }).waitFor();
      expect((await state(t, keyId)).KeyState).toBe('Enabled');

      // schedule deletion: the picker refuses 31 days and shows the day for 7
      await page.getByRole('button', { name: 'Schedule key deletion' }).click();
      const schedule = page.getByRole('dialog', { name: 'Schedule the deletion of this key?' });
      const days = schedule.getByLabel('Waiting period in days (7–30)');
      await days.fill('31');
      await schedule.getByText('Choose a whole number of days from 7 to 30.').waitFor();
      expect(await schedule.getByRole('button', { name: 'Schedule deletion' }).isDisabled()).toBe(true);
      await days.fill('7');
      const inSevenDays = new Date(Date.now() + 7 * 86_400_000).toLocaleDateString('en-US', { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
      await schedule.getByText(`The key would be deleted on ${inSevenDays}.`).waitFor();
      await checkScreen(page, 'key-detail-confirm-schedule-deletion');
      await schedule.getByRole('button', { name: 'Schedule deletion' }).click();
      await page.getByRole('button', { name: 'Cancel key deletion' }).waitFor();
      const pending = await state(t, keyId);
      expect(pending.KeyState).toBe('PendingDeletion');
      expect(pending.PendingDeletionWindowInDays).toBe(7);
      await page.getByRole('region', { name: 'Summary' }).getByText(/deleted on .* unless the deletion is cancelled/).waitFor();
      expect(await page.getByRole('button', { name: 'Disable key' }).count()).toBe(0);
      await checkScreen(page, 'key-detail-pending-deletion');

      await page.getByRole('button', { name: 'Cancel key deletion' }).click();
      await page.getByRole('dialog', { name: 'Cancel the deletion of this key?' }).getByRole('button', { name: 'Cancel key deletion' }).click();
      await page.getByRole('button', { name: 'Enable key' }).waitFor();
      expect((await state(t, keyId)).KeyState).toBe('Disabled');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a key administrator is offered state changes and no cryptographic use; a key user no state changes; another tenant finds no key', async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      for (const name of ['alice', 'bob']) {
        await t.call('CreateUser', { UserName: name });
        await t.call('CreateLoginProfile', { UserName: name, Password: `passphrase of ${name}` });
      }
      const { KeyMetadata } = await t.call('CreateKey', { KeyAdministrators: ['alice'], KeyUsers: ['bob'] });
      const keyId = KeyMetadata.KeyId;

      const alice = await app.window();
      await signIn(alice, 'alice', 'passphrase of alice');
      await showKey(alice, keyId);
      await alice.getByRole('button', { name: 'Disable key' }).waitFor();
      await alice.getByRole('button', { name: 'Schedule key deletion' }).waitFor();
      expect(await alice.getByTestId('allowed-cryptographic').textContent()).toBe('Nothing');
      expect(await alice.getByTestId('allowed-management').textContent()).toMatch(/\bDisableKey\b.*\bScheduleKeyDeletion\b/);
      await checkScreen(alice, 'key-detail-key-administrator');
      // and what is offered works for her
      await alice.getByRole('button', { name: 'Disable key' }).click();
      await alice.getByRole('dialog', { name: 'Disable this key?' }).getByRole('button', { name: 'Disable key' }).click();
      await alice.getByRole('button', { name: 'Enable key' }).waitFor();
      expect((await state(t, keyId)).KeyState).toBe('Disabled');
      await t.call('EnableKey', { KeyId: keyId });

      const bob = await app.window();
      await signIn(bob, 'bob', 'passphrase of bob');
      await showKey(bob, keyId);
      await bob.getByRole('region', { name: 'Summary' }).getByText(KeyMetadata.Arn).waitFor();
      await bob.getByText(/^No state changes are offered: you may not read this key’s policy/).waitFor();
      for (const name of ['Disable key', 'Enable key', 'Schedule key deletion', 'Cancel key deletion']) {
        expect(await bob.getByRole('button', { name }).count(), name).toBe(0);
      }
      await checkScreen(bob, 'key-detail-key-user');

      // another tenant's admin (a new tenant's admin must change its passphrase first)
      await t.call('CreateTenant', { TenantName: 'other', AdminPassword: 'first passphrase of other' });
      const other = await app.window();
      await other.getByRole('heading', { name: 'Sign in' }).waitFor();
      await other.getByLabel('Tenant').fill('other');
      await other.getByLabel('User').fill('admin');
      await other.getByLabel('Passphrase', { exact: true }).fill('first passphrase of other');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByLabel('Current passphrase').fill('first passphrase of other');
      await other.getByLabel('New passphrase', { exact: true }).fill('second passphrase of other');
      await other.getByLabel('New passphrase again').fill('second passphrase of other');
      await other.getByRole('button', { name: 'Change passphrase' }).click();
      await other.getByRole('navigation', { name: 'Main' }).waitFor();
      await showKey(other, keyId);
      await expect.poll(() => other.getByRole('alert').textContent()).toMatch(/^NotFoundException: /);
      expect(await other.getByRole('region', { name: 'Summary' }).count()).toBe(0);
      expect(await other.getByRole('button').filter({ hasText: /key/ }).count()).toBe(0);
      await checkScreen(other, 'key-detail-not-found');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
