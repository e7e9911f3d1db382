// The snapshot is one consistent state of the vault while writes go on: keys
// are created, from this connection and from a second one (as another
// process would), before, during and after the backup. The restored vault
// is a state some commit left: SQLite's checks pass (restore runs them),
// every key it holds works (its row, its MAC and its material came from the
// same commit), every key has its CreateKey record (its own, or the intent
// its transaction left, recovered), and the trail verifies.
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import { restoreBackup } from '../../main/backup/restore.js';
import type { Service } from '../../main/core/service/service.js';
import type { Caller } from '../../main/core/service/caller.js';
import { openVault } from '../../main/vault/vault.js';
import { DB_FILE } from '../../main/vault/paths.js';
import { canonicalJson } from '../../main/core/audit/chain.js';
import { buildEvent } from '../../main/core/audit/event.js';
import { vaultSubkey } from '../../main/core/crypto/subkeys.js';
import { RowMac } from '../../main/core/integrity/row-mac.js';
import { sqlite } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';

const service = { argon2: TEST_ARGON2 };
let t: TestVault;
let work: string;
beforeAll(async () => {
  t = await makeVault();
  work = await mkdtemp(join(tmpdir(), 'strongroom-backup-consistency-'));
});
afterAll(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

const listKeys = async (s: Service, c: Caller) => new Set((await s.call(c, 'ListKeys', { Limit: 1000 })).Keys.map((k) => k.KeyId));

it('keys created during the backup: the restored vault is one consistent state', async () => {
  for (let i = 0; i < 20; i++) await t.call('CreateKey', { Description: `before ${i}` });
  const other = await t.reopen();
  const otherAdmin = await other.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });

  let stop = false;
  const writer = async (s: Service, c: Caller, name: string) => {
    let made = 0;
    while (!stop) {
      const { KeyMetadata } = await s.call(c, 'CreateKey', { Description: `${name} ${made++}` });
      await s.call(c, 'Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x') });
    }
    return made;
  };
  const writers = [writer(t.vault.service, t.admin, 'here'), writer(t.vault.service, t.admin, 'here too'), writer(other.service, otherAdmin, 'there')];
  // let the writers get going, then back up while they go on
  await new Promise((r) => setTimeout(r, 150));
  const atStart = (await listKeys(t.vault.service, t.admin)).size;
  const backup = await createBackup(t.vault, t.admin, { outPath: join(work, 'busy.srb') });
  const atEnd = (await listKeys(t.vault.service, t.admin)).size;
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await Promise.all(writers);
  const final = await listKeys(t.vault.service, t.admin);
  expect(atEnd, 'keys were created while the backup ran').toBeGreaterThan(atStart);
  expect(final.size).toBeGreaterThan(atEnd);

  const dir = join(work, 'restored');
  await restoreBackup({ inPath: join(work, 'busy.srb'), dir, vaultPassphrase: async () => VAULT_PASSPHRASE, custody: { kind: 'passphrase', passphrase: 'restored vault passphrase' }, service });
  const v = await openVault(dir, { vaultPassphrase: async () => 'restored vault passphrase', service });
  try {
    const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    const restored = await listKeys(v.service, admin);
    // a state between the backup's start and its end, and nothing the source never had
    expect(restored.size).toBeGreaterThanOrEqual(atStart);
    expect(restored.size).toBeLessThanOrEqual(atEnd);
    for (const id of restored) expect(final.has(id)).toBe(true);
    const created = new Set<string>();
    for (let token: string | undefined; ; ) {
      const page = await v.service.call(admin, 'LookupEvents', { EventName: 'CreateKey', MaxResults: 1000, ...(token ? { NextToken: token } : {}) });
      for (const e of page.Events) for (const r of e.Resources) created.add(r.ResourceName.slice(r.ResourceName.lastIndexOf('/') + 1));
      token = page.NextToken;
      if (!token) break;
    }
    for (const id of restored) {
      const { CiphertextBlob } = await v.service.call(admin, 'Encrypt', { KeyId: id, Plaintext: Buffer.from(id) });
      expect(Buffer.from((await v.service.call(admin, 'Decrypt', { CiphertextBlob })).Plaintext!).toString()).toBe(id);
      expect(created.has(id), `key ${id} has its CreateKey record`).toBe(true);
    }
    const verified = await v.service.call(admin, 'VerifyEvents', {});
    expect(verified.Problems).toEqual([]);
    expect(backup.Bytes).toBeGreaterThan(0);
  } finally {
    await v.close();
  }
});

it('a change the snapshot caught between its commit and its record (its writer alive, on the source) is recorded before the restore', async () => {
  // the intent a call in flight leaves (core/service/call-record.ts), by a live process: the source's own recovery leaves it alone
  const requestId = randomUUID();
  const eventJson = canonicalJson(
    buildEvent({ time: t.clock.now, operation: 'CreateKey', action: 'kms:CreateKey', region: 'local-1', account: t.admin.account, caller: t.admin, source: 'cli', input: { Description: 'caught in flight' }, requestId }),
  );
  const vmk = t.vault.masterKey.export();
  const mac = new RowMac(vaultSubkey(vmk, t.vault.vaultId, 'row-mac')).intent(requestId, t.admin.account, eventJson);
  vmk.fill(0);
  sqlite(t, `INSERT INTO audit_intents (request_id, account, owner_pid, created_at, event_json, mac) VALUES ('${requestId}', '${t.admin.account}', ${process.pid}, ${Date.now()}, '${eventJson.replaceAll("'", "''")}', X'${mac.toString('hex')}')`);
  await t.vault.service.recoverAudit();
  expect(sqlite(t, 'SELECT count(*) FROM audit_intents')).toBe('1');

  await createBackup(t.vault, t.admin, { outPath: join(work, 'in-flight.srb') });
  const dir = join(work, 'in-flight');
  await restoreBackup({ inPath: join(work, 'in-flight.srb'), dir, vaultPassphrase: async () => VAULT_PASSPHRASE, custody: { kind: 'passphrase', passphrase: 'restored vault passphrase' }, service });
  const v = await openVault(dir, { vaultPassphrase: async () => 'restored vault passphrase', service });
  try {
    const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
    const { Events } = await v.service.call(admin, 'LookupEvents', { MaxResults: 1000 }); // newest first
    const names = Events.map((e) => e.EventName);
    const recovered = Events.findIndex((e) => JSON.parse(e.CloudTrailEvent).requestID === requestId);
    expect(recovered).toBeGreaterThan(names.indexOf('RestoreBackup'));
    expect(JSON.parse(Events[recovered]!.CloudTrailEvent)).toMatchObject({
      requestParameters: { Description: 'caught in flight' },
      additionalEventData: { recovered: { reason: expect.stringMatching(/backup this vault was restored from was taken after this change was committed/) } },
    });
    expect(Number(execFileSync('sqlite3', [join(dir, DB_FILE), 'SELECT count(*) FROM audit_intents'], { encoding: 'utf8' }))).toBe(0);
  } finally {
    await v.close();
  }
});
