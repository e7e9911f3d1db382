// Quorum approvals (issue 13; DESIGN §10): a call the tenant's rules guard is
// held as an approval request and runs only once M distinct members of the
// group (never its requester) have approved the request's hash; exactly
// once, exactly as approved, as its requester, authorized again. Expired,
// rejected, changed and self- or doubly-approved requests are refused;
// changing the rules needs the current quorum; a request or approval forged
// in the vault file is refused; every step is in the audit trail.
import { createPublicKey, publicEncrypt } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf } from '../../main/api/index.js';
import type { ApprovalRequiredError } from '../../main/core/errors.js';
import { DecryptAgeSshRsaStanza } from '../../main/core/kms/age-unwrap.js';
import type { Caller } from '../../main/core/service/caller.js';
import { callAs, type Call } from '../support/call-as.js';
import { newUser, passphraseOf, policy, signIn } from '../support/iam.js';
import { refused, sqlite, UUID } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

const HOUR = 3_600_000;
const CUSTODIANS = ['carol', 'dave', 'erin'];

let t: TestVault;
/** the callers by name: admin (StrongroomAdministrator), the custodians (no policy), kim (KeyAdministrator, not a custodian), bob (nothing), audrey (AuditReader) */
let as: Record<string, Call>;
let callers: Record<string, Caller>;

beforeEach(async () => {
  t = await makeVault();
  callers = { admin: t.admin };
  await t.call('CreateGroup', { GroupName: 'custodians' });
  for (const name of CUSTODIANS) {
    callers[name] = await newUser(t, name);
    await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: name });
  }
  callers['kim'] = await newUser(t, 'kim', { managed: ['KeyAdministrator'] });
  callers['bob'] = await newUser(t, 'bob');
  callers['audrey'] = await newUser(t, 'audrey', { managed: ['AuditReader'] });
  as = Object.fromEntries(Object.entries(callers).map(([n, c]) => [n, callAs(t.vault.service, c)]));
  await t.call('PutApprovalRules', { Rules: [{ Actions: ['kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:Decrypt'], GroupName: 'custodians', MinApprovals: 2 }] });
});
afterEach(() => t.close());

const newKey = async () => (await t.call('CreateKey', { KeyAdministrators: ['kim'] })).KeyMetadata.KeyId as string;

/** Calls a guarded operation and returns the request it was held as. */
async function held<N extends 'ScheduleKeyDeletion' | 'CreateGrant' | 'Decrypt' | 'PutApprovalRules' | 'DisableKey'>(name: N, input: InputOf<N>, by = 'admin') {
  const err = (await refused(as[by]!(name, input), 'ApprovalRequiredException')) as ApprovalRequiredError;
  expect(err.approvalRequestId).toMatch(UUID);
  expect(err.message).toContain(err.approvalRequestId);
  const { Request } = await t.call('GetApprovalRequest', { RequestId: err.approvalRequestId });
  return { id: err.approvalRequestId, hash: Request.RequestHash, message: err.message };
}

