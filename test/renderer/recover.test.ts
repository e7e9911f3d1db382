// Recovery from custodians' shares through the screens, in Chromium over the
// real bridge, a real keychain vault and real files (run under
// test/with-secret-service.sh): a vault with a key, a 3-of-5 split and a
// backup; its keychain entry deleted. The unlock screen says why the vault
// does not open, shows the split, takes 3 shares (alice's sealed file and
// passphrase, carol's age file and identity, dave's paper words typed),
// refuses 2, and recovers; then sign-in and the key. And on the first run
// of a fresh folder, "Restore from a backup" with the same shares.
import { AsyncEntry } from '@napi-rs/keyring';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import { VaultHost } from '../../main/session/vault-host.js';
import { initVault, openVault } from '../../main/vault/vault.js';
import { CUSTODIAN_PASSPHRASES, splitFive } from '../backup/support.js';
import { launchChromium, startBrowserBridge } from '../support/browser-bridge.js';
import { checkScreen, signIn } from '../support/e2e.js';
import { ADMIN_PASSPHRASE, TEST_ARGON2 } from '../support/vault.js';

const SHOTS = '/work/screenshots';
const service = { argon2: TEST_ARGON2 };
let browser: Browser;
let work: string;
let vaultId: string;
const shares = () => join(work, 'shares');

const forgetKeychain = async () => {
  for (const account of [`vault:${vaultId}`, `vault:${vaultId}:audit-anchors`]) await new AsyncEntry('Strongroom', account).deleteCredential().catch(() => undefined);
};

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') throw new Error('run under `bash test/with-secret-service.sh npx vitest run test/renderer/recover.test.ts`');
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchChromium();
  work = await mkdtemp(join(tmpdir(), 'strongroom-recover-e2e-'));
  ({ vaultId } = await initVault(join(work, 'vault'), { custody: { kind: 'keychain' }, adminPassphrase: ADMIN_PASSPHRASE, service }));
  const vault = await openVault(join(work, 'vault'), { service });
  try {
    const admin = await vault.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    await vault.service.call(admin, 'CreateKey', { Description: 'Kept through the loss' });
    await splitFive(vault, shares());
    await createBackup(vault, admin, { outPath: join(work, 'vault.srb') });
  } finally {
    await vault.close();
  }
  await forgetKeychain();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await forgetKeychain();
  await rm(work, { recursive: true, force: true });
});

/** Gives share `n` (1-based) in the share list: whose, and as a file with its secret or as words. */
async function giveShare(page: Page, n: number, custodian: string, share: { path: string; passphrase?: string; identity?: string } | { words: string }) {
  if (n > 1) await page.getByRole('button', { name: 'Add a share' }).click();
  await page.getByLabel(`Share ${n}: custodian`).selectOption(custodian);
  const group = page.getByRole('group', { name: `Share ${n} (${custodian})` });
  if ('words' in share) {
    await group.getByLabel('Given as').selectOption('words');
    await group.getByLabel(`${custodian}’s paper words`).fill(share.words);
    return;
  }
  await group.getByLabel(`${custodian}’s share file`).fill(share.path);
  if (share.passphrase) await group.getByLabel(`${custodian}’s passphrase`).fill(share.passphrase);
  if (share.identity) await group.getByLabel(`${custodian}’s age identity`).fill(share.identity);
}

async function seeTheKey(page: Page) {
  await signIn(page);
  await page.getByRole('heading', { name: 'Keys' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'Kept through the loss' }).waitFor();
}

