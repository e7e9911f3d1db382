// A re-split and a backup under quorum on the user's path (issue 13): the built
// `strongroom` binary, one process per command, each approver signing in with
// their own passphrase. The guarded split fails (exit 254) naming its
// request and saying to run the command again with --approval-request-id;
// `approval execute` cannot run it (the shares are written where the
// command runs); the approved split runs once, as approved.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe('strongroom ceremony split and backup create under quorum', () => {
  const ws = new Workspace();
  const as = (user: string) => ({ STRONGROOM_USER: user, STRONGROOM_PASSPHRASE: `${user} passphrase` });
  const split = (more: string[] = []) =>
    ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'shares', ...more]);

  beforeAll(async () => {
    expect((await ws.run(['init', '--passphrase-only'])).code).toBe(0);
    expect((await ws.run(['iam', 'create-group', '--group-name', 'custodians'])).code).toBe(0);
    for (const user of ['carol', 'dave']) {
      expect((await ws.run(['iam', 'create-user', '--user-name', user])).code).toBe(0);
      expect((await ws.run(['iam', 'create-login-profile', '--user-name', user], { STRONGROOM_NEW_PASSPHRASE: `${user} passphrase` })).code).toBe(0);
      expect((await ws.run(['iam', 'add-user-to-group', '--group-name', 'custodians', '--user-name', user])).code).toBe(0);
    }
    const rules = JSON.stringify([{ Actions: ['vault:SplitRecoveryKey', 'backup:CreateBackup'], GroupName: 'custodians', MinApprovals: 2 }]);
    expect((await ws.run(['approval', 'put-rules', '--rules', rules])).code).toBe(0);
    writeFileSync(ws.path('alice.pass'), 'alice custodian passphrase\n');
  }, 120_000);
  afterAll(() => ws.remove());

  test('held, approved by two, run again with --approval-request-id: exactly once', async () => {
    const held = await split();
    expect(held.code, held.stdout).toBe(254);
    expect(held.stderr).toContain('An error occurred (ApprovalRequiredException) when calling the SplitRecoveryKey operation: ');
    const id = /approval request ([0-9a-f-]{36}) holds this call/.exec(held.stderr)?.[1];
    expect(id, held.stderr).toBeDefined();
    expect(held.stderr).toContain(`Then the requester: run this command again with --approval-request-id ${id}`);
    expect(existsSync(ws.path('shares')) ? readdirSync(ws.path('shares')) : []).toEqual([]);

    const shown = await ws.run(['approval', 'show', '--request-id', id!], as('carol'));
    expect(shown.code, shown.stderr).toBe(0);
    const request = JSON.parse(shown.stdout).Request;
    expect(request.Input).toMatchObject({ Threshold: 2, Custodians: [{ Name: 'alice', Delivery: 'passphrase' }, { Name: 'bob', Delivery: 'paper' }] });
    expect(shown.stdout).not.toContain('alice custodian passphrase');
    for (const user of ['carol', 'dave']) {
      const r = await ws.run(['approval', 'approve', '--request-id', id!, '--request-hash', request.RequestHash], as(user));
      expect(r.code, r.stderr).toBe(0);
    }

    const execute = await ws.run(['approval', 'execute', '--request-id', id!]);
    expect(execute.code).toBe(254);
    expect(execute.stderr).toMatch(/KMSInvalidStateException.*calling SplitRecoveryKey again/);

    const other = await split(['--scheme', 'ssss', '--approval-request-id', id!]);
    expect(other.code).toBe(252); // ssss needs paper for every custodian: a usage error before anything runs

    const elsewhere = await ws.run(['ceremony', 'split', '--threshold', '2', '--custodian', 'alice=passphrase-file:alice.pass', '--custodian', 'bob=paper', '--out-dir', 'shares2', '--approval-request-id', id!]);
    expect(elsewhere.code).toBe(254);
    expect(elsewhere.stderr).toMatch(/ValidationException.*other input than this call's/);
    expect(existsSync(ws.path('shares2'))).toBe(false);

    const done = await split(['--approval-request-id', id!]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ Threshold: 2, Count: 2 });
    expect(readdirSync(ws.path('shares')).sort()).toEqual(['alice.share', 'bob.paper.txt', 'bob.qr.svg']);

    rmSync(ws.path('shares'), { recursive: true });
    const again = await split(['--approval-request-id', id!]);
    expect(again.code).toBe(254);
    expect(again.stderr).toMatch(/KMSInvalidStateException.*was already executed/);
    expect(existsSync(ws.path('shares'))).toBe(false);
  }, 180_000);

  test('backup create: held with no file, approved by two, run again with --approval-request-id', async () => {
    const held = await ws.run(['backup', 'create', '--out', 'vault.srb']);
    expect(held.code, held.stdout).toBe(254);
    const id = /approval request ([0-9a-f-]{36}) holds this call/.exec(held.stderr)?.[1];
    expect(id, held.stderr).toBeDefined();
    expect(held.stderr).toContain(`Then the requester: run this command again with --approval-request-id ${id}`);
    expect(existsSync(ws.path('vault.srb'))).toBe(false);
    const hash = JSON.parse((await ws.run(['approval', 'show', '--request-id', id!], as('carol'))).stdout).Request.RequestHash;
    for (const user of ['carol', 'dave']) expect((await ws.run(['approval', 'approve', '--request-id', id!, '--request-hash', hash], as(user))).code).toBe(0);
    const done = await ws.run(['backup', 'create', '--out', 'vault.srb', '--approval-request-id', id!]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ OutPath: ws.path('vault.srb'), KeySlots: ['vmk', 'recovery'] });
    expect(existsSync(ws.path('vault.srb'))).toBe(true);
  }, 180_000);
});
