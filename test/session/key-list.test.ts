// The app operations behind the desktop key list (issue 12): SwitchRegion
// moves a signed-in session to another region as the same user, without a
// new sign-in; ListKeyDetails answers a page of keys with their metadata in
// one authorized, audited call (core/kms/key-details.ts), giving metadata
// only for keys the caller may DescribeKey.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutputOf } from '../../main/api/index.js';
import { AppSession } from '../../main/session/app-session.js';
import { newUser, passphraseOf, policy } from '../support/iam.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let s: AppSession;
beforeEach(async () => {
  t = await makeVault();
  s = new AppSession(t.vault, 'desktop', t.dir);
});
afterEach(async () => t.close());

const signIn = () => s.run('SignIn', { UserName: 'admin', Passphrase: ADMIN_PASSPHRASE });

describe('SwitchRegion', () => {
  it('moves the session to another region as the same user; the old caller is signed out', async () => {
    await signIn();
    const before = s.caller;
    const { KeyMetadata: here } = await t.vault.service.call(before, 'CreateKey', { Description: 'in local-1' });

    expect(await s.run('SwitchRegion', { Region: 'eu-west-9' })).toEqual({
      AccountId: t.admin.account,
      UserName: 'admin',
      Arn: t.admin.arn,
      Region: 'eu-west-9',
      MustChangePassphrase: false,
    });
    expect(await s.run('GetSession', {})).toMatchObject({ SignedIn: true, Session: { Region: 'eu-west-9' } });
    // keys live in a region: local-1's key is not here, and a key made now is in eu-west-9
    expect((await s.run('ListKeyDetails', {})).Keys).toEqual([]);
    await refused(t.vault.service.call(s.caller, 'DescribeKey', { KeyId: here.KeyId }), 'NotFoundException');
    const { KeyMetadata: there } = await t.vault.service.call(s.caller, 'CreateKey', {});
    expect(there.Arn).toContain(':kms:eu-west-9:');
    await refused(t.vault.service.call(before, 'ListKeys', {}), 'AccessDeniedException');

    // and back
    await s.run('SwitchRegion', { Region: 'local-1' });
    expect((await s.run('ListKeyDetails', {})).Keys.map((k) => k.KeyId)).toEqual([here.KeyId]);
  });

  it('refuses a malformed region and a session that is not signed in', async () => {
    await refused(s.run('SwitchRegion', { Region: 'local-1' }), 'AccessDeniedException');
    await signIn();
    expect((await refused(s.run('SwitchRegion', { Region: 'Not A Region' }), 'ValidationException')).message).toMatch(/Region 'Not A Region' is not valid/);
    await refused(s.dispatch('SwitchRegion', {}), 'ValidationException');
    // a refused switch leaves the session where it was
    expect(s.caller.region).toBe('local-1');
  });

  it('a pending passphrase change stays pending in the new region', async () => {
    await newUser(t, 'nora', { passwordResetRequired: true, managed: ['StrongroomAdministrator'] });
    await s.run('SignIn', { UserName: 'nora', Passphrase: passphraseOf('nora') });
    expect(await s.run('SwitchRegion', { Region: 'eu-west-9' })).toMatchObject({ UserName: 'nora', MustChangePassphrase: true });
    expect((await refused(t.vault.service.call(s.caller, 'ListKeys', {}), 'AccessDeniedException')).message).toMatch(/must change its passphrase/);
  });
});

describe('ListKeyDetails', () => {
  it("pages the region's keys with DescribeKey's metadata, one audit record per page that keeps only ids and ARNs", async () => {
    await signIn();
    const made: OutputOf<'CreateKey'>['KeyMetadata'][] = [];
    for (const input of [{}, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, { Origin: 'EXTERNAL' }, { Description: 'fifth' }] as const) {
      made.push((await t.vault.service.call(s.caller, 'CreateKey', input)).KeyMetadata);
    }
    await t.vault.service.call(s.caller, 'DisableKey', { KeyId: made[0]!.KeyId });

    const first = await s.run('ListKeyDetails', { Limit: 2 });
    expect(first).toMatchObject({ Truncated: true, NextMarker: expect.any(String) });
    const pages = [first.Keys];
    for (let marker = first.NextMarker; marker; ) {
      const next = await s.run('ListKeyDetails', { Limit: 2, Marker: marker });
      pages.push(next.Keys);
      marker = next.NextMarker;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const listed = pages.flat();
    // the same keys, in the same order, as ListKeys; the metadata DescribeKey gives for each
    expect(listed.map((k) => k.KeyId)).toEqual((await t.call('ListKeys', {})).Keys.map((k) => k.KeyId));
    for (const k of listed) {
      expect(k.KeyMetadata).toEqual((await t.call('DescribeKey', { KeyId: k.KeyId })).KeyMetadata);
      expect(k.KeyArn).toBe(k.KeyMetadata!.Arn);
    }
    expect(listed.find((k) => k.KeyId === made[0]!.KeyId)!.KeyMetadata!.KeyState).toBe('Disabled');
    expect(listed.find((k) => k.KeyId === made[3]!.KeyId)!.KeyMetadata!.KeyState).toBe('PendingImport');

    const { Events } = await t.call('LookupEvents', { EventName: 'ListKeyDetails' });
    expect(Events).toHaveLength(3);
    const record = JSON.parse(Events.at(-1)!.CloudTrailEvent);
    expect(record).toMatchObject({ eventName: 'ListKeyDetails', sourceType: 'desktop', readOnly: true, userIdentity: { userName: 'admin' } });
    expect(record.responseElements.Keys).toEqual(first.Keys.map((k) => ({ KeyId: k.KeyId, KeyArn: k.KeyArn })));
    expect(record.resources.map((r: { ARN: string }) => r.ARN)).toEqual(first.Keys.map((k) => k.KeyArn));
  });

  it('needs kms:ListKeys, and gives metadata only for keys the caller may DescribeKey', async () => {
    const lister = policy({ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' });
    await newUser(t, 'lena', { inline: { lister } });
    await newUser(t, 'otto');
    const theirs = (await t.call('CreateKey', { KeyUsers: ['lena'] })).KeyMetadata;
    const notTheirs = (await t.call('CreateKey', {})).KeyMetadata;

    await s.run('SignIn', { UserName: 'otto', Passphrase: passphraseOf('otto') });
    expect((await refused(s.run('ListKeyDetails', {}), 'AccessDeniedException')).message).toMatch(/not authorized to perform: kms:ListKeys/);

    await s.run('SignIn', { UserName: 'lena', Passphrase: passphraseOf('lena') });
    const { Keys } = await s.run('ListKeyDetails', {});
    const byId = new Map(Keys.map((k) => [k.KeyId, k]));
    expect(byId.get(theirs.KeyId)!.KeyMetadata).toEqual(theirs);
    expect(byId.get(notTheirs.KeyId)).toEqual({ KeyId: notTheirs.KeyId, KeyArn: notTheirs.Arn });
    // which matches what DescribeKey itself says to lena
    await refused(t.vault.service.call(s.caller, 'DescribeKey', { KeyId: notTheirs.KeyId }), 'AccessDeniedException');
  });

  it('refuses a marker it did not issue and an out-of-range limit', async () => {
    await signIn();
    await refused(s.run('ListKeyDetails', { Marker: 'bm90LWEta2V5' }), 'InvalidMarkerException');
    await refused(s.run('ListKeyDetails', { Limit: 1001 }), 'ValidationException');
  });
});
