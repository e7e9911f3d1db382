// No change without its audit record (DESIGN §6, issue 9): a call's change
// commits together with an intent that stands for its record; the call's
// own append claims the intent; if the process dies in between, the next
// open of the vault appends the intent's record. Exercised with a real
// process killed with SIGKILL after its change committed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, sqlite } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';

const CHILD = join(import.meta.dirname, '../../dist/test/processes/die-after-commit.js');

let t: TestVault;
beforeEach(async () => {
  t = await makeVault();
});
afterEach(async () => t.close());

/** Runs one call in another process and kills it (SIGKILL) once its record is about to be written. */
async function dieAfterCommit(operation: string, input: object = {}): Promise<void> {
  const child = spawn(process.execPath, [CHILD, t.dir, operation, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes(`appending ${operation}`)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before appending: ${out}${err}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

const recordsOf = async (v: TestVault['vault'], name: string) => {
  const admin = await v.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' });
  const r = (await v.service.call(admin, 'LookupEvents', { EventName: name })) as { Events: { CloudTrailEvent: string }[] };
  return r.Events.map((e) => JSON.parse(e.CloudTrailEvent));
};
const intents = () => Number(sqlite(t, 'SELECT count(*) FROM audit_intents'));

describe('a change and its record cannot be separated', () => {
  it('a call that wrote leaves no intent behind once its record is written, and its record names the key it created', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    expect(intents()).toBe(0);
    const [e] = await recordsOf(t.vault, 'CreateKey');
    expect(e.resources).toEqual([expect.objectContaining({ ARN: KeyMetadata.Arn })]);
    expect(e.additionalEventData).toBeUndefined();
  });

  it('a process killed after its CreateKey committed: the next open records the key, marked as recovered, and the trail verifies', async () => {
    await dieAfterCommit('CreateKey', { Description: 'made by a process that died' });
    expect(intents()).toBe(1);
    const [key] = sqlite(t, "SELECT key_id FROM keys WHERE description = 'made by a process that died'").split('\n');
    expect(key).toMatch(/^[0-9a-f-]{36}$/);

    const v = await t.reopen(); // recovery runs on open
    expect(intents()).toBe(0);
    const records = (await recordsOf(v, 'CreateKey')).filter((e) => e.requestParameters?.Description === 'made by a process that died');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      eventName: 'CreateKey',
      sourceType: 'cli',
      userIdentity: { userName: 'admin' },
      responseElements: null,
      resources: [expect.objectContaining({ ARN: expect.stringMatching(new RegExp(`:key/${key}$`)) })],
      additionalEventData: { recovered: { reason: expect.stringMatching(/ended before writing its record/) } },
    });
    const verified = (await v.service.call(await v.service.signIn({ userName: 'admin', passphrase: 'correct horse battery staple', region: 'local-1', source: 'sdk' }), 'VerifyEvents', {})) as {
      Valid: boolean;
      Problems: unknown[];
    };
    expect(verified.Problems).toEqual([]);
    expect(verified.Valid).toBe(true);
  });

  it('a scheduled deletion and an alias made by processes that died are recorded too', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    await dieAfterCommit('CreateAlias', { AliasName: 'alias/orphan', TargetKeyId: KeyMetadata.KeyId });
    await dieAfterCommit('ScheduleKeyDeletion', { KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 });
    expect(intents()).toBe(2);
    const v = await t.reopen();
    expect(intents()).toBe(0);
    const [scheduled] = await recordsOf(v, 'ScheduleKeyDeletion');
    expect(scheduled).toMatchObject({ resources: [expect.objectContaining({ ARN: KeyMetadata.Arn })], additionalEventData: { recovered: expect.any(Object) } });
    const [alias] = await recordsOf(v, 'CreateAlias');
    expect(alias).toMatchObject({ requestParameters: { AliasName: 'alias/orphan', TargetKeyId: KeyMetadata.KeyId } });
  });

  it('a call that only read leaves no intent, even when its process dies', async () => {
    const { KeyMetadata } = await t.call('CreateKey', {});
    await dieAfterCommit('DescribeKey', { KeyId: KeyMetadata.KeyId });
    expect(intents()).toBe(0);
  });

  it('an intent whose writer is alive is left to it, and exactly one record is written whoever claims it first', async () => {
    await dieAfterCommit('CreateKey', { Description: 'once' });
    // pretend the writer is this (live) process: recovery leaves a fresh intent alone
    sqlite(t, `UPDATE audit_intents SET owner_pid = ${process.pid}`);
    const v = await t.reopen();
    expect(intents()).toBe(1);
    // …until it is older than any call takes (its pid may have been reused)
    sqlite(t, `UPDATE audit_intents SET created_at = created_at - ${10 * 60_000}`);
    await v.service.recoverAudit();
    expect(intents()).toBe(0);
    await v.service.recoverAudit();
    expect((await recordsOf(v, 'CreateKey')).filter((e) => e.requestParameters?.Description === 'once')).toHaveLength(1);
  });
});

describe('what Strongroom does on its own is recorded', () => {
  it('a scheduled deletion falling due is a DeleteKey service event naming the key; automatic rotation a RotateKey', async () => {
    const { KeyMetadata: doomed } = await t.call('CreateKey', {});
    const { KeyMetadata: rotating } = await t.call('CreateKey', {});
    await t.call('ScheduleKeyDeletion', { KeyId: doomed.KeyId, PendingWindowInDays: 7 });
    await t.call('EnableKeyRotation', { KeyId: rotating.KeyId, RotationPeriodInDays: 90 });
    t.clock.now += 91 * DAY;
    await t.vault.service.runDueWork();
    const [deleted] = await recordsOf(t.vault, 'DeleteKey');
    expect(deleted).toMatchObject({
      eventType: 'AwsServiceEvent',
      userIdentity: { type: 'AWSService', invokedBy: 'kms.strongroom.local' },
      resources: [expect.objectContaining({ ARN: doomed.Arn })],
      additionalEventData: { keyId: doomed.KeyId },
    });
    const [rotated] = await recordsOf(t.vault, 'RotateKey');
    expect(rotated).toMatchObject({ eventType: 'AwsServiceEvent', resources: [expect.objectContaining({ ARN: rotating.Arn })] });
    expect(intents()).toBe(0);
  });
});
