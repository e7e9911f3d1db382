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
