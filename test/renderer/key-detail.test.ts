// The key detail screen (#/keys/:keyId) in Chromium over the real bridge
// and vault: state changes confirmed in dialogs and checked in the vault;
// actions offered by role (a key administrator, a key user, another
// tenant's admin); the ARN copied through the app's clipboard operation.
// Every screen state passes axe and is photographed; the page logs no
// error and no CSP violation.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultHost } from '../../main/session/vault-host.js';
import { startBrowserBridge, type BrowserBridge } from '../support/browser-bridge.js';
import { checkScreen, launchChromium, signIn } from '../support/e2e.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { groupsForReading } from '../../renderer/src/screens/key-detail/fingerprint.js';

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
  /** the save dialogs the app asked for, and what the next one answers (a path, or none: cancelled) */
  dialogs: { Purpose: string; DefaultPath?: string | undefined }[];
  answer: { path?: string };
  problems: string[];
  /** a new window with its own session */
  window(): Promise<Page>;
  close(): Promise<void>;
}

/** As e2e.ts openApp, with a clipboard that records what the app copies (Electron's is main/app/clipboard-guard.ts). */
async function openDetailApp(): Promise<DetailApp> {
  const t = await makeVault();
  const copied: string[] = [];
  const dialogs: DetailApp['dialogs'] = [];
  const answer: DetailApp['answer'] = {};
  const bridge = await startBrowserBridge({
    host: VaultHost.of(t.vault),
    cwd: t.dir,
    desktop: { clipboard: { copy: async (text) => void copied.push(text) } },
    chooseFiles: async (request) => (dialogs.push(request), answer.path !== undefined ? [answer.path] : []),
  });
  const problems: string[] = [];
  return {
    t,
    bridge,
    copied,
    dialogs,
    answer,
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
  // the list's link does this; the test does not depend on another screen
  await page.evaluate(`location.hash = ${JSON.stringify(`#/keys/${keyId}`)}`);
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
      // the ARN field itself (a hint in the summary may quote the ARN too, once the refused policy read has answered)
      await expect.poll(() => bob.getByRole('region', { name: 'Summary' }).getByTestId('key-arn').textContent()).toBe(KeyMetadata.Arn);
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

  it("public key export: PEM that openssl reads as the vault's key, OpenSSH, the fingerprint large, a QR code, copied; a key user sees it too", async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      await t.call('CreateUser', { UserName: 'bob' });
      await t.call('CreateLoginProfile', { UserName: 'bob', Password: 'passphrase of bob' });
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', KeyUsers: ['bob'] });
      const keyId = KeyMetadata.KeyId;
      const page = await app.window();
      await signIn(page);
      await showKey(page, keyId);
      const section = page.getByRole('region', { name: 'Public key' });
      const text = section.getByTestId('public-key-text');
      await expect.poll(() => text.textContent()).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      const pem = (await text.textContent())!;
      const file = join(t.dir, 'exported.pem');
      writeFileSync(file, pem);
      // openssl reads it as a public key, and its DER is the vault's own
      execFileSync('openssl', ['pkey', '-pubin', '-in', file, '-noout']);
      const der = execFileSync('openssl', ['pkey', '-pubin', '-in', file, '-outform', 'DER']);
      const { PublicKey } = await t.call('GetPublicKey', { KeyId: keyId });
      expect(Buffer.from(der).equals(Buffer.from(PublicKey))).toBe(true);
      const exported = await t.call('ExportPublicKey', { KeyId: keyId, Format: 'pem' });
      expect(await section.getByTestId('fingerprint').textContent()).toBe(groupsForReading(exported.Fingerprint));
      await section.getByRole('img', { name: /^QR code of the public key/ }).waitFor();
      expect(await section.locator('svg.qr path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
      await checkScreen(page, 'key-detail-public-key');
      await section.getByRole('button', { name: 'Copy public key' }).click();
      await section.getByText(/^Copied;/).waitFor();
      expect(app.copied).toEqual([pem]);

      // saved to a file chosen in the save dialog, as DER: binary, the vault's own SubjectPublicKeyInfo
      await section.getByLabel('Format').selectOption('der');
      await expect.poll(() => section.getByLabel('Save to file').inputValue()).toBe(`${keyId}.der`);
      app.answer.path = join(t.dir, 'partner.der');
      await section.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => section.getByLabel('Save to file').inputValue()).toBe(app.answer.path);
      expect(app.dialogs.at(-1)).toMatchObject({ Purpose: 'save', DefaultPath: `${keyId}.der` });
      await section.getByRole('button', { name: 'Save', exact: true }).click();
      await section.getByText(`Saved ${PublicKey.length} bytes to ${app.answer.path}.`).waitFor();
      expect(readFileSync(app.answer.path).equals(Buffer.from(PublicKey))).toBe(true);
      execFileSync('openssl', ['pkey', '-pubin', '-inform', 'DER', '-in', app.answer.path, '-noout']);
      // a cancelled dialog changes nothing; a path in a missing folder is refused by name and writes nothing
      delete app.answer.path;
      await section.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => app.dialogs.length).toBe(2);
      expect(await section.getByLabel('Save to file').inputValue()).toBe(join(t.dir, 'partner.der'));
      await section.getByLabel('Save to file').fill('no-such-folder/partner.der');
      await section.getByRole('button', { name: 'Save', exact: true }).click();
      await section.getByRole('alert').getByText('ValidationException').waitFor();
      await section.getByLabel('Format').selectOption('pem');

      // OpenSSH: ssh-keygen reads the line and prints the fingerprint shown
      await section.getByLabel('Format').selectOption('ssh');
      await expect.poll(() => text.textContent()).toMatch(/^ssh-rsa /);
      const sshFile = join(t.dir, 'exported.pub');
      writeFileSync(sshFile, `${await text.textContent()}\n`);
      const printed = execFileSync('ssh-keygen', ['-l', '-f', sshFile]).toString();
      const shown = (await section.getByTestId('fingerprint').textContent())!.replace(/ /g, '');
      expect(printed).toContain(shown);

      // the key user may read the public key, and is offered no state change
      const bob = await app.window();
      await signIn(bob, 'bob', 'passphrase of bob');
      await showKey(bob, keyId);
      await expect.poll(() => bob.getByRole('region', { name: 'Public key' }).getByTestId('public-key-text').textContent()).toBe(pem);
      expect(await bob.getByRole('button', { name: 'Disable key' }).count()).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe(pem);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('key policy: roles as a form and JSON in CodeMirror saved round trip; bad JSON caught, a lockout refused with its sentence; the matrix follows', async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      for (const name of ['alice', 'carol']) await t.call('CreateUser', { UserName: name });
      const { KeyMetadata } = await t.call('CreateKey', { KeyAdministrators: ['alice'], KeyUsers: ['alice'] });
      const keyId = KeyMetadata.KeyId;
      const carolArn = `arn:strongroom:iam::${KeyMetadata.AWSAccountId}:user/carol`;
      const page = await app.window();
      await signIn(page);
      await showKey(page, keyId);
      const section = page.getByRole('region', { name: 'Key policy' });
      await section.getByRole('textbox', { name: 'Key policy JSON' }).waitFor();
      await checkScreen(page, 'key-detail-policy');

      // the form: carol becomes a key user
      await section.getByLabel('carol is a key user').check();
      await section.getByRole('button', { name: 'Save key policy' }).click();
      await page.getByRole('dialog', { name: 'Replace the key policy?' }).getByRole('button', { name: 'Save key policy' }).click();
      await page.getByRole('dialog', { name: 'Replace the key policy?' }).waitFor({ state: 'hidden' });
      await expect.poll(async () => JSON.parse((await t.call('GetKeyPolicy', { KeyId: keyId })).Policy).Statement.find((s: { Sid?: string }) => s.Sid === 'Allow use of the key').Principal.AWS).toContain(carolArn);
      // the matrix shows what that decided
      const matrix = page.getByRole('table', { name: 'Permissions by action and user' });
      const encryptRow = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'kms:Encrypt', exact: true }) });
      const carolColumn = (await matrix.getByRole('columnheader').allTextContents()).indexOf('carol');
      await expect.poll(async () => (await encryptRow.getByRole('cell').nth(carolColumn - 1).textContent()) ?? '').toMatch(/^Allowed“Allow use of the key”$/);

      // the JSON: not JSON is caught before anything is sent
      const editor = section.getByRole('textbox', { name: 'Key policy JSON' });
      const before = (await t.call('GetKeyPolicy', { KeyId: keyId })).Policy;
      await editor.click();
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText('{"Version": ');
      await section.getByText(/^The policy is not valid JSON: /).waitFor();
      expect(await section.getByRole('button', { name: 'Save key policy' }).isDisabled()).toBe(true);

      // a policy that would lock the admin out: refused by PutKeyPolicy's lockout check, with its sentence
      const lockout = { Version: '2012-10-17', Statement: [{ Sid: 'Only carol', Effect: 'Allow', Principal: { AWS: carolArn }, Action: 'kms:*', Resource: '*' }] };
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText(JSON.stringify(lockout, null, 2));
      await section.getByRole('button', { name: 'Save key policy' }).click();
      const confirm = page.getByRole('dialog', { name: 'Replace the key policy?' });
      await confirm.getByRole('button', { name: 'Save key policy' }).click();
      await expect.poll(() => confirm.getByRole('alert').textContent()).toMatch(/^MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future/);
      await checkScreen(page, 'key-detail-policy-refused');
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      expect((await t.call('GetKeyPolicy', { KeyId: keyId })).Policy).toBe(before);

      // a good JSON edit goes through, word for word
      const edited = { ...JSON.parse(before), Id: 'edited-in-the-app' };
      await editor.click();
      await page.keyboard.press('Control+a');
      await page.keyboard.insertText(JSON.stringify(edited, null, 2));
      await section.getByRole('button', { name: 'Save key policy' }).click();
      await confirm.getByRole('button', { name: 'Save key policy' }).click();
      await confirm.waitFor({ state: 'hidden' });
      expect(JSON.parse((await t.call('GetKeyPolicy', { KeyId: keyId })).Policy).Id).toBe('edited-in-the-app');
      // CodeMirror ran under the CSP without a violation
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('rotation, tags and grants: turned on, rotated, tagged and untagged, granted with a constraint and revoked, as the vault then says', async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      await t.call('CreateUser', { UserName: 'dora' });
      const { KeyMetadata } = await t.call('CreateKey', {});
      const keyId = KeyMetadata.KeyId;
      const page = await app.window();
      await signIn(page);
      await showKey(page, keyId);

      const rotation = page.getByRole('region', { name: 'Rotation' });
      await rotation.getByText('None yet.').waitFor();
      await rotation.getByLabel('Rotation period in days (90–2560)').fill('180');
      await rotation.getByRole('button', { name: 'Turn on automatic rotation' }).click();
      await expect.poll(() => rotation.getByTestId('rotation-status').textContent()).toBe('On, every 180 days');
      expect((await t.call('GetKeyRotationStatus', { KeyId: keyId })).RotationPeriodInDays).toBe(180);
      await rotation.getByRole('button', { name: 'Rotate now' }).click();
      await page.getByRole('dialog', { name: 'Rotate this key now?' }).getByRole('button', { name: 'Rotate now' }).click();
      await rotation.getByRole('cell', { name: 'On demand' }).waitFor();
      const [rotated] = (await t.call('ListKeyRotations', { KeyId: keyId })).Rotations;
      expect(rotated?.RotationType).toBe('ON_DEMAND');
      // the rotation's key material id, and the summary's current one after it
      await rotation.getByRole('cell', { name: rotated!.KeyMaterialId }).waitFor();
      await expect.poll(() => page.getByTestId('current-key-material').textContent()).toBe(rotated!.KeyMaterialId);

      const tags = page.getByRole('region', { name: 'Tags' });
      await tags.getByText('No tags.').waitFor();
      await tags.getByLabel('Tag key').fill('team');
      await tags.getByLabel('Tag value').fill('payroll');
      await tags.getByRole('button', { name: 'Add tag' }).click();
      await tags.getByRole('cell', { name: 'payroll' }).waitFor();
      expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([{ TagKey: 'team', TagValue: 'payroll' }]);

      const grants = page.getByRole('region', { name: 'Grants' });
      await grants.getByText('No grants.').waitFor();
      await grants.getByLabel('Grantee').selectOption({ label: 'dora' });
      await grants.getByRole('button', { name: 'Create grant' }).click();
      // no operation ticked: the contract's schema says so before anything is sent
      await grants.getByText(/^ValidationException: Operations: /).waitFor();
      await grants.getByLabel('Encrypt', { exact: true }).check();
      await grants.getByLabel('Decrypt', { exact: true }).check();
      await grants.getByLabel('Encryption context constraint').selectOption('subset');
      await grants.getByLabel('Encryption context, one key=value a line').fill('purpose=payroll');
      await grants.getByLabel('Grant name (optional)').fill('payroll-batch');
      await grants.getByRole('button', { name: 'Create grant' }).click();
      await grants.getByRole('cell', { name: 'context includes purpose=payroll' }).waitFor();
      const [grant] = (await t.call('ListGrants', { KeyId: keyId })).Grants;
      expect(grant).toMatchObject({ Name: 'payroll-batch', Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { purpose: 'payroll' } } });
      await checkScreen(page, 'key-detail-sections');

      await tags.getByRole('button', { name: 'Remove tag team' }).click();
      await tags.getByText('No tags.').waitFor();
      expect((await t.call('ListResourceTags', { KeyId: keyId })).Tags).toEqual([]);

      await grants.getByRole('button', { name: 'Revoke grant payroll-batch' }).click();
      await page.getByRole('dialog', { name: 'Revoke this grant?' }).getByRole('button', { name: 'Revoke grant' }).click();
      await grants.getByText('No grants.').waitFor();
      expect((await t.call('ListGrants', { KeyId: keyId })).Grants).toEqual([]);

      // the key's audit history (read again after each change) names what was just done
      const audit = page.getByRole('region', { name: 'Audit history' });
      await audit.getByRole('cell', { name: 'RevokeGrant', exact: true }).first().waitFor();
      await audit.getByRole('cell', { name: 'RotateKeyOnDemand', exact: true }).first().waitFor();
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('EXTERNAL key: the import wizard gives a wrapping key openssl wraps with (its own line), imports the wrapped file; the key becomes usable; its material deleted, it waits again', async () => {
    const app = await openDetailApp();
    try {
      const { t } = app;
      const { KeyMetadata } = await t.call('CreateKey', { Origin: 'EXTERNAL' });
      const keyId = KeyMetadata.KeyId;
      expect(KeyMetadata.KeyState).toBe('PendingImport');
      const page = await app.window();
      await signIn(page);
      await showKey(page, keyId);
      const wizard = page.getByRole('region', { name: 'Import key material' });
      await wizard.getByLabel('Wrapping algorithm').selectOption('RSAES_OAEP_SHA_256');
      await wizard.getByRole('button', { name: 'Get wrapping key and import token' }).click();
      const pem = (await wizard.getByTestId('wrapping-key').textContent())!;
      writeFileSync(join(t.dir, 'wrapping-key.pem'), pem);
      writeFileSync(join(t.dir, 'material.bin'), randomBytes(32));
      // the line the wizard shows, run as shown
      const line = (await wizard.getByText(/^openssl pkeyutl -encrypt /).textContent())!;
      const [command, ...args] = line.split(' ');
      execFileSync(command!, args, { cwd: t.dir });
      await checkScreen(page, 'key-detail-import');

      await wizard.getByRole('button', { name: 'Import key material' }).click();
      await wizard.getByText('ValidationException: Choose the file of wrapped key material.').waitFor();
      await wizard.getByLabel('Wrapped key material file').setInputFiles(join(t.dir, 'wrapped.bin'));
      await wizard.getByRole('button', { name: 'Import key material' }).click();
      await page.getByRole('region', { name: 'Summary' }).getByText('Enabled').waitFor();
      const after = await state(t, keyId);
      expect(after.KeyState).toBe('Enabled');
      expect(after.ExpirationModel).toBe('KEY_MATERIAL_DOES_NOT_EXPIRE');
      const { CiphertextBlob } = await t.call('Encrypt', { KeyId: keyId, Plaintext: new TextEncoder().encode('imported') });
      expect(new TextDecoder().decode((await t.call('Decrypt', { CiphertextBlob })).Plaintext)).toBe('imported');

      // the material deleted, confirmed first: the key waits for an import again and decrypts nothing meanwhile
      await page.getByRole('button', { name: 'Delete key material' }).click();
      await page.getByRole('dialog', { name: "Delete this key's imported material?" }).getByRole('button', { name: 'Delete key material' }).click();
      await page.getByRole('region', { name: 'Summary' }).getByText('PendingImport').waitFor();
      expect((await state(t, keyId)).KeyState).toBe('PendingImport');
      await expect(t.call('Decrypt', { CiphertextBlob })).rejects.toMatchObject({ name: 'KMSInvalidStateException' });
      expect(await page.getByRole('button', { name: 'Delete key material' }).count()).toBe(0);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
