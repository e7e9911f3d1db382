// Backups and held ceremonies on the Recovery and backup screen, in Chromium
// over the real bridge and vault:
// - the operator administrator backs the vault up to a file chosen in the
//   desktop's save dialog; the file is there, its SHA-256 is the one the
//   screen shows, and the screen says who can open it, before a recovery
//   split and after one (as the backup's own header says);
// - with a rule holding backup:CreateBackup for 2 of group custodians, the
//   backup is held (no file), the form names the request and keeps its
//   values, running it before the approvals fails, and once carol and dave
//   approve, the requester runs it from the inbox (CreateBackup again, not
//   ExecuteApprovalRequest): the file is there and the request Executed;
// - a held split names its request (which holds no passphrase), runs from
//   the form once approved; a held re-split is run after signing in again
//   from the inbox's link: the form filled with the plan, the custodian
//   typing her passphrase again.
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerLength, parseHeader, PREAMBLE_LENGTH } from '../../main/backup/header.js';
import { openShareWithPassphrase } from '../../main/custody/recovery/sealed-share.js';
import { checkScreen, launchChromium, openApp, signIn, type AppUnderTest } from '../support/e2e.js';
import { UUID } from '../support/kms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
/** The key slots a backup's header holds (docs/backup-format.md, "Header"). */
async function keySlots(path: string) {
  const bytes = await readFile(path);
  return parseHeader(bytes.subarray(0, headerLength(bytes.subarray(0, PREAMBLE_LENGTH)))).keySlots;
}
const exists = (path: string) => stat(path).then(
  () => true,
  () => false,
);

async function openRecovery(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recovery and backup' }).click();
  await page.getByRole('heading', { name: 'Recovery and backup', level: 1 }).waitFor();
  await page.getByTestId('recovery-state').waitFor();
}

/** carol and dave, custodians, signed in to the service (they approve outside the page); a rule holding `actions` for 2 of them. */
async function custodiansHold(t: AppUnderTest['t'], actions: string[]) {
  await t.call('CreateGroup', { GroupName: 'custodians' });
  const sessions: Awaited<ReturnType<typeof t.vault.service.signIn>>[] = [];
  for (const name of ['carol', 'dave']) {
    await t.call('CreateUser', { UserName: name });
    await t.call('CreateLoginProfile', { UserName: name, Password: `passphrase of ${name}` });
    await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: name });
    sessions.push(await t.vault.service.signIn({ userName: name, passphrase: `passphrase of ${name}`, region: 'local-1', source: 'sdk' }));
  }
  await t.call('PutApprovalRules', { Rules: [{ Actions: actions, GroupName: 'custodians', MinApprovals: 2 }] });
  return async (requestId: string) => {
    const { Request } = await t.call('GetApprovalRequest', { RequestId: requestId });
    for (const s of sessions) await t.vault.service.call(s, 'ApproveRequest', { RequestId: requestId, RequestHash: Request.RequestHash });
  };
}

