// A re-split and a backup held for quorum approval (issue 13: "an
// administrator sets which actions need approval … backup, re-split"): an
// action the tenant's rules name holds the call as an approval request
// (a split stored as its plan: custodians, threshold, deliveries, folder;
// never a passphrase), with no file written; once approved, its requester
// makes the same call again naming the request, and it runs exactly once,
// exactly as approved.
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InputOf } from '../../main/api/index.js';
import type { ApprovalRequiredError } from '../../main/core/errors.js';
import type { Caller } from '../../main/core/service/caller.js';
import { createBackup } from '../../main/backup/create.js';
import { recoveryStatus, splitRecovery } from '../../main/session/recovery-split.js';
import { newUser } from '../support/iam.js';
import { refused, UUID } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

let t: TestVault;
let outDir: string;
const approvers: Record<string, Caller> = {};

beforeEach(async () => {
  t = await makeVault();
  outDir = join(t.dir, 'shares');
  await mkdir(outDir);
  await t.call('CreateGroup', { GroupName: 'custodians' });
  for (const name of ['carol', 'dave']) {
    approvers[name] = await newUser(t, name);
    await t.call('AddUserToGroup', { GroupName: 'custodians', UserName: name });
  }
  await t.call('PutApprovalRules', { Rules: [{ Actions: ['vault:SplitRecoveryKey', 'backup:CreateBackup', 'kms:DisableKey'], GroupName: 'custodians', MinApprovals: 2 }] });
});
afterEach(() => t.close());

const plan = (threshold = 2): InputOf<'SplitRecoveryKey'> => ({
  Threshold: threshold,
  OutDir: outDir,
  Custodians: [
    { Name: 'alice', Delivery: 'passphrase', Passphrase: 'alice custodian passphrase' },
    { Name: 'bob', Delivery: 'paper' },
    { Name: 'erin', Delivery: 'paper' },
  ],
});
const split = (input: InputOf<'SplitRecoveryKey'>) => splitRecovery(t.vault.service, t.admin, t.vault.vaultId, input, outDir);
const approve = (who: string, r: { id: string; hash: string }) => t.call('ApproveRequest', { RequestId: r.id, RequestHash: r.hash }, approvers[who]);

async function heldSplit(): Promise<{ id: string; hash: string }> {
  const err = (await refused(split(plan()), 'ApprovalRequiredException')) as ApprovalRequiredError;
  expect(err.approvalRequestId).toMatch(UUID);
  const { Request } = await t.call('GetApprovalRequest', { RequestId: err.approvalRequestId });
  return { id: err.approvalRequestId, hash: Request.RequestHash };
}