const approve = (who: string, r: { id: string; hash: string }) => as[who]!('ApproveRequest', { RequestId: r.id, RequestHash: r.hash });
const execute = (r: { id: string }, by = 'admin') => as[by]!('ExecuteApprovalRequest', { RequestId: r.id });
const status = async (r: { id: string }) => (await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Status;
const keyState = async (KeyId: string) => (await t.call('DescribeKey', { KeyId })).KeyMetadata.KeyState;

describe('a guarded call is held, and runs only after M distinct approvers', () => {
  it('ScheduleKeyDeletion: held with a named error, the key untouched; runs once two custodians approved, exactly as asked', async () => {
    const KeyId = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: 9 });
    expect(r.message).toMatch(/^ScheduleKeyDeletion needs 2 approvals from group custodians: approval request [0-9a-f-]{36} holds this call until 2026-11-29T12:00:00\.000Z/);
    expect(await keyState(KeyId)).toBe('Enabled');

    const { Request } = await as['carol']!('GetApprovalRequest', { RequestId: r.id });
    expect(Request).toMatchObject({
      Operation: 'ScheduleKeyDeletion',
      Action: 'kms:ScheduleKeyDeletion',
      Requester: `arn:strongroom:iam::${t.admin.account}:user/admin`,
      Region: 'local-1',
      Status: 'Pending',
      Input: { KeyId, PendingWindowInDays: 9 },
      Requirements: [{ GroupName: 'custodians', MinApprovals: 2, Approvals: 0 }],
      Decisions: [],
      RequestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    await refused(execute(r), 'KMSInvalidStateException').then((e) => expect(e.message).toContain('0 of the 2 approvals it needs from group custodians'));
    const first = await approve('carol', r);
    expect(first.Request).toMatchObject({ Status: 'Pending', Requirements: [{ Approvals: 1 }], Decisions: [{ UserName: 'carol', Decision: 'Approve' }] });
    await refused(execute(r), 'KMSInvalidStateException').then((e) => expect(e.message).toContain('1 of the 2'));
    expect(await keyState(KeyId)).toBe('Enabled');
    expect((await approve('dave', r)).Request.Status).toBe('Approved');

    const out = await execute(r);
    expect(out).toEqual({ KeyId: expect.stringContaining(KeyId), DeletionDate: new Date(t.clock.now + 9 * 24 * HOUR), KeyState: 'PendingDeletion', PendingWindowInDays: 9 });
    expect(await keyState(KeyId)).toBe('PendingDeletion');
    expect(await status(r)).toBe('Executed');
    // exactly once
    await refused(execute(r), 'KMSInvalidStateException').then((e) => expect(e.message).toContain('was already executed'));
    await refused(approve('erin', r), 'KMSInvalidStateException');
  });

  it('a call nothing guards runs at once; an explicit deny and a caller who may not do the action get AccessDenied, and no request', async () => {
    const KeyId = await newKey();
    await t.call('DisableKey', { KeyId });
    expect(await keyState(KeyId)).toBe('Disabled');
    await refused(as['bob']!('ScheduleKeyDeletion', { KeyId }), 'AccessDeniedException');
    expect(sqlite(t, 'SELECT count(*) FROM approval_requests')).toBe('0');
    // a key administrator may: kim's call is held like admin's
    const r = await held('ScheduleKeyDeletion', { KeyId }, 'kim');
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Requester).toMatch(/:user\/kim$/);
  });

  it("the requester's own approval never counts, and a non-member's is refused", async () => {
    await t.call('AttachUserPolicy', { UserName: 'carol', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyAdministrator' });
    const KeyId = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId }, 'carol');
    const self = await refused(approve('carol', r), 'AccessDeniedException');
    expect(self.message).toMatch(/User: arn:strongroom:iam::\d{12}:user\/carol is not authorized to perform: approval:ApproveRequest on approval request .*: you made this request/);
    await refused(approve('kim', r), 'AccessDeniedException');
    await refused(approve('admin', r), 'AccessDeniedException');
    await approve('dave', r);
    await refused(execute(r, 'carol'), 'KMSInvalidStateException');
    await approve('erin', r);
    // only the requester executes
    await refused(execute(r, 'dave'), 'AccessDeniedException').then((e) => expect(e.message).toContain('only its requester (carol) may execute it'));
    await refused(execute(r, 'admin'), 'AccessDeniedException');
    await execute(r, 'carol');
    expect(await keyState(KeyId)).toBe('PendingDeletion');
  });

  it('approving twice is refused and counts once', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await approve('carol', r);
    await refused(approve('carol', r), 'AlreadyExistsException').then((e) => expect(e.message).toMatch(/user\/carol already approved approval request .*; each user decides once/));
    await refused(as['carol']!('RejectRequest', { RequestId: r.id }), 'AlreadyExistsException');
    const { Request } = await t.call('GetApprovalRequest', { RequestId: r.id });
    expect(Request.Requirements).toEqual([{ GroupName: 'custodians', MinApprovals: 2, Approvals: 1 }]);
    await refused(execute(r), 'KMSInvalidStateException');
  });

  it('an approval counts only while its approver is still that user, enabled, and in the group', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await approve('carol', r);
    await approve('dave', r);
    expect(await status(r)).toBe('Approved');
    await t.call('RemoveUserFromGroup', { GroupName: 'custodians', UserName: 'dave' });
    expect(await status(r)).toBe('Pending');
    await t.call('DisableUser', { UserName: 'carol' });
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Requirements[0]!.Approvals).toBe(0);
    await refused(execute(r), 'KMSInvalidStateException');
    await approve('erin', r);
    await t.call('EnableUser', { UserName: 'carol' });
    expect(await status(r)).toBe('Approved');
  });
});