describe('backup', () => {
  it('backs up to the chosen file; the screen shows its SHA-256, and whether the recovery quorum opens it, before and after a split', async () => {
    const saveAs: { path?: string } = {};
    const app = await openApp(browser, { chooseFiles: async (request) => (request.Purpose === 'save' && saveAs.path ? [saveAs.path] : []) });
    try {
      const { page, t } = app;
      await signIn(page);
      await openRecovery(page);
      const panel = page.getByRole('region', { name: 'Back up the vault' });

      // before a split: chosen in the save dialog
      saveAs.path = join(t.dir, 'before-split.srb');
      await panel.getByRole('button', { name: 'Choose…' }).click();
      await expect.poll(() => panel.getByLabel('Backup file').inputValue()).toBe(saveAs.path);
      await panel.getByRole('button', { name: 'Back up' }).click();
      await panel.getByTestId('backup-sha256').waitFor();
      expect(await panel.getByTestId('backup-path').textContent()).toBe(saveAs.path);
      expect(await panel.getByTestId('backup-sha256').textContent()).toBe(await sha256(saveAs.path));
      const size = /\(([\d,. \u202f]+) bytes\)$/.exec((await panel.getByTestId('backup-size').textContent())!)?.[1];
      expect(Number(size?.replace(/\D/g, ''))).toBe((await stat(saveAs.path)).size);
      expect(Object.keys(await keySlots(saveAs.path))).toEqual(['vmk']);
      const before = await panel.getByTestId('backup-opens-with').textContent();
      expect(before).toMatch(/^This vault’s master key only: the vault passphrase opens it, so the backup opens wherever that passphrase is known\. The vault has no recovery split:/);
      expect(before).toContain('Split the recovery key among custodians (below), then back up again.');
      await checkScreen(page, 'backup-made');

      // a split (2 of 3, printed), then a backup to a typed path
      const shares = join(t.dir, 'shares');
      await mkdir(shares);
      const split = page.getByRole('form', { name: 'Split the recovery key' });
      await split.getByLabel('Folder for the share files').fill(shares);
      await split.getByRole('button', { name: 'Split and write the share files' }).click();
      await expect.poll(() => page.getByTestId('recovery-state').textContent()).toMatch(/^Any 2 of 3 custodians/);

      const after = join(t.dir, 'after-split.srb');
      await panel.getByLabel('Backup file').fill(after);
      await panel.getByRole('button', { name: 'Back up' }).click();
      await expect.poll(() => panel.getByTestId('backup-path').textContent()).toBe(after);
      expect(await panel.getByTestId('backup-sha256').textContent()).toBe(await sha256(after));
      // what the screen says is what the backup's header holds: the split's recovery record, so the quorum opens it
      expect(Object.keys(await keySlots(after))).toEqual(['vmk', 'recovery']);
      const opensWith = await panel.getByTestId('backup-opens-with').textContent();
      expect(opensWith).toBe('This vault’s master key, or the recovery quorum: any 2 of the 3 custodians’ shares, on any machine.');
      // the trail holds it with its SHA-256
      const events = (await t.call('LookupEvents', { MaxResults: 50 })).Events.filter((e) => e.EventName === 'CreateBackup');
      expect(events).toHaveLength(2);
      await checkScreen(page, 'backup-made-after-split');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('held by the quorum: no file; the form names the request and keeps its path; once approved, the requester runs it from the inbox', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const approve = await custodiansHold(t, ['backup:CreateBackup']);
      const outPath = join(t.dir, 'held.srb');
      await signIn(page);
      await openRecovery(page);
      const panel = page.getByRole('region', { name: 'Back up the vault' });
      await panel.getByLabel('Backup file').fill(outPath);
      await panel.getByRole('button', { name: 'Back up' }).click();

      const held = panel.getByRole('group', { name: 'Needs approval' });
      await held.waitFor();
      const id = (await held.getByTestId('held-request-id').textContent())!;
      expect(id).toMatch(UUID);
      expect(await held.textContent()).toContain('backup:CreateBackup');
      await expect.poll(() => held.getByTestId('held-request-status').textContent()).toBe('Pending: 0 of 2 approvals from group custodians.');
      expect(await panel.getByLabel('Backup file').inputValue()).toBe(outPath);
      expect(await exists(outPath)).toBe(false);
      const { Request } = await t.call('GetApprovalRequest', { RequestId: id });
      expect(Request).toMatchObject({ Operation: 'CreateBackup', Status: 'Pending', Input: expect.objectContaining({ OutPath: outPath }) });
      await checkScreen(page, 'backup-held');

      // not approved yet: running it is refused, and writes nothing
      await held.getByRole('button', { name: 'Run the approved request' }).click();
      await panel.getByRole('alert').filter({ hasText: 'KMSInvalidStateException' }).waitFor();
      expect(await exists(outPath)).toBe(false);

      await approve(id);
      await held.getByRole('button', { name: 'Check its approvals' }).click();
      await expect.poll(() => held.getByTestId('held-request-status').textContent()).toBe('Approved: 2 of 2 approvals from group custodians.');

      // the request in the inbox (the form links to it): the requester executes it there
      await held.getByTestId('held-request-id').click();
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Approved');
      expect(await page.getByLabel('Input').textContent()).toContain(outPath);
      await page.getByRole('button', { name: 'Execute as approved' }).click();
      await page.getByText('Executed: CreateBackup ran with the input above.').waitFor();
      const result = JSON.parse((await page.getByLabel('Result').textContent())!) as { OutPath: string; Sha256: string };
      expect(result.OutPath).toBe(outPath);
      expect(result.Sha256).toBe(await sha256(outPath));
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Executed');
      expect((await t.call('GetApprovalRequest', { RequestId: id })).Request.Status).toBe('Executed');
      await checkScreen(page, 'backup-inbox-executed');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('a split held by the quorum', () => {
  it('names its request and runs from the form once approved; a held re-split runs from the inbox’s link, the custodian typing her passphrase again', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      const approve = await custodiansHold(t, ['vault:SplitRecoveryKey']);
      const shares = join(t.dir, 'shares');
      await mkdir(shares);
      await signIn(page);
      await openRecovery(page);
      // the one split form: 'Split the recovery key', then 'Split again'
      const form = page.locator('form.recovery-split');
      await form.getByLabel('Custodian 1 name').fill('alice');
      await form.getByLabel('Custodian 1 delivery').selectOption('passphrase');
      await form.getByLabel('Custodian 1 passphrase', { exact: true }).fill('alice custodian passphrase');
      await form.getByLabel('Custodian 1 passphrase again').fill('alice custodian passphrase');
      await form.getByLabel('Custodian 2 name').fill('bob');
      await form.getByLabel('Custodian 3 name').fill('erin');
      await form.getByLabel('Folder for the share files').fill(shares);
      await form.getByRole('button', { name: 'Split and write the share files' }).click();

      const held = form.getByRole('group', { name: 'Needs approval' });
      await held.waitFor();
      const first = (await held.getByTestId('held-request-id').textContent())!;
      expect(first).toMatch(UUID);
      expect(await readdir(shares)).toEqual([]);
      const { Request } = await t.call('GetApprovalRequest', { RequestId: first });
      expect(Request.Input).toMatchObject({ Threshold: 2, OutDir: shares, Custodians: [{ Name: 'alice', Delivery: 'passphrase' }, { Name: 'bob' }, { Name: 'erin' }] });
      expect(JSON.stringify(Request)).not.toContain('alice custodian passphrase');
      // the form kept what was typed, the passphrases too (in the form, nowhere else)
      expect(await form.getByLabel('Custodian 1 passphrase', { exact: true }).inputValue()).toBe('alice custodian passphrase');
      await checkScreen(page, 'backup-split-held');

      await approve(first);
      await held.getByRole('button', { name: 'Run the approved request' }).click();
      await form.getByText(/^Split [0-9a-f]{8}: any 2 of 3 shares recover the vault\./).waitFor();
      expect((await readdir(shares)).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg', 'erin.paper.txt', 'erin.qr.svg']);
      await openShareWithPassphrase(await readFile(join(shares, 'alice.share'), 'utf8'), 'alice custodian passphrase');
      await expect.poll(() => page.getByTestId('recovery-state').textContent()).toMatch(/^Any 2 of 3 custodians \(alice, bob, erin\)/);
      expect((await t.call('GetApprovalRequest', { RequestId: first })).Request.Status).toBe('Executed');
      expect(await form.getByRole('group', { name: 'Needs approval' }).count()).toBe(0);

      // a re-split into another folder: confirmed, then held
      const again = join(t.dir, 'shares-2');
      await mkdir(again);
      await form.getByLabel('Folder for the share files').fill(again);
      await form.getByRole('button', { name: 'Split and write the share files' }).click();
      const confirm = page.getByRole('dialog', { name: 'Replace the current split?' });
      await confirm.getByRole('button', { name: 'Split again' }).click();
      await confirm.waitFor({ state: 'hidden' });
      const second = (await form.getByRole('group', { name: 'Needs approval' }).getByTestId('held-request-id').textContent())!;
      expect(second).toMatch(UUID);
      expect(second).not.toBe(first);
      expect(await readdir(again)).toEqual([]);
      await approve(second);

      // signed in again, the form is gone; the inbox says where the split runs, and links there
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
      await page.getByLabel('Status').selectOption('Approved');
      await page.getByRole('link', { name: second.slice(0, 8) }).click();
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Approved');
      expect(await page.getByRole('button', { name: 'Execute as approved' }).count()).toBe(0);
      expect(await page.getByTestId('run-again-elsewhere').textContent()).toContain('never a custodian’s passphrase');
      await checkScreen(page, 'backup-split-inbox');
      await page.getByTestId('run-again-elsewhere').getByRole('link', { name: 'Run it on the Recovery and backup screen' }).click();

      // the plan, filled in; alice's passphrase is not (a request never holds one)
      const filled = page.getByRole('form', { name: 'Split again' });
      await filled.getByRole('group', { name: 'Needs approval' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'holds the plan of approved request' }).textContent()).toContain(second);
      expect(await filled.getByLabel('Custodian 1 name').inputValue()).toBe('alice');
      expect(await filled.getByLabel('Custodian 1 delivery').inputValue()).toBe('passphrase');
      expect(await filled.getByLabel('Custodian 1 passphrase', { exact: true }).inputValue()).toBe('');
      expect(await filled.getByLabel('Custodian 3 name').inputValue()).toBe('erin');
      expect(await filled.getByLabel('Folder for the share files').inputValue()).toBe(again);
      expect(await filled.getByRole('group', { name: 'Needs approval' }).textContent()).toContain('alice, type yours (twice) above first');
      await filled.getByRole('button', { name: 'Run the approved request' }).click();
      await filled.getByText('ValidationException: alice: type the custodian’s passphrase, twice.').waitFor();
      expect(await readdir(again)).toEqual([]);
      await filled.getByLabel('Custodian 1 passphrase', { exact: true }).fill('alice new custodian passphrase');
      await filled.getByLabel('Custodian 1 passphrase again').fill('alice new custodian passphrase');
      await checkScreen(page, 'backup-split-approved-form');
      await filled.getByRole('button', { name: 'Run the approved request' }).click();
      await filled.getByText(/^Split [0-9a-f]{8}: any 2 of 3 shares recover the vault\./).waitFor();
      expect((await readdir(again)).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg', 'erin.paper.txt', 'erin.qr.svg']);
      await openShareWithPassphrase(await readFile(join(again, 'alice.share'), 'utf8'), 'alice new custodian passphrase');
      expect((await t.call('GetApprovalRequest', { RequestId: second })).Request.Status).toBe('Executed');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