describe('recovering the vault through the screens', () => {
  it('the keychain entry gone: the unlock screen names the problem, shows the split, and 3 shares recover it; then sign-in and the key', async () => {
    const host = new VaultHost(join(work, 'vault'), { service });
    await host.open().catch(() => undefined); // what the app does as it starts (main/app/main.ts)
    const chosen = [join(shares(), 'alice.share')];
    const bridge = await startBrowserBridge({ host, cwd: work, chooseFiles: async () => chosen.splice(0, 1) });
    const page = await bridge.open(browser);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.getByRole('heading', { name: 'The vault does not open' }).waitFor();
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/^KMSInvalidStateException: The OS keychain has no master key/);
      await expect.poll(() => page.getByTestId('recover-split').textContent()).toMatch(/any 3 of 5 custodians: alice, bob, carol, dave, erin/);

      // alice's file from the dialog, and her passphrase
      await page.getByRole('button', { name: 'Choose file… (alice’s share file)' }).click();
      await expect.poll(() => page.getByLabel('alice’s share file').inputValue()).toBe(join(shares(), 'alice.share'));
      await page.getByLabel('alice’s passphrase').fill(CUSTODIAN_PASSPHRASES.alice);
      await giveShare(page, 2, 'dave', { words: await readFile(join(shares(), 'dave.paper.txt'), 'utf8') });
      // two shares: refused, the vault still closed
      await page.getByRole('button', { name: 'Recover the vault' }).click();
      await expect.poll(() => page.getByRole('alert').last().textContent()).toMatch(/^ValidationException: .*3/);
      await giveShare(page, 3, 'carol', { path: 'shares/carol.share.age', identity: await readFile(join(shares(), 'carol.key'), 'utf8') });
      expect(host.isOpen).toBe(false);
      await checkScreen(page, 'recover-unlock');
      await page.screenshot({ path: join(SHOTS, 'recover-unlock.png'), fullPage: true });

      await page.getByRole('button', { name: 'Recover the vault' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
      expect(host.isOpen).toBe(true);
      expect(host.vault.custody).toBe('keychain');
      await seeTheKey(page);
      await page.screenshot({ path: join(SHOTS, 'recover-signed-in.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await bridge.close();
      await host.close();
    }
  }, 180_000);

  it('the first run of a fresh folder: "Restore from a backup" with 3 shares and a new vault passphrase; then sign-in and the key', async () => {
    const dir = join(work, 'fresh');
    const host = new VaultHost(dir, { service });
    const bridge = await startBrowserBridge({ host, cwd: work, chooseFiles: async () => [join(work, 'vault.srb')] });
    const page = await bridge.open(browser);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.getByRole('heading', { name: 'Create the vault' }).waitFor();
      await page.getByRole('button', { name: 'Restore from a backup' }).click();
      await page.getByRole('heading', { name: 'Restore from a backup' }).waitFor();
      await page.getByRole('button', { name: 'Choose file… (Backup file)' }).click();
      await expect.poll(() => page.getByLabel('Backup file').inputValue()).toBe(join(work, 'vault.srb'));
      await page.getByRole('button', { name: 'Read the backup’s recovery split' }).click();
      await expect.poll(() => page.getByTestId('restore-split').textContent()).toMatch(/any 3 of 5 custodians: alice, bob, carol, dave, erin/);

      await page.getByLabel('alice’s share file').fill('shares/alice.share');
      await page.getByLabel('alice’s passphrase').fill('not alice passphrase');
      await giveShare(page, 2, 'carol', { path: join(shares(), 'carol.share.age'), identity: await readFile(join(shares(), 'carol.key'), 'utf8') });
      await giveShare(page, 3, 'erin', { words: await readFile(join(shares(), 'erin.paper.txt'), 'utf8') });
      await page.getByLabel('A new vault passphrase').check();
      await page.getByLabel('New vault passphrase', { exact: true }).fill('the restored vault passphrase');
      await page.getByLabel('New vault passphrase again').fill('the restored vault passphrase');
      // alice's passphrase mistyped: her share is named, nothing restored
      await page.getByRole('button', { name: 'Restore the vault' }).click();
      await expect.poll(() => page.getByRole('alert').last().textContent(), { timeout: 30_000 }).toMatch(/^AccessDeniedException: shares\/alice\.share: /);
      expect(host.exists).toBe(false);
      await page.getByLabel('alice’s passphrase').fill(CUSTODIAN_PASSPHRASES.alice);
      await checkScreen(page, 'recover-restore');
      await page.screenshot({ path: join(SHOTS, 'recover-restore.png'), fullPage: true });

      await page.getByRole('button', { name: 'Restore the vault' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
      expect(host.isOpen).toBe(true);
      expect(host.vault.custody).toBe('passphrase');
      await seeTheKey(page);
      await page.screenshot({ path: join(SHOTS, 'recover-restored-signed-in.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await bridge.close();
      await host.close();
    }
  }, 180_000);
});