describe('expired, rejected and changed requests are refused', () => {
  it('a request expires after 24 hours: it can no longer be approved or executed', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await approve('carol', r);
    t.clock.now += 24 * HOUR - 1;
    await approve('dave', r);
    expect(await status(r)).toBe('Approved');
    t.clock.now += 1;
    expect(await status(r)).toBe('Expired');
    await refused(execute(r), 'KMSInvalidStateException').then((e) => expect(e.message).toMatch(/expired at 2026-11-29T12:00:00\.000Z/));
    await refused(approve('erin', r), 'KMSInvalidStateException');
  });

  it('RequestExpiryHours sets how long requests wait', async () => {
    const rules = await held('PutApprovalRules', { Rules: [{ Actions: ['kms:DisableKey'], GroupName: 'custodians', MinApprovals: 1 }], RequestExpiryHours: 2 });
    await approve('carol', rules);
    await approve('dave', rules);
    await execute(rules);
    const r = await held('DisableKey', { KeyId: await newKey() });
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.ExpirationDate).toEqual(new Date(t.clock.now + 2 * HOUR));
  });

  it('a rejected request never runs; its requester may withdraw it', async () => {
    const KeyId = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId });
    await approve('carol', r);
    const { Request } = await as['dave']!('RejectRequest', { RequestId: r.id });
    expect(Request).toMatchObject({ Status: 'Rejected', ClosedDate: new Date(t.clock.now), Decisions: [{ UserName: 'carol', Decision: 'Approve' }, { UserName: 'dave', Decision: 'Reject' }] });
    await refused(approve('erin', r), 'KMSInvalidStateException').then((e) => expect(e.message).toContain('was already rejected'));
    await refused(execute(r), 'KMSInvalidStateException');
    expect(await keyState(KeyId)).toBe('Enabled');

    const withdrawn = await held('ScheduleKeyDeletion', { KeyId });
    await refused(as['bob']!('RejectRequest', { RequestId: withdrawn.id }), 'AccessDeniedException');
    await t.call('RejectRequest', { RequestId: withdrawn.id });
    expect(await status(withdrawn)).toBe('Rejected');
  });

  it('an approval naming another hash than the request has is refused: the approver did not review this request', async () => {
    const a = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    const b = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    const err = await refused(approve('carol', { id: a.id, hash: b.hash }), 'ValidationException');
    expect(err.message).toContain(`is not the hash of approval request ${a.id}: it is not the request you reviewed`);
    expect((await t.call('GetApprovalRequest', { RequestId: a.id })).Request.Decisions).toEqual([]);
  });
});

