// The key detail screen's pure parts: who may do what (from a matrix the
// real service computed), the key policy's roles read and rewritten, the
// fingerprint laid out for reading aloud, grant constraints typed as lines,
// and the day a deletion would happen.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { accessOf, type Matrix } from '../../renderer/src/screens/key-detail/access.js';
import { deletionDateFor } from '../../renderer/src/screens/key-detail/dates.js';
import { parseContextLines } from '../../renderer/src/screens/key-detail/encryption-context.js';
import { groupsForReading } from '../../renderer/src/screens/key-detail/fingerprint.js';
import { rolesOf, withRoles } from '../../renderer/src/screens/key-detail/policy-roles.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let keyId: string;
let matrix: Matrix;
let account: string;
const arn = (name: string) => `arn:strongroom:iam::${account}:user/${name}`;

beforeAll(async () => {
  t = await makeVault();
  for (const name of ['alice', 'bob']) await t.call('CreateUser', { UserName: name });
  const { KeyMetadata } = await t.call('CreateKey', { KeyAdministrators: ['alice'], KeyUsers: ['bob'] });
  keyId = KeyMetadata.KeyId;
  account = KeyMetadata.AWSAccountId;
  matrix = await t.call('GetKeyAccessMatrix', { KeyId: keyId });
});
afterAll(async () => t?.close());

describe('accessOf', () => {
  it("reads the caller's own row: a key administrator manages, a key user uses", () => {
    const alice = accessOf(matrix, arn('alice'));
    expect(alice.known).toBe(true);
    expect(alice.may('kms:DisableKey')).toBe(true);
    expect(alice.may('kms:Encrypt')).toBe(false);
    expect(alice.verdict('kms:Encrypt')).toBe('Deny');
    const bob = accessOf(matrix, arn('bob'));
    expect(bob.may('kms:Encrypt')).toBe(true);
    expect(bob.may('kms:DisableKey')).toBe(false);
  });

  it('knows nothing without the matrix, for a user not in it, or of an action it does not cover: nothing is allowed', () => {
    for (const access of [accessOf(undefined, arn('alice')), accessOf(matrix, arn('mallory'))]) {
      expect(access.known).toBe(false);
      expect(access.verdict('kms:DisableKey')).toBe('Unknown');
      expect(access.may('kms:DisableKey')).toBe(false);
      expect(access.allowed).toEqual([]);
    }
    expect(accessOf(matrix, arn('alice')).verdict('kms:NotAnAction')).toBe('Unknown');
  });
});

describe('policy roles', () => {
  it('reads the administrators and users of the default policy, and rewrites them so the service agrees', async () => {
    const { Policy } = await t.call('GetKeyPolicy', { KeyId: keyId });
    expect(rolesOf(Policy)).toEqual({ administrators: [arn('alice')], users: [arn('bob')] });
    const next = withRoles(Policy, { administrators: [arn('alice'), arn('bob')], users: [] });
    expect(rolesOf(next)).toEqual({ administrators: [arn('alice'), arn('bob')], users: null });
    // the other statements stay, word for word
    const sids = (p: string) => (JSON.parse(p) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);
    expect(sids(next)).toEqual(['Enable IAM User Permissions', 'Allow access for Key Administrators']);
    await t.call('PutKeyPolicy', { KeyId: keyId, Policy: next });
    const after = await t.call('GetKeyAccessMatrix', { KeyId: keyId });
    expect(accessOf(after, arn('bob')).may('kms:DisableKey')).toBe(true);
    expect(accessOf(after, arn('bob')).may('kms:Encrypt')).toBe(false);
  });

  it('a policy without the role statements has no roles to edit; not JSON throws', () => {
    expect(rolesOf('{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}}')).toEqual({ administrators: null, users: null });
    expect(() => rolesOf('{"Statement": [')).toThrow(SyntaxError);
  });
});

describe('fingerprint groups', () => {
  it('groups of four, after the type prefix', () => {
    expect(groupsForReading('0a1b2c3d4e5f6a7b8')).toBe('0a1b 2c3d 4e5f 6a7b 8');
    expect(groupsForReading('SHA256:abcdEFGHij')).toBe('SHA256: abcd EFGH ij');
  });
});

describe('grant constraint lines', () => {
  it('key=value lines, blank lines skipped, the value may hold =', () => {
    expect(parseContextLines('purpose=payroll\n\n team = a=b ')).toEqual({ pairs: { purpose: 'payroll', team: 'a=b' } });
  });
  it('names the wrong line', () => {
    expect(parseContextLines('purpose=payroll\nno equals sign')).toEqual({ error: 'Line 2 is not key=value.' });
    expect(parseContextLines('=x')).toEqual({ error: 'Line 1 is not key=value.' });
    expect(parseContextLines('a=1\na=2')).toEqual({ error: 'Line 2 repeats the key a.' });
  });
});

describe('deletion date', () => {
  it('is the waiting period in whole days after now, as the service counts it', async () => {
    const now = new Date(t.clock.now);
    const { DeletionDate } = await t.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 9 });
    expect(deletionDateFor(9, now)).toEqual(DeletionDate);
  });
});
