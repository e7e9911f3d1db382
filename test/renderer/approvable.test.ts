// Which operations a form runs again once approved (renderer/src/screens/
// approvals/approvable.ts), by the contract: the ones it marks approvable
// are exactly those whose input names an approved request, each has a place
// to run again, and an approved request's stored input becomes the call
// that runs it, or the reason it cannot here (a split's passphrases).
import { describe, expect, it } from 'vitest';
import { CONTRACT, OPERATION_NAMES } from '../../main/api/index.js';
import { approvedInput, isApprovable, RUN_AGAIN } from '../../renderer/src/screens/approvals/approvable.js';

const ID = '6f1c2b9e-3a4d-4e5f-8a6b-7c8d9e0f1a2b';

describe('approvable operations', () => {
  it('are the ones whose input takes ApprovalRequestId, and each has a place to run again', () => {
    for (const name of OPERATION_NAMES) {
      const shape = (CONTRACT[name].input as { shape?: Record<string, unknown> }).shape ?? {};
      expect(isApprovable(name), name).toBe(Object.hasOwn(shape, 'ApprovalRequestId'));
    }
    expect(OPERATION_NAMES.filter(isApprovable).sort()).toEqual(['CreateBackup', 'SplitRecoveryKey']);
    expect(Object.keys(RUN_AGAIN).sort()).toEqual(OPERATION_NAMES.filter(isApprovable).sort());
    expect(isApprovable('NoSuchOperation')).toBe(false);
    expect(isApprovable('DisableKey')).toBe(false);
  });

  it("a backup's stored input runs again with its request id (what else the request holds is left)", () => {
    expect(approvedInput('CreateBackup', { OutPath: '/srv/vault.srb', RecoverySlot: false }, ID)).toEqual({ input: { OutPath: '/srv/vault.srb', ApprovalRequestId: ID } });
    expect(approvedInput('CreateBackup', { RecoverySlot: false }, ID)).toEqual({ problem: expect.stringMatching(/^OutPath: /) });
  });

  it("a split's plan does not run as stored when a custodian's passphrase is needed: its screen runs it", () => {
    const plan = { Scheme: 'strongroom', Threshold: 2, OutDir: '/srv/shares', Custodians: [{ Name: 'alice', Delivery: 'passphrase' }, { Name: 'bob', Delivery: 'paper' }] };
    expect(approvedInput('SplitRecoveryKey', plan, ID)).toEqual({ problem: expect.stringMatching(/^Custodians\.0\.Passphrase: /) });
    expect(RUN_AGAIN.SplitRecoveryKey).toMatchObject({ where: 'screen', screen: 'Recovery and backup' });
    expect(RUN_AGAIN.SplitRecoveryKey.where === 'screen' && RUN_AGAIN.SplitRecoveryKey.path(ID)).toBe(`/recovery/approved/${ID}`);
  });
});