describe('re-split needs the quorum', () => {
  it('is an action rules may name', async () => {
    expect((await t.call('GetApprovalRules', {})).GuardableActions).toEqual(expect.arrayContaining(['vault:SplitRecoveryKey', 'backup:CreateBackup']));
  });

  it('held: a request holding the plan (no passphrase), no share written, no split made', async () => {
    const r = await heldSplit();
    expect(await readdir(outDir)).toEqual([]);
    expect(await recoveryStatus(t.vault.service, t.admin, t.vault.vaultId)).toEqual({});
    const { Request } = await t.call('GetApprovalRequest', { RequestId: r.id });
    expect(Request).toMatchObject({ Operation: 'SplitRecoveryKey', Status: 'Pending', Requester: expect.stringMatching(/:user\/admin$/) });
    expect(Request.Input).toEqual({
      Scheme: 'strongroom',
      Threshold: 2,
      OutDir: outDir,
      Custodians: [
        { Name: 'alice', Delivery: 'passphrase' },
        { Name: 'bob', Delivery: 'paper' },
        { Name: 'erin', Delivery: 'paper' },
      ],
    });
    expect(JSON.stringify(Request)).not.toContain('alice custodian passphrase');
  });

  it('runs once approved, when its requester splits again naming the request, exactly as approved and once', async () => {
    const r = await heldSplit();
    await approve('carol', r);
    // one approval is not the quorum
    expect((await refused(split({ ...plan(), ApprovalRequestId: r.id }), 'KMSInvalidStateException')).message).toMatch(/1 of the 2 approvals/);
    await approve('dave', r);
    // ExecuteApprovalRequest cannot write the share files: it says to split again
    expect((await refused(t.call('ExecuteApprovalRequest', { RequestId: r.id }), 'KMSInvalidStateException')).message).toMatch(/calling SplitRecoveryKey again.*ApprovalRequestId/);
    // another plan under the approved request's id is not what was approved
    expect((await refused(split({ ...plan(3), ApprovalRequestId: r.id }), 'ValidationException')).message).toMatch(/other input than this call's/);
    expect(await readdir(outDir)).toEqual([]);

    const done = await split({ ...plan(), ApprovalRequestId: r.id });
    expect(done).toMatchObject({ Threshold: 2, Count: 3 });
    expect((await readdir(outDir)).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg', 'erin.paper.txt', 'erin.qr.svg']);
    expect((await recoveryStatus(t.vault.service, t.admin, t.vault.vaultId)).Split).toMatchObject({ SplitId: done.SplitId, Threshold: 2, Count: 3 });
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Status).toBe('Executed');

    // once: the same request again (the custodians having taken their files away) changes nothing
    for (const f of await readdir(outDir)) await rm(join(outDir, f));
    expect((await refused(split({ ...plan(), ApprovalRequestId: r.id }), 'KMSInvalidStateException')).message).toMatch(/already executed/);
    expect(await readdir(outDir)).toEqual([]);
    expect((await recoveryStatus(t.vault.service, t.admin, t.vault.vaultId)).Split?.SplitId).toBe(done.SplitId);
  });

  it("another operation's request, or none, does not run a split", async () => {
    const KeyId = (await t.call('CreateKey', {})).KeyMetadata.KeyId;
    const err = (await refused(t.call('DisableKey', { KeyId }), 'ApprovalRequiredException')) as ApprovalRequiredError;
    const { Request } = await t.call('GetApprovalRequest', { RequestId: err.approvalRequestId });
    const r = { id: err.approvalRequestId, hash: Request.RequestHash };
    await approve('carol', r);
    await approve('dave', r);
    expect((await refused(split({ ...plan(), ApprovalRequestId: r.id }), 'ValidationException')).message).toMatch(/holds DisableKey, not SplitRecoveryKey/);
    await refused(split({ ...plan(), ApprovalRequestId: '00000000-0000-4000-8000-000000000000' }), 'NotFoundException');
    expect(await readdir(outDir)).toEqual([]);
    expect((await t.call('DescribeKey', { KeyId })).KeyMetadata.KeyState).toBe('Enabled');
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Status).toBe('Approved');
  });
});

describe('a backup needs the quorum', () => {
  it('held with no file written; once approved, runs when its requester backs up again naming the request, once', async () => {
    const outPath = join(t.dir, 'vault.srb');
    const err = (await refused(createBackup(t.vault, t.admin, { outPath }), 'ApprovalRequiredException')) as ApprovalRequiredError;
    await expect(stat(outPath)).rejects.toThrow(/ENOENT/);
    const { Request } = await t.call('GetApprovalRequest', { RequestId: err.approvalRequestId });
    expect(Request).toMatchObject({ Operation: 'CreateBackup', Action: 'backup:CreateBackup', Input: expect.objectContaining({ OutPath: outPath }) });
    const r = { id: err.approvalRequestId, hash: Request.RequestHash };
    await approve('carol', r);
    await approve('dave', r);
    // to another file is not what was approved
    expect((await refused(createBackup(t.vault, t.admin, { outPath: join(t.dir, 'elsewhere.srb'), approvalRequestId: r.id }), 'ValidationException')).message).toMatch(/other input/);
    expect((await readdir(t.dir)).filter((f) => f.endsWith('.srb'))).toEqual([]);

    const done = await createBackup(t.vault, t.admin, { outPath, approvalRequestId: r.id });
    expect(done.Sha256).toBe(createHash('sha256').update(await readFile(outPath)).digest('hex'));
    expect((await t.call('GetApprovalRequest', { RequestId: r.id })).Request.Status).toBe('Executed');
    await rm(outPath);
    expect((await refused(createBackup(t.vault, t.admin, { outPath, approvalRequestId: r.id }), 'KMSInvalidStateException')).message).toMatch(/already executed/);
    await expect(stat(outPath)).rejects.toThrow(/ENOENT/);
    // the trail: the request's creation, then ExecuteApprovalRequest and the backup it ran
    const names = (await t.call('LookupEvents', { MaxResults: 50 })).Events.map((e) => e.EventName);
    expect(names).toEqual(expect.arrayContaining(['CreateBackup', 'ExecuteApprovalRequest', 'ApproveRequest']));
  });
});