describe('the vault file alone cannot forge or change a request or an approval', () => {
  const integrity = (what: string) => expect.objectContaining({ name: 'KMSInternalException', message: expect.stringMatching(new RegExp(`^${what}( of account \\d{12})? fails its integrity check`)) });

  it('a request whose input was edited in the file is refused, named: it cannot be shown, approved or executed', async () => {
    const KeyId = await newKey();
    const other = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId });
    await approve('carol', r);
    sqlite(t, `UPDATE approval_requests SET input = replace(input, '${KeyId}', '${other}')`);
    const named = integrity(`Approval request ${r.id}`);
    await expect(as['dave']!('GetApprovalRequest', { RequestId: r.id })).rejects.toEqual(named);
    await expect(approve('dave', r)).rejects.toEqual(named);
    await expect(execute(r)).rejects.toEqual(named);
    expect(await keyState(other)).toBe('Enabled');
  });

  it('a request whose hash was edited, or whose status was put back to Pending, fails its MAC', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    sqlite(t, `UPDATE approval_requests SET request_hash = '${'0'.repeat(64)}'`);
    await refused(approve('carol', { id: r.id, hash: '0'.repeat(64) }), 'KMSInternalException');
    const rejected = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await as['carol']!('RejectRequest', { RequestId: rejected.id });
    sqlite(t, `UPDATE approval_requests SET status = 'Pending', closed_at = NULL WHERE request_id = '${rejected.id}'`);
    await expect(approve('dave', rejected)).rejects.toEqual(integrity(`Approval request ${rejected.id}`));
  });

  it('a forged approval row (a copy of a real one under another user, or moved to another request) is refused, named', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await approve('carol', r);
    const daveId = sqlite(t, "SELECT user_id FROM users WHERE user_name = 'dave'");
    sqlite(t, `INSERT INTO approval_decisions SELECT account, request_id, 'dave', '${daveId}', decision, request_hash, decided_at, mac FROM approval_decisions WHERE user_name = 'carol'`);
    await expect(execute(r)).rejects.toEqual(integrity(`The decision of dave on approval request ${r.id}`));

    const other = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    sqlite(t, `DELETE FROM approval_decisions WHERE user_name = 'dave'`);
    sqlite(t, `INSERT INTO approval_decisions SELECT account, '${other.id}', user_name, user_id, decision, '${other.hash}', decided_at, mac FROM approval_decisions WHERE request_id = '${r.id}'`);
    await expect(execute(other)).rejects.toEqual(integrity(`The decision of carol on approval request ${other.id}`));
  });

  it("removing or loosening the tenant's rules in the file does not switch the quorum off: the tenant fails its MAC", async () => {
    const rules = sqlite(t, 'SELECT approval_rules FROM tenants');
    expect(JSON.parse(rules)).toMatchObject({ rules: [{ groupName: 'custodians', minApprovals: 2 }], requestExpiryHours: 24 });
    const signInAfresh = async () => (await t.reopen()).service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' });
    sqlite(t, `UPDATE tenants SET approval_rules = '${rules.replace('"minApprovals":2', '"minApprovals":1')}'`);
    await expect(signInAfresh()).rejects.toEqual(integrity(`Tenant ${t.admin.account}`));
    sqlite(t, 'UPDATE tenants SET approval_rules = NULL');
    await expect(signInAfresh()).rejects.toEqual(integrity(`Tenant ${t.admin.account}`));
    sqlite(t, `UPDATE tenants SET approval_rules = '${rules}'`);
    await signInAfresh();
  });
});

