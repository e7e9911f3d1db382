// Issue 9, Identity, on the user's path: the built `strongroom` binary, one
// process per command as a shell runs it. A user deleted and created again
// under the same name gets none of the old one's key access; repeated
// failed sign-ins lock the user name out across processes, land in the
// audit trail, and an administrator's new passphrase lifts the lock.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('identity through the CLI', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
  }, 60_000);
  afterAll(() => ws.remove());

  const as = (user: string, passphrase: string) => ({ STRONGROOM_USER: user, STRONGROOM_PASSPHRASE: passphrase });
  async function createUser(name: string, passphrase: string): Promise<string> {
    const created = await ws.json(['iam', 'create-user', '--user-name', name]);
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', name], { STRONGROOM_NEW_PASSPHRASE: passphrase })).code).toBe(0);
    return created.User.UserId as string;
  }

  test('iam delete-user temp, then create-user temp: the new temp cannot use the key the old one could; get-key-policy shows the old id', async () => {
    const oldId = await createUser('temp', 'temp passphrase one');
    const key = (await ws.json(['create-key', '--key-users', 'temp'])).KeyMetadata.KeyId as string;
    const encrypt = ['encrypt', '--key-id', key, '--plaintext', 'aGVsbG8=', '--query', 'KeyId', '--output', 'text'];
    expect((await ws.run(encrypt, as('temp', 'temp passphrase one'))).code).toBe(0);

    expect((await ws.run(['iam', 'delete-user', '--user-name', 'temp'])).code).toBe(0);
    const newId = await createUser('temp', 'temp passphrase two');
    expect(newId).not.toBe(oldId);
    const denied = await ws.run(encrypt, as('temp', 'temp passphrase two'));
    expect(denied.code).toBe(254);
    expect(denied.stderr).toMatch(/\(AccessDeniedException\) when calling the Encrypt operation: User: arn:strongroom:iam::\d{12}:user\/temp is not authorized/);
    const policy = JSON.parse((await ws.run(['get-key-policy', '--key-id', key, '--query', 'Policy', '--output', 'text'])).stdout);
    const use = policy.Statement.find((s: { Sid: string }) => s.Sid === 'Allow use of the key');
    expect(use.Principal).toEqual({ AWS: oldId });
  }, 120_000);

  test('five wrong passphrases lock the user name out in every later process; the trail has them; a new passphrase lifts it', async () => {
    await createUser('bob', 'bob right passphrase');
    const whoami = ['sts', 'get-caller-identity', '--query', 'Arn', '--output', 'text'];
    for (let i = 1; i <= 5; i++) {
      const r = await ws.run(whoami, as('bob', `bob wrong passphrase ${i}`));
      expect(r.code).toBe(254);
      expect(r.stderr).toContain('(AccessDeniedException)');
      expect(r.stderr).toContain('Sign-in failed: unknown tenant or user, or wrong passphrase.');
      if (i === 5) expect(r.stderr).toMatch(/After 5 failed sign-ins in a row, sign-in under this user name is refused until \S+Z \(in 30 seconds\)/);
    }
    const locked = await ws.run(whoami, as('bob', 'bob right passphrase'));
    expect(locked.code).toBe(254);
    expect(locked.stderr).toMatch(/\(AccessDeniedException\).*Too many failed sign-ins under this user name: sign-in is refused until \S+Z/);

    const events = await ws.json(['audit', 'lookup-events', '--event-name', 'ConsoleLogin', '--user-name', 'bob']);
    const records = events.Events.map((e: { CloudTrailEvent: string }) => JSON.parse(e.CloudTrailEvent));
    expect(records).toHaveLength(6);
    for (const r of records) expect(r).toMatchObject({ sourceType: 'cli', responseElements: { ConsoleLogin: 'Failure' }, userIdentity: { userName: 'bob' } });
    expect(JSON.stringify(records)).not.toMatch(/bob (wrong|right) passphrase/);

    expect((await ws.run(['iam', 'delete-login-profile', '--user-name', 'bob'])).code).toBe(0);
    expect((await ws.run(['iam', 'create-login-profile', '--user-name', 'bob'], { STRONGROOM_NEW_PASSPHRASE: 'bob new passphrase' })).code).toBe(0);
    const after = await ws.run(whoami, as('bob', 'bob new passphrase'));
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.trim()).toMatch(/:user\/bob$/);
  }, 180_000);

  test('tenant create refuses a name of 12 digits, which --tenant would read as an account id', async () => {
    const r = await ws.run(['tenant', 'create', '--tenant-name', '123456789012'], { STRONGROOM_NEW_PASSPHRASE: 'a tenant admin passphrase' });
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/\(ValidationException\) when calling the CreateTenant operation: Tenant name '123456789012' is not valid: it looks like an account id/);
  }, 60_000);
});
