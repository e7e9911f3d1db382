// Users, groups and policies, and Tenants, in Chromium over the real bridge
// and vault: an administrator creates a user with a first passphrase, puts
// it in a group, attaches a managed policy and an inline one, deletes the
// inline one, resets the passphrase (checked with the service itself); the
// user signs in, must change the passphrase, and is refused the Users
// screen (AccessDeniedException shown, nav entry gone). A user's page shows
// whether it has a passphrase and is enabled, and offers only what applies:
// Set, or Reset and Remove; Disable or Enable. The operator administrator
// creates and disables a tenant.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, openApp, signIn } from '../support/e2e.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => browser?.close());

const KEY_USER = 'arn:strongroom:iam::aws:policy/KeyUser';

async function confirm(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true }).first().click();
  await page.getByRole('dialog', { name: label }).getByRole('button', { name: label, exact: true }).click();
}

describe('users, groups and policies', () => {
  it('creates a user who signs in, changes its passphrase, and is refused the Users screen', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
      await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'admin' }).waitFor();
      await checkScreen(page, 'users');

      // create: the contract's rule on names shows before anything is sent
      await page.getByLabel('User name').fill('carol smith');
      await page.getByText('must be 1–64 letters, digits or + = , . @ _ -').waitFor();
      await page.getByLabel('User name').fill('carol');
      await page.getByLabel('First passphrase', { exact: true }).fill('first passphrase of carol');
      await page.getByLabel('First passphrase again').fill('first passphrase of carol');
      await page.getByRole('button', { name: 'Create user' }).click();
      await page.getByText('User carol created').waitFor();
      expect((await t.call('ListUsers')).Users.map((u) => u.UserName)).toContain('carol');

      // a group, and carol in it
      await page.getByRole('link', { name: 'Groups' }).click();
      await page.getByLabel('Group name').fill('ops');
      await page.getByRole('button', { name: 'Create group' }).click();
      await page.getByRole('table', { name: 'Groups' }).getByRole('link', { name: 'ops' }).waitFor();
      await checkScreen(page, 'groups');
      await page.getByRole('link', { name: 'Users', exact: true }).last().click();
      await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'carol' }).click();
      await page.getByRole('heading', { name: 'User carol' }).waitFor();
      await page.getByLabel('Group to join').selectOption('ops');
      await page.getByRole('button', { name: 'Add to group' }).click();
      await page.getByRole('list', { name: 'Groups of carol' }).getByRole('link', { name: 'ops' }).waitFor();
      expect((await t.call('ListGroupsForUser', { UserName: 'carol' })).Groups.map((g) => g.GroupName)).toEqual(['ops']);

      // a managed policy
      await page.getByLabel('Managed policy to attach').selectOption({ label: 'KeyUser' });
      await page.getByRole('button', { name: 'Attach' }).click();
      await page.getByRole('list', { name: 'Attached managed policies' }).getByText('KeyUser', { exact: true }).waitFor();
      expect((await t.call('ListPrincipalPolicies', { UserName: 'carol' })).AttachedPolicies).toEqual([{ PolicyArn: KEY_USER }]);

      // an inline policy: bad JSON is named at once; a good one is stored as typed
      const editor = page.getByRole('form', { name: 'New inline policy' });
      await editor.getByLabel('Policy name').fill('describe-only');
      await editor.getByLabel('Policy document (JSON)').fill('{ "Version": "2012-10-17", ');
      await editor.getByText(/^Not valid JSON: /).waitFor();
      expect(await editor.getByRole('button', { name: 'Add inline policy' }).isDisabled()).toBe(true);
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] });
      await editor.getByLabel('Policy document (JSON)').fill(policy);
      await editor.getByRole('button', { name: 'Add inline policy' }).click();
      await page.getByRole('form', { name: 'Inline policy describe-only' }).waitFor();
      const { InlinePolicies } = await t.call('ListPrincipalPolicies', { UserName: 'carol' });
      expect(InlinePolicies.map((p) => [p.PolicyName, JSON.parse(p.PolicyDocument)])).toEqual([['describe-only', JSON.parse(policy)]]);
      await checkScreen(page, 'user-detail');

      // carol has a passphrase (the first one, to be changed): Reset and Remove are offered, not Set
      const state = page.getByTestId('passphrase-state');
      await expect.poll(() => state.textContent()).toMatch(/^carol has a passphrase, first given .+, and must choose a new one at next sign-in\.$/);
      expect(await page.getByRole('button', { name: 'Set passphrase', exact: true }).count()).toBe(0);
      await page.getByRole('button', { name: 'Remove passphrase' }).waitFor();
      // a reset replaces it in one call (UpdateLoginProfile)
      await page.getByLabel('New passphrase', { exact: true }).fill('reset passphrase of carol');
      await page.getByLabel('New passphrase again').fill('reset passphrase of carol');
      await page.getByRole('button', { name: 'Reset passphrase' }).click();
      await page.getByText('Passphrase reset: the old one no longer signs in').waitFor();
      const carolIn = (passphrase: string) => t.vault.service.signIn({ userName: 'carol', passphrase, region: 'local-1', source: 'sdk' });
      await expect(carolIn('first passphrase of carol')).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(carolIn('reset passphrase of carol')).resolves.toBeTruthy();
      expect((await t.call('LookupEvents', { EventName: 'UpdateLoginProfile' })).Events).toHaveLength(1);
      expect((await t.call('LookupEvents', { EventName: 'DeleteLoginProfile' })).Events).toHaveLength(0);

      // the inline policy deleted, after a confirmation
      await confirm(page, 'Delete describe-only');
      await expect.poll(() => page.getByRole('form', { name: 'Inline policy describe-only' }).count()).toBe(0);
      expect((await t.call('ListPrincipalPolicies', { UserName: 'carol' })).InlinePolicies).toEqual([]);

      // carol signs in with it, must change it, and is refused the Users screen
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('User').fill('carol');
      await page.getByLabel('Passphrase', { exact: true }).fill('reset passphrase of carol');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Choose a new passphrase' }).waitFor();
      await page.getByLabel('Current passphrase').fill('reset passphrase of carol');
      await page.getByLabel('New passphrase', { exact: true }).fill('carol chose this passphrase');
      await page.getByLabel('New passphrase again').fill('carol chose this passphrase');
      await page.getByRole('button', { name: 'Change passphrase' }).click();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Audit' }).waitFor();
      await expect.poll(() => nav.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await expect.poll(() => nav.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
      await page.evaluate("location.hash = '#/users'");
      await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/^AccessDeniedException: ./);
      await page.getByText('Users, groups and policies are managed by the tenant’s administrators').waitFor();
      await checkScreen(page, 'users-denied');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('disables and enables a user, with a confirmation first; the page shows the state and offers only the action that applies', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateUser', { UserName: 'dave' });
      await t.call('CreateLoginProfile', { UserName: 'dave', Password: 'passphrase of dave' });
      await signIn(page);
      await page.evaluate("location.hash = '#/users/user/dave'");
      await page.getByRole('heading', { name: 'User dave' }).waitFor();
      const facts = page.locator('dl.facts');
      await expect.poll(() => facts.getByText('Enabled', { exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Enable user' }).count()).toBe(0);
      // cancelling the confirmation changes nothing
      await page.getByRole('button', { name: 'Disable user' }).click();
      await page.getByRole('dialog', { name: 'Disable user' }).getByRole('button', { name: 'Cancel' }).click();
      await expect(t.vault.service.signIn({ userName: 'dave', passphrase: 'passphrase of dave', region: 'local-1', source: 'sdk' })).resolves.toBeTruthy();
      await confirm(page, 'Disable user');
      await page.getByText('dave is disabled: it cannot sign in.').waitFor();
      expect((await t.call('GetUser', { UserName: 'dave' })).User.Enabled).toBe(false);
      await expect(t.vault.service.signIn({ userName: 'dave', passphrase: 'passphrase of dave', region: 'local-1', source: 'sdk' })).rejects.toThrow();
      await expect.poll(() => facts.getByText('Disabled', { exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Disable user' }).count()).toBe(0);
      // the list shows it too
      await page.getByRole('button', { name: 'Enable user' }).click();
      await page.getByText('dave is enabled.').waitFor();
      expect((await t.call('GetUser', { UserName: 'dave' })).User.Enabled).toBe(true);
      await expect.poll(() => facts.getByText('Enabled', { exact: true }).count()).toBe(1);
      await page.getByRole('button', { name: 'Disable user' }).waitFor();
      await expect(t.vault.service.signIn({ userName: 'dave', passphrase: 'passphrase of dave', region: 'local-1', source: 'sdk' })).resolves.toBeTruthy();
      await t.call('DisableUser', { UserName: 'dave' });
      await page.getByRole('link', { name: '← All users' }).click();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'dave' }) });
      await expect.poll(() => row.getByRole('cell').nth(3).textContent()).toBe('Disabled');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it("a user's passphrase: Set when there is none; a reset the service refuses leaves the old one; Reset in one call ends the user's sessions; Remove", async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateUser', { UserName: 'frank' });
      const frankIn = (passphrase: string) => t.vault.service.signIn({ userName: 'frank', passphrase, region: 'local-1', source: 'sdk' });
      await signIn(page);
      await page.evaluate("location.hash = '#/users/user/frank'");
      const state = page.getByTestId('passphrase-state');
      await expect.poll(() => state.textContent()).toBe('frank has no passphrase and cannot sign in.');
      expect(await page.getByRole('button', { name: 'Reset passphrase' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Remove passphrase' }).count()).toBe(0);
      await checkScreen(page, 'user-no-passphrase');

      // Set (CreateLoginProfile), without a change at next sign-in
      await page.getByLabel('New passphrase', { exact: true }).fill('first passphrase of frank');
      await page.getByLabel('New passphrase again').fill('first passphrase of frank');
      await page.getByLabel('Must choose a new passphrase at next sign-in').uncheck();
      await page.getByRole('button', { name: 'Set passphrase', exact: true }).click();
      await page.getByText('Passphrase set.').waitFor();
      await expect.poll(() => state.textContent()).toMatch(/^frank has a passphrase, first given .+\.$/);
      expect(await state.textContent()).not.toContain('must choose');
      expect((await t.call('GetLoginProfile', { UserName: 'frank' })).LoginProfile.PasswordResetRequired).toBe(false);
      const frank = await frankIn('first passphrase of frank');

      // a reset the service refuses (too short): named, and the old passphrase and session still work
      await page.getByLabel('New passphrase', { exact: true }).fill('short');
      await page.getByLabel('New passphrase again').fill('short');
      await page.getByRole('button', { name: 'Reset passphrase' }).click();
      await expect.poll(() => page.getByRole('form', { name: 'Passphrase' }).getByRole('alert').textContent()).toMatch(/^PasswordPolicyViolationException: A passphrase must be at least 8 characters long\./);
      await expect(frankIn('first passphrase of frank')).resolves.toBeTruthy();
      await t.call('GetCallerIdentity', {}, frank);

      // Reset (UpdateLoginProfile): only the new one signs in, and frank's open session has ended
      await page.getByLabel('New passphrase', { exact: true }).fill('reset passphrase of frank');
      await page.getByLabel('New passphrase again').fill('reset passphrase of frank');
      await page.getByRole('button', { name: 'Reset passphrase' }).click();
      await page.getByText('Passphrase reset: the old one no longer signs in').waitFor();
      await expect(frankIn('first passphrase of frank')).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(t.call('GetCallerIdentity', {}, frank)).rejects.toMatchObject({ name: 'AccessDeniedException' });
      expect(t.vault.service.mustChangePassphrase(await frankIn('reset passphrase of frank'))).toBe(true);
      await expect.poll(() => state.textContent()).toMatch(/and must choose a new one at next sign-in\.$/);

      // Remove (DeleteLoginProfile), after a confirmation
      await confirm(page, 'Remove passphrase');
      await page.getByText('Passphrase removed: the user cannot sign in.').waitFor();
      await expect.poll(() => state.textContent()).toBe('frank has no passphrase and cannot sign in.');
      await expect(t.call('GetLoginProfile', { UserName: 'frank' })).rejects.toMatchObject({ name: 'NoSuchEntityException' });
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
  it('a group page: members and a managed policy; an inline policy the service refuses is named, not stored', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await t.call('CreateUser', { UserName: 'erin' });
      await t.call('CreateGroup', { GroupName: 'auditors' });
      await signIn(page);
      await page.evaluate("location.hash = '#/users/group/auditors'");
      await page.getByRole('heading', { name: 'Group auditors' }).waitFor();
      await page.getByText('No members.').waitFor();
      await page.getByLabel('User to add').selectOption('erin');
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.getByRole('list', { name: 'Members of auditors' }).getByRole('link', { name: 'erin' }).waitFor();
      expect((await t.call('GetGroup', { GroupName: 'auditors' })).Users.map((u) => u.UserName)).toEqual(['erin']);

      await page.getByLabel('Managed policy to attach').selectOption({ label: 'AuditReader' });
      await page.getByRole('button', { name: 'Attach' }).click();
      await page.getByRole('button', { name: 'Detach AuditReader' }).waitFor();
      expect((await t.call('ListPrincipalPolicies', { GroupName: 'auditors' })).AttachedPolicies).toEqual([{ PolicyArn: 'arn:strongroom:iam::aws:policy/AuditReader' }]);

      // valid JSON the service refuses (no Statement): its exception name and sentence are shown, nothing is stored
      const editor = page.getByRole('form', { name: 'New inline policy' });
      await editor.getByLabel('Policy name').fill('odd');
      await editor.getByLabel('Policy document (JSON)').fill('{ "Version": "2012-10-17" }');
      await editor.getByRole('button', { name: 'Add inline policy' }).click();
      await expect.poll(() => editor.getByRole('alert').textContent()).toMatch(/^MalformedPolicyDocumentException: ./);
      expect((await t.call('ListPrincipalPolicies', { GroupName: 'auditors' })).InlinePolicies).toEqual([]);

      // one it takes, then deleted after a confirmation
      await editor.getByLabel('Policy document (JSON)').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] }));
      await editor.getByRole('button', { name: 'Add inline policy' }).click();
      await page.getByRole('form', { name: 'Inline policy odd' }).waitFor();
      expect((await t.call('ListPrincipalPolicies', { GroupName: 'auditors' })).InlinePolicies.map((p) => p.PolicyName)).toEqual(['odd']);
      await checkScreen(page, 'group-detail');
      await confirm(page, 'Delete odd');
      await expect.poll(() => page.getByRole('form', { name: 'Inline policy odd' }).count()).toBe(0);
      expect((await t.call('ListPrincipalPolicies', { GroupName: 'auditors' })).InlinePolicies).toEqual([]);

      await page.getByRole('button', { name: 'Remove erin' }).click();
      await page.getByRole('dialog', { name: 'Remove erin' }).getByRole('button', { name: 'Remove erin' }).click();
      await page.getByText('No members.').waitFor();
      expect((await t.call('GetGroup', { GroupName: 'auditors' })).Users).toEqual([]);
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('tenants', () => {
  it('the operator administrator creates a tenant and disables it', async () => {
    const app = await openApp(browser);
    try {
      const { page, t } = app;
      await signIn(page);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tenants' }).click();
      await page.getByRole('table', { name: 'Tenants' }).getByText('Your tenant').waitFor();
      await page.getByLabel('Tenant name').fill('branch');
      await page.getByLabel('Admin’s first passphrase', { exact: true }).fill('first passphrase of branch admin');
      await page.getByLabel('Admin’s first passphrase again').fill('first passphrase of branch admin');
      await page.getByRole('button', { name: 'Create tenant' }).click();
      await page.getByText(/^Tenant branch created \(account \d{12}\)/).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'branch' });
      await expect.poll(async () => (await row.getByRole('cell').allTextContents()).slice(0, 5)).toEqual(['branch', expect.stringMatching(/^\d{12}$/), 'Enabled', '0', '1']);
      await checkScreen(page, 'tenants');
      await confirm(page, 'Disable branch');
      await page.getByText('branch is disabled.').waitFor();
      const branch = (await t.call('ListTenants')).Tenants.find((x) => x.TenantName === 'branch');
      expect(branch?.State).toBe('Disabled');
      await row.getByRole('button', { name: 'Enable branch' }).click();
      await page.getByText('branch is enabled.').waitFor();
      expect((await t.call('ListTenants')).Tenants.find((x) => x.TenantName === 'branch')?.State).toBe('Enabled');
      expect(app.problems).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
