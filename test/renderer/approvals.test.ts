// The approvals inbox in Chromium over the real bridge and vault: a rule
// holds DisableKey for 2 approvals from group custodians; the admin's call is
// held; carol, a custodian, finds the request in her inbox, reviews its
// input and hash, and approves it; dave approves through the service; the
// admin executes it from the page, and the vault's key is then disabled.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalRequiredError } from '../../main/core/errors.js';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';
import { refused } from '../support/kms.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

describe('approvals inbox', () => {
  it('a custodian approves what she reviewed; the requester executes it once approved; the vault changes only then', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateGroup', { GroupName: 'custodians' });
      const users: Record<string, Awaited<ReturnType<typeof t.vault.service.signIn>>> = {};
      for (const name of ['carol', 'dave']) {
        await t.call('CreateUser', { UserName: name });
        await t.call('CreateLoginProfile', { UserName: name, Password: `passphrase of ${name}` });
        await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: name });
        users[name] = await t.vault.service.signIn({ userName: name, passphrase: `passphrase of ${name}`, region: 'local-1', source: 'sdk' });
      }
      await t.call('PutApprovalRules', { Rules: [{ Actions: ['kms:DisableKey'], GroupName: 'custodians', MinApprovals: 2 }] });
      const { KeyMetadata } = await t.call('CreateKey', { Description: 'guarded' });
      const held = (await refused(t.call('DisableKey', { KeyId: KeyMetadata.KeyId }), 'ApprovalRequiredException')) as ApprovalRequiredError;
      const id = held.approvalRequestId;

      // carol's inbox
      await signIn(page, 'carol', 'passphrase of carol');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
      await page.getByRole('link', { name: id.slice(0, 8) }).click();
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Pending');
      expect(await page.getByLabel('Input').textContent()).toContain(KeyMetadata.KeyId);
      const { Request } = await t.call('GetApprovalRequest', { RequestId: id });
      expect(await page.getByTestId('approval-hash').textContent()).toBe(Request.RequestHash);
      await checkScreen(page, 'approval-request');
      await page.getByRole('button', { name: 'Approve this request' }).click();
      await page.getByText('Approved.', { exact: true }).waitFor();
      await page.getByText('1 of 2 from group custodians').waitFor();
      expect((await t.call('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyState).toBe('Enabled');

      // dave approves elsewhere; the admin, its requester, executes it from the page
      await t.vault.service.call(users['dave']!, 'ApproveRequest', { RequestId: id, RequestHash: Request.RequestHash });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
      await page.getByLabel('Status').selectOption('Approved');
      await page.getByRole('link', { name: id.slice(0, 8) }).click();
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Approved');
      expect(await page.getByRole('button', { name: 'Approve this request' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Execute as approved' }).click();
      await page.getByText('Executed: DisableKey ran with the input above.').waitFor();
      expect((await t.call('DescribeKey', { KeyId: KeyMetadata.KeyId })).KeyMetadata.KeyState).toBe('Disabled');
      await expect.poll(() => page.getByTestId('approval-status').textContent()).toBe('Executed');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
