// The issue-3 commands through the built binary: `iam`, `sts`, `tenant`
// and `audit` namespaces as `aws iam`/`aws sts` shape them, new passphrases
// only from STRONGROOM_NEW_PASSPHRASE, and the audit export verified offline
// with only the file and the tenant's public key — then tampered with.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('iam, sts, tenant and audit commands', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
  });
  afterAll(() => ws.remove());

  test('a user created with a login profile must change its passphrase, then is governed by its policies', async () => {
    expect((await ws.json(['iam', 'create-user', '--user-name', 'bob'])).User.Arn).toMatch(/:user\/bob$/);
    // never a flag: the passphrase comes from the environment
    const flag = await ws.run(['iam', 'create-login-profile', '--user-name', 'bob', '--password', 'x'], { STRONGROOM_NEW_PASSPHRASE: 'bob first passphrase' });
    expect(flag.code).toBe(252);
    const lp = await ws.run(['iam', 'create-login-profile', '--user-name', 'bob', '--password-reset-required'], { STRONGROOM_NEW_PASSPHRASE: 'bob first passphrase' });
    expect(lp.code).toBe(0);
    const asBob = { STRONGROOM_USER: 'bob', STRONGROOM_PASSPHRASE: 'bob first passphrase' };
    const early = await ws.run(['list-keys'], asBob);
    expect(early.code).toBe(254);
    expect(early.stderr).toMatch(/\(AccessDeniedException\) when calling the ListKeys operation: .*must change its passphrase/);
    expect((await ws.run(['iam', 'change-password'], { ...asBob, STRONGROOM_NEW_PASSPHRASE: 'bob second passphrase' })).code).toBe(0);
    const bob = { STRONGROOM_USER: 'bob', STRONGROOM_PASSPHRASE: 'bob second passphrase' };
    expect((await ws.run(['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'], bob)).stdout.trim()).toMatch(/:user\/bob$/);
    expect((await ws.run(['list-keys'], bob)).stderr).toMatch(/\(AccessDeniedException\).*kms:ListKeys/);
    expect((await ws.run(['iam', 'attach-user-policy', '--user-name', 'bob', '--policy-arn', 'arn:strongroom:iam::aws:policy/KeyUser'])).code).toBe(0);
    expect((await ws.run(['list-keys'], bob)).code).toBe(0);
    expect((await ws.run(['create-key'], bob)).stderr).toMatch(/\(AccessDeniedException\).*kms:CreateKey/);
  });

  test('iam get-login-profile, update-login-profile (--password: one step, the passphrase redacted in the trail), Enabled in get-user and list-users', async () => {
    await ws.json(['iam', 'create-user', '--user-name', 'carl']);
    const none = await ws.run(['iam', 'get-login-profile', '--user-name', 'carl']);
    expect(none.code).toBe(254);
    expect(none.stderr).toContain('(NoSuchEntityException) when calling the GetLoginProfile operation: Login Profile for User carl cannot be found.');
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', 'carl'], { STRONGROOM_NEW_PASSPHRASE: 'carl first passphrase' })).code).toBe(0);
    const { LoginProfile } = await ws.json(['iam', 'get-login-profile', '--user-name', 'carl']);
    expect(LoginProfile).toEqual({ UserName: 'carl', CreateDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), PasswordResetRequired: false });

    const whoami = ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'];
    const asCarl = (passphrase: string) => ({ STRONGROOM_USER: 'carl', STRONGROOM_PASSPHRASE: passphrase });
    // without --password, STRONGROOM_NEW_PASSPHRASE sets nothing: only the flag changes
    expect((await ws.run(['iam', 'update-login-profile', '--user-name', 'carl', '--password-reset-required'], { STRONGROOM_NEW_PASSPHRASE: 'not this one' })).code).toBe(0);
    expect((await ws.json(['iam', 'get-login-profile', '--user-name', 'carl'])).LoginProfile).toEqual({ ...LoginProfile, PasswordResetRequired: true });
    expect((await ws.run(whoami, asCarl('carl first passphrase'))).code).toBe(0);
    // a value on the command line is refused before anything runs
    const flag = await ws.run(['iam', 'update-login-profile', '--user-name', 'carl', '--password', 'carl visible passphrase']);
    expect(flag.code).toBe(252);
    expect(flag.stderr).toContain('--password: passphrases are never given on the command line; give --password alone and set STRONGROOM_NEW_PASSPHRASE or answer the prompt.');
    // the reset: one command, after which only the new passphrase signs in; the profile keeps its date
    const reset = await ws.run(['iam', 'update-login-profile', '--user-name', 'carl', '--password', '--no-password-reset-required'], { STRONGROOM_NEW_PASSPHRASE: 'carl reset passphrase' });
    expect(reset.code, reset.stderr).toBe(0);
    expect((await ws.run(whoami, asCarl('carl first passphrase'))).stderr).toContain('(AccessDeniedException)');
    expect((await ws.run(whoami, asCarl('carl reset passphrase'))).stdout.trim()).toMatch(/:user\/carl$/);
    expect((await ws.json(['iam', 'get-login-profile', '--user-name', 'carl'])).LoginProfile).toEqual(LoginProfile);

    const records = (await ws.json(['audit', 'lookup-events', '--event-name', 'UpdateLoginProfile'])).Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
    expect(records.map((r: { requestParameters: unknown }) => r.requestParameters)).toEqual([
      { UserName: 'carl', Password: '[redacted]', PasswordResetRequired: false },
      { UserName: 'carl', PasswordResetRequired: true },
    ]);
    expect(JSON.stringify(records)).not.toMatch(/carl reset passphrase|not this one/);

    expect((await ws.json(['iam', 'get-user', '--user-name', 'carl'])).User.Enabled).toBe(true);
    expect((await ws.run(['iam', 'disable-user', '--user-name', 'carl'])).code).toBe(0);
    expect((await ws.json(['iam', 'list-users'])).Users.find((u: { UserName: string }) => u.UserName === 'carl').Enabled).toBe(false);
  });

  test('iam delete-user-policy and delete-group-policy remove inline policies; one that is not there is NoSuchEntityException', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }] });
    await ws.json(['iam', 'create-user', '--user-name', 'dora']);
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', 'dora'], { STRONGROOM_NEW_PASSPHRASE: 'dora first passphrase' })).code).toBe(0);
    expect((await ws.run(['iam', 'put-user-policy', '--user-name', 'dora', '--policy-name', 'list', '--policy-document', doc])).code).toBe(0);
    const asDora = { STRONGROOM_USER: 'dora', STRONGROOM_PASSPHRASE: 'dora first passphrase' };
    expect((await ws.run(['list-keys'], asDora)).code).toBe(0);
    expect((await ws.run(['iam', 'delete-user-policy', '--user-name', 'dora', '--policy-name', 'list'])).code).toBe(0);
    expect((await ws.run(['list-keys'], asDora)).stderr).toMatch(/\(AccessDeniedException\).*kms:ListKeys/);
    const again = await ws.run(['iam', 'delete-user-policy', '--user-name', 'dora', '--policy-name', 'list']);
    expect(again.code).toBe(254);
    expect(again.stderr).toContain('(NoSuchEntityException) when calling the DeleteUserPolicy operation: The user policy with name list cannot be found.');

    await ws.json(['iam', 'create-group', '--group-name', 'listers']);
    expect((await ws.run(['iam', 'put-group-policy', '--group-name', 'listers', '--policy-name', 'list', '--policy-document', doc])).code).toBe(0);
    expect((await ws.run(['iam', 'delete-group-policy', '--group-name', 'listers', '--policy-name', 'list'])).code).toBe(0);
    expect(await ws.json(['iam', 'list-principal-policies', '--group-name', 'listers'])).toEqual({ AttachedPolicies: [], InlinePolicies: [] });
  });

  test('tenant create / list / disable, and the new tenant is isolated', async () => {
    const created = await ws.run(['tenant', 'create', '--tenant-name', 'acme'], { STRONGROOM_NEW_PASSPHRASE: 'acme admin passphrase' });
    expect(created.code).toBe(0);
    const acme = JSON.parse(created.stdout).Tenant.AccountId as string;
    const list = await ws.json(['tenant', 'list']);
    expect(list.Tenants.map((t: { TenantName: string }) => t.TenantName)).toEqual(expect.arrayContaining(['acme']));
    const asAcme = { STRONGROOM_TENANT: 'acme', STRONGROOM_PASSPHRASE: 'acme admin passphrase' };
    expect((await ws.run(['iam', 'change-password'], { ...asAcme, STRONGROOM_NEW_PASSPHRASE: 'acme admin passphrase 2' })).code).toBe(0);
    const acmeAdmin = { STRONGROOM_TENANT: acme, STRONGROOM_PASSPHRASE: 'acme admin passphrase 2' };
    // acme's admin is no operator: it cannot list tenants
    expect((await ws.run(['tenant', 'list'], acmeAdmin)).stderr).toMatch(/AccessDeniedException/);
    expect((await ws.run(['tenant', 'disable', '--account-id', acme])).code).toBe(0);
    expect((await ws.run(['list-keys'], acmeAdmin)).stderr).toMatch(/AccessDeniedException/);
  });

  test('audit export verifies offline with the public key; an edited record is named and exits 1', async () => {
    const key = (await ws.json(['create-key', '--description', 'audited'])).KeyMetadata.KeyId as string;
    await ws.run(['encrypt', '--key-id', key, '--plaintext', 'aGVsbG8=']);
    const events = await ws.json(['audit', 'lookup-events', '--event-name', 'Encrypt']);
    expect(events.Events.length).toBeGreaterThan(0);
    const rec = JSON.parse(events.Events[0].CloudTrailEvent);
    expect(rec.responseElements.CiphertextBlob).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), length: expect.any(Number) });
    expect(JSON.stringify(rec)).not.toContain('aGVsbG8=');

    expect((await ws.run(['audit', 'export', '--out', 'trail.jsonl'])).code).toBe(0);
    expect((await ws.run(['audit', 'get-audit-public-key', '--query', 'PublicKey', '--output', 'text'])).code).toBe(0);
    writeFileSync(ws.path('key.pem'), (await ws.run(['audit', 'get-audit-public-key', '--query', 'PublicKey', '--output', 'text'])).stdout);
    // offline: no vault, no passphrases
    const offline = { STRONGROOM_VAULT: ws.path('nowhere'), STRONGROOM_PASSPHRASE: undefined, STRONGROOM_VAULT_PASSPHRASE: undefined };
    const ok = await ws.run(['audit', 'verify', '--file', 'trail.jsonl', '--public-key', 'key.pem'], offline);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ Valid: true, PublicKeySource: 'trusted', Problems: [] });

    const lines = readFileSync(ws.path('trail.jsonl'), 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes('"audited"'));
    lines[i] = lines[i]!.replace('"audited"', '"edited"');
    writeFileSync(ws.path('edited.jsonl'), lines.join('\n'));
    const bad = await ws.run(['audit', 'verify', '--file', 'edited.jsonl', '--public-key', 'key.pem'], offline);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).Problems[0]).toMatchObject({ Kind: 'edited' });

    const cut = readFileSync(ws.path('trail.jsonl'), 'utf8').trimEnd().split('\n').slice(0, -2).join('\n') + '\n';
    writeFileSync(ws.path('cut.jsonl'), cut);
    expect((await ws.run(['audit', 'verify', '--file', 'cut.jsonl', '--public-key', 'key.pem'], offline)).code).toBe(1);
    expect((await ws.run(['audit', 'verify'])).code).toBe(0);
  });
});