describe('execution', () => {
  it('runs exactly once even when executed twice at the same time (the mark commits with the change)', async () => {
    const KeyId = await newKey();
    const r = await held('CreateGrant', { KeyId, GranteePrincipal: 'bob', Operations: ['Encrypt'] });
    await approve('carol', r);
    await approve('dave', r);
    const outcomes = await Promise.allSettled([execute(r), execute(r), execute(r)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as Error).name).toBe('KMSInvalidStateException');
    expect((await t.call('ListGrants', { KeyId })).Grants).toHaveLength(1);
  });

  it('a user may have at most 100 requests waiting; an expired one no longer counts', async () => {
    const KeyId = await newKey();
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('x') });
    for (let i = 0; i < 100; i++) await refused(t.call('Decrypt', { CiphertextBlob }), 'ApprovalRequiredException');
    const over = await refused(t.call('Decrypt', { CiphertextBlob }), 'LimitExceededException');
    expect(over.message).toContain('already has 100 approval requests waiting');
    expect(sqlite(t, 'SELECT count(*) FROM approval_requests')).toBe('100');
    const [record] = (await t.call('LookupEvents', { EventName: 'Decrypt', MaxResults: 1 })).Events.map((e) => JSON.parse(e.CloudTrailEvent as string));
    expect(record).toMatchObject({ errorCode: 'LimitExceededException' });
    expect(record.additionalEventData).toBeUndefined();
    t.clock.now += 24 * HOUR;
    await held('Decrypt', { CiphertextBlob });
  });

  it('an operation that writes nothing (Decrypt) returns its output once', async () => {
    const KeyId = await newKey();
    const { CiphertextBlob } = await t.call('Encrypt', { KeyId, Plaintext: Buffer.from('the launch codes') });
    const r = await held('Decrypt', { CiphertextBlob });
    const { Request } = await as['carol']!('GetApprovalRequest', { RequestId: r.id });
    expect(Buffer.from(Request.Input['CiphertextBlob'] as Uint8Array)).toEqual(Buffer.from(CiphertextBlob));
    await approve('carol', r);
    await approve('erin', r);
    const outcomes = await Promise.allSettled([execute(r), execute(r)]);
    const ok = outcomes.filter((o): o is PromiseFulfilledResult<Record<string, unknown>> => o.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    expect(Buffer.from(ok[0]!.value['Plaintext'] as Uint8Array).toString()).toBe('the launch codes');
  });

  it('authorizes the requester again: one who lost the right in the meantime is refused, and the request stays approved', async () => {
    const KeyId = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId }, 'kim');
    await approve('carol', r);
    await approve('dave', r);
    await t.call('DetachUserPolicy', { UserName: 'kim', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyAdministrator' });
    await t.call('PutKeyPolicy', { KeyId, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:strongroom:iam::${t.admin.account}:root` }, Action: 'kms:*', Resource: '*' }) });
    await refused(execute(r, 'kim'), 'AccessDeniedException').then((e) => expect(e.message).toContain('kms:ScheduleKeyDeletion'));
    expect(await status(r)).toBe('Approved');
    expect(await keyState(KeyId)).toBe('Enabled');
  });

  it('a requester deleted and created again under the same name is someone else', async () => {
    await t.call('AttachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:strongroom:iam::aws:policy/StrongroomAdministrator' });
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() }, 'bob');
    await approve('carol', r);
    await approve('dave', r);
    await t.call('DeleteUser', { UserName: 'bob' });
    const bob = await newUser(t, 'bob', { managed: ['StrongroomAdministrator'] });
    await refused(callAs(t.vault.service, bob)('ExecuteApprovalRequest', { RequestId: r.id }), 'AccessDeniedException');
  });

  it('an internal operation (age decryption\'s unwrap, kms:Decrypt) cannot wait for approvals: refused, named, no request stored; without the right, AccessDenied', async () => {
    const KeyId = (await t.call('CreateKey', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })).KeyMetadata.KeyId as string;
    // a real stanza body: a 16-byte file key under the key's public key, RSA-OAEP SHA-256 with age's label
    const { PublicKey } = await t.call('GetPublicKey', { KeyId });
    const body = publicEncrypt(
      { key: createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' }), oaepHash: 'sha256', oaepLabel: Buffer.from('age-encryption.org/v1/ssh-rsa') },
      Buffer.alloc(16, 7),
    );
    const err = await refused(t.vault.service.callInternal(t.admin, DecryptAgeSshRsaStanza, { KeyId, Body: body }), 'ApprovalRequiredException');
    expect(err.message).toBe('kms:Decrypt needs 2 approvals from group custodians, and DecryptAgeSshRsaStanza cannot wait for approvals: call the operation itself to create an approval request.');
    expect((err as Partial<ApprovalRequiredError>).approvalRequestId).toBeUndefined();
    await refused(t.vault.service.callInternal(callers['bob']!, DecryptAgeSshRsaStanza, { KeyId, Body: body }), 'AccessDeniedException');
    expect(sqlite(t, 'SELECT count(*) FROM approval_requests')).toBe('0');
  });

  it('runs in the region the request was made in', async () => {
    const eu = await t.vault.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'eu-test-1', source: 'sdk' });
    const euCall = callAs(t.vault.service, eu);
    const KeyId = (await euCall('CreateKey', {})).KeyMetadata.KeyId as string;
    const err = (await refused(euCall('ScheduleKeyDeletion', { KeyId }), 'ApprovalRequiredException')) as ApprovalRequiredError;
    const r = { id: err.approvalRequestId, hash: (await t.call('GetApprovalRequest', { RequestId: err.approvalRequestId })).Request.RequestHash };
    await approve('carol', r);
    await approve('dave', r);
    await execute(r); // from local-1
    expect((await euCall('DescribeKey', { KeyId })).KeyMetadata.KeyState).toBe('PendingDeletion');
  });
});

describe('the rules', () => {
  it('changing them needs the current quorum; once changed, the action runs at once', async () => {
    const KeyId = await newKey();
    const r = await held('PutApprovalRules', { Rules: [] });
    expect(r.message).toContain('PutApprovalRules needs 2 approvals from group custodians');
    expect((await t.call('GetApprovalRules', {})).Rules).toEqual([{ Actions: ['kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:Decrypt'], GroupName: 'custodians', MinApprovals: 2 }]);
    await approve('carol', r);
    await refused(execute(r), 'KMSInvalidStateException');
    await approve('erin', r);
    expect(await execute(r)).toEqual({});
    expect(await t.call('GetApprovalRules', {})).toMatchObject({ Rules: [], RequestExpiryHours: 24 });
    await t.call('ScheduleKeyDeletion', { KeyId });
    expect(await keyState(KeyId)).toBe('PendingDeletion');
  });

  it('rules naming approval:PutApprovalRules decide changes to the rules; else every rule\'s group must agree', async () => {
    await t.call('CreateGroup', { GroupName: 'auditors' });
    await t.call('AddUserToGroup', { GroupName: 'auditors', UserName: 'audrey' });
    const both = await held('PutApprovalRules', {
      Rules: [
        { Actions: ['kms:ScheduleKeyDeletion'], GroupName: 'custodians', MinApprovals: 2 },
        { Actions: ['kms:DisableKey', 'kms:ScheduleKeyDeletion'], GroupName: 'auditors', MinApprovals: 1 },
      ],
    });
    await approve('carol', both);
    await approve('dave', both);
    await execute(both);
    // a key deletion now needs both groups; so does changing the rules
    const del = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    expect(del.message).toContain('needs 1 approval from group auditors and 2 approvals from group custodians');
    const change = await held('PutApprovalRules', { Rules: [{ Actions: ['approval:PutApprovalRules'], GroupName: 'auditors', MinApprovals: 1 }] });
    expect(change.message).toContain('PutApprovalRules needs 1 approval from group auditors and 2 approvals from group custodians');
    await approve('audrey', change);
    await refused(execute(change), 'KMSInvalidStateException');
    await approve('carol', change);
    await approve('dave', change);
    await execute(change);
    // now only the auditors decide rule changes, and nothing else is guarded
    await t.call('ScheduleKeyDeletion', { KeyId: await newKey() });
    expect((await held('PutApprovalRules', { Rules: [] })).message).toContain('PutApprovalRules needs 1 approval from group auditors:');
  });

  it('refuses actions no rule may name, unknown or too small groups, duplicates', async () => {
    const fresh = await makeVault();
    try {
      await fresh.call('CreateGroup', { GroupName: 'pair' });
      for (const u of ['p1', 'p2']) {
        await newUser(fresh, u);
        await fresh.call('AddUserToGroup', { GroupName: 'pair', UserName: u });
      }
      const put = (Actions: string[], GroupName = 'pair', MinApprovals = 2) => fresh.call('PutApprovalRules', { Rules: [{ Actions, GroupName, MinApprovals }] });
      // a request would keep the plaintext or passphrase in the vault file and show it to approvers
      for (const a of ['kms:Encrypt', 'iam:CreateLoginProfile', 'iam:ChangePassword', 'tenant:CreateTenant', 'approval:ApproveRequest', 'sts:GetCallerIdentity', 'kms:Bogus', 'kms:*']) {
        await refused(put([a]), 'ValidationException').then((e) => expect(e.message).toContain('cannot need approval'));
      }
      await refused(put(['kms:DisableKey', 'kms:DisableKey']), 'ValidationException');
      await refused(put(['kms:DisableKey'], 'nobody'), 'NoSuchEntityException');
      await refused(put(['kms:DisableKey'], 'pair', 3), 'ValidationException').then((e) => expect(e.message).toContain('has 2 members, fewer than MinApprovals 3'));
      await fresh.call('DisableUser', { UserName: 'p2' });
      await refused(put(['kms:DisableKey']), 'ValidationException');
      await fresh.call('EnableUser', { UserName: 'p2' });
      await refused(fresh.call('PutApprovalRules', { Rules: [], RequestExpiryHours: 5 }), 'ValidationException');
      await put(['kms:DisableKey', 'iam:PutUserPolicy', 'kms:PutKeyPolicy', 'kms:DeleteImportedKeyMaterial']);
      const got = await fresh.call('GetApprovalRules', {});
      expect(got.Rules).toEqual([{ Actions: ['kms:DisableKey', 'iam:PutUserPolicy', 'kms:PutKeyPolicy', 'kms:DeleteImportedKeyMaterial'], GroupName: 'pair', MinApprovals: 2 }]);
      expect(got.GuardableActions).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy', 'kms:DisableKey', 'kms:DeleteImportedKeyMaterial', 'kms:CreateGrant', 'iam:PutUserPolicy', 'iam:AttachUserPolicy', 'approval:PutApprovalRules']));
      expect(got.GuardableActions).not.toContain('kms:Encrypt');
    } finally {
      await fresh.close();
    }
  });

  it('only IAM permission reads or changes the rules', async () => {
    await refused(as['carol']!('GetApprovalRules', {}), 'AccessDeniedException');
    await refused(as['kim']!('PutApprovalRules', { Rules: [] }), 'AccessDeniedException');
    expect((await as['audrey']!('GetApprovalRules', {})).Rules).toHaveLength(1);
  });
});

describe('who sees which requests', () => {
  it('requesters and members of its groups see a request; IAM permission sees all; others nothing', async () => {
    await t.call('AttachUserPolicy', { UserName: 'bob', PolicyArn: 'arn:strongroom:iam::aws:policy/KeyAdministrator' });
    const mine = await held('ScheduleKeyDeletion', { KeyId: await newKey() }, 'kim');
    t.clock.now += 1000;
    const admins = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    const ids = async (who: string, input: InputOf<'ListApprovalRequests'> = {}) => (await as[who]!('ListApprovalRequests', input)).Requests.map((x) => x.RequestId);
    expect(await ids('carol')).toEqual([admins.id, mine.id]);
    expect(await ids('audrey')).toEqual([admins.id, mine.id]);
    expect(await ids('kim')).toEqual([mine.id]);
    expect(await ids('bob')).toEqual([]);
    await refused(as['bob']!('GetApprovalRequest', { RequestId: mine.id }), 'AccessDeniedException');
    await as['kim']!('GetApprovalRequest', { RequestId: mine.id });
    await refused(as['kim']!('GetApprovalRequest', { RequestId: admins.id }), 'AccessDeniedException');
    await approve('carol', mine);
    await approve('dave', mine);
    expect(await ids('carol', { Status: 'Approved' })).toEqual([mine.id]);
    expect(await ids('carol', { Status: 'Pending' })).toEqual([admins.id]);
    // pages, newest first
    const page1 = await t.call('ListApprovalRequests', { Limit: 1 });
    expect(page1).toMatchObject({ Truncated: true, Requests: [{ RequestId: admins.id }] });
    const page2 = await t.call('ListApprovalRequests', { Limit: 1, Marker: page1.NextMarker ?? '' });
    expect(page2).toMatchObject({ Truncated: false, Requests: [{ RequestId: mine.id }] });
    await refused(t.call('ListApprovalRequests', { Marker: 'bm90IGEgbWFya2Vy' }), 'InvalidMarkerException');
  });

  it('an explicit Deny of an approval action refuses even a member of the group', async () => {
    await t.call('PutUserPolicy', { UserName: 'carol', PolicyName: 'no-approving', PolicyDocument: policy({ Effect: 'Deny', Action: 'approval:ApproveRequest', Resource: '*' }) });
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await refused(approve('carol', r), 'AccessDeniedException').then((e) => expect(e.message).toContain('with an explicit deny in an identity-based policy'));
    await approve('dave', r);
  });

  it('another tenant cannot see or decide them', async () => {
    const r = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await t.call('CreateTenant', { TenantName: 'globex', AdminPassword: 'first passphrase of globex' });
    const first = await signIn(t, 'admin', 'first passphrase of globex', 'globex');
    await t.call('ChangePassword', { OldPassword: 'first passphrase of globex', NewPassword: passphraseOf('globex') }, first);
    const globex = callAs(t.vault.service, await signIn(t, 'admin', passphraseOf('globex'), 'globex'));
    await refused(globex('GetApprovalRequest', { RequestId: r.id }), 'NotFoundException');
    await refused(globex('ApproveRequest', { RequestId: r.id, RequestHash: r.hash }), 'NotFoundException');
    expect((await globex('ListApprovalRequests', {})).Requests).toEqual([]);
  });
});

describe('every step is audited', () => {
  it('the held call (the request created), each decision, refusals, the execution and the change it made', async () => {
    const KeyId = await newKey();
    const r = await held('ScheduleKeyDeletion', { KeyId });
    await approve('carol', r);
    await refused(approve('carol', r), 'AlreadyExistsException');
    await approve('dave', r);
    await execute(r);
    const events = async (EventName: string) =>
      (await t.call('LookupEvents', { EventName })).Events.map((e) => JSON.parse(e.CloudTrailEvent as string) as Record<string, any>).reverse();
    const schedule = await events('ScheduleKeyDeletion');
    expect(schedule).toHaveLength(2);
    expect(schedule[0]).toMatchObject({
      errorCode: 'ApprovalRequiredException',
      errorMessage: expect.stringContaining(r.id),
      additionalEventData: { approvalRequestId: r.id, requestHash: r.hash },
      requestParameters: { KeyId },
      userIdentity: { userName: 'admin' },
    });
    expect(schedule[1]).toMatchObject({ additionalEventData: { approvalRequestId: r.id }, responseElements: { KeyState: 'PendingDeletion' }, userIdentity: { userName: 'admin' } });
    expect(schedule[1]!.errorCode).toBeUndefined();
    const approvals = await events('ApproveRequest');
    expect(approvals.map((e) => [e.userIdentity.userName, e.errorCode ?? 'ok', e.readOnly, e.eventSource])).toEqual([
      ['carol', 'ok', false, 'approval.strongroom.local'],
      ['carol', 'AlreadyExistsException', false, 'approval.strongroom.local'],
      ['dave', 'ok', false, 'approval.strongroom.local'],
    ]);
    expect((await events('ExecuteApprovalRequest')).map((e) => [e.requestParameters.RequestId, e.errorCode ?? 'ok', e.responseElements?.KeyState])).toEqual([[r.id, 'ok', 'PendingDeletion']]);
    const rejected = await held('ScheduleKeyDeletion', { KeyId: await newKey() });
    await as['erin']!('RejectRequest', { RequestId: rejected.id });
    expect((await events('RejectRequest')).map((e) => [e.userIdentity.userName, e.requestParameters.RequestId])).toEqual([['erin', rejected.id]]);
    expect((await t.call('VerifyEvents', {})).Valid).toBe(true);
  });
});
