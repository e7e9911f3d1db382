// A backup that was changed, cut or extended, or opened with the wrong key
// or shares, is refused with a named error before anything is written: the
// target directory is left as it was (absent, or holding what it held) and
// no keychain entry is added. Damage and tampering are
// InvalidCiphertextException (as for an encrypted file, docs/file-format.md),
// naming the first bad segment, or the bad share; too few shares, or shares
// for a backup of a vault that had no recovery split, ValidationException; a
// wrong vault passphrase AccessDeniedException. A failure after the restore
// has written (custody set up, the vault opened) takes all of it back too.
// Real keychain: bash test/with-secret-service.sh npx vitest run test/backup
import { AsyncEntry } from '@napi-rs/keyring';
import { createHash, randomBytes } from 'node:crypto';
import { recoverySlot } from '../../main/backup/key-slots.js';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import { restoreBackup, type RestoreBackupOptions } from '../../main/backup/restore.js';
import { sealBackup } from '../../main/backup/seal.js';
import { SegmentError } from '../../main/files/format.js';
import { checkPaths, openOutput } from '../../main/files/outputs.js';
import { snapshotDatabase } from '../../main/store/snapshot.js';
import { DB_FILE, dbFiles } from '../../main/vault/paths.js';
import { refused } from '../support/kms.js';
import { ADMIN_PASSPHRASE, makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';
import { checkRestored, listing, populate, splitFive, splitSsss, type Fixture } from './support.js';

const SEGMENT = 64 * 1024;
const SEALED = SEGMENT + 16;
const service = { argon2: TEST_ARGON2 };
let t: TestVault;
let fixture: Fixture;
let work: string;
let intact: Buffer;
/** where the segments start: the header's length */
let H: number;
let segments: number;
/** the five custodians' share records of the vault's 3-of-5 split */
let records: Buffer[];
let splitId: string;
/** alice's, bob's and carol's shares: a quorum */
const quorum = () => ({ records: records.slice(0, 3) });

const keychainHolds = async (account: string) => (await new AsyncEntry('Strongroom', account).getSecret()) != null;

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with `bash test/with-secret-service.sh npx vitest run test/backup`.');
  }
  t = await makeVault();
  fixture = await populate(t.vault.service, t.admin);
  work = await mkdtemp(join(tmpdir(), 'strongroom-backup-tamper-'));
  ({ splitId, records } = await splitFive(t.vault, join(work, 'shares')));
  await createBackup(t.vault, t.admin, { outPath: join(work, 'intact.srb'), segmentSize: SEGMENT });
  intact = await readFile(join(work, 'intact.srb'));
  H = 13 + intact.readUInt32BE(9) + 64;
  segments = Math.ceil((intact.length - H) / SEALED);
}, 120_000);

afterAll(async () => {
  for (const account of [`vault:${t.vault.vaultId}`, `vault:${t.vault.vaultId}:audit-anchors`]) await new AsyncEntry('Strongroom', account).deleteCredential().catch(() => undefined);
  await t.close();
  await rm(work, { recursive: true, force: true });
});

let n = 0;
/**
 * Restores `bytes` twice (into a directory that does not exist, and into one
 * holding a file of its own), expecting the refusal `name` both times, and
 * checks that neither directory changed and the keychain holds nothing of
 * the vault. Returns the first refusal.
 */
async function refusedRestore(bytes: Buffer, name: string, opts: Partial<RestoreBackupOptions> = { shares: quorum() }, vaultId = t.vault.vaultId): Promise<Error> {
  const i = n++;
  const file = join(work, `case-${i}.srb`);
  await writeFile(file, bytes);
  const fresh = join(work, `fresh-${i}`);
  const existing = join(work, `existing-${i}`);
  await mkdir(existing, { mode: 0o750 });
  await writeFile(join(existing, 'keep.txt'), 'mine');
  const before = await listing(existing);
  const e = await refused(restoreBackup({ inPath: file, dir: fresh, service, ...opts }), name);
  await refused(restoreBackup({ inPath: file, dir: existing, service, ...opts }), name);
  expect(await listing(fresh)).toBe('absent');
  expect(await listing(existing)).toBe(before);
  expect(await keychainHolds(`vault:${vaultId}`)).toBe(false);
  expect(await keychainHolds(`vault:${vaultId}:audit-anchors`)).toBe(false);
  return e;
}

const flip = (at: number, bit = 0x01) => {
  const b = Buffer.from(intact);
  b[at]! ^= bit;
  return b;
};
/** The header's JSON edited by `edit`, with the checksum made to match again (as a forger would): only the MAC can tell. */
function forged(edit: (json: Record<string, any>) => void): Buffer {
  const json = JSON.parse(intact.subarray(13, H - 64).toString('utf8'));
  edit(json);
  const text = Buffer.from(JSON.stringify(json));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(text.length);
  const body = Buffer.concat([intact.subarray(0, 9), length, text]);
  return Buffer.concat([body, createHash('sha256').update(body).digest(), intact.subarray(H - 32)]);
}

describe('the intact backup', () => {
  it('has several segments and restores (so each refusal below is the change’s doing)', async () => {
    expect(segments).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(intact.subarray(13, H - 64).toString('utf8')).keySlots.recovery.commitment.splitId).toBe(splitId);
    const dir = join(work, 'intact');
    const r = await restoreBackup({ inPath: join(work, 'intact.srb'), dir, shares: { records: [records[4]!, records[0]!, records[2]!] }, custody: { kind: 'passphrase', passphrase: 'restored passphrase' }, service });
    expect(r.OpenedWith).toBe('RecoveryShares');
    const { openVault } = await import('../../main/vault/vault.js');
    const v = await openVault(dir, { vaultPassphrase: async () => 'restored passphrase', service });
    try {
      await checkRestored(v.service, fixture, { sha256: createHash('sha256').update(intact).digest('hex'), vaultId: t.vault.vaultId, createdAt: new Date(t.clock.now).toISOString() });
    } finally {
      await v.close();
    }
  });
});

describe('a changed header', () => {
  it('a flipped bit in the signature, the version, the JSON, its checksum, or its MAC', async () => {
    expect((await refusedRestore(flip(0), 'InvalidCiphertextException')).message).toMatch(/not a Strongroom backup/);
    expect((await refusedRestore(flip(8), 'InvalidCiphertextException')).message).toMatch(/format version 0/);
    expect((await refusedRestore(flip(13 + 40, 0x04), 'InvalidCiphertextException')).message).toMatch(/header is damaged: its checksum does not match/);
    expect((await refusedRestore(flip(H - 64 + 5), 'InvalidCiphertextException')).message).toMatch(/header is damaged: its checksum does not match/);
    expect((await refusedRestore(flip(H - 1, 0x80), 'InvalidCiphertextException')).message).toMatch(/header failed authentication/);
  });

  it('a field changed by someone who fixes the checksum: the MAC refuses it', async () => {
    const later = forged((j) => (j.createdAt = '2030-01-01T00:00:00.000Z'));
    expect((await refusedRestore(later, 'InvalidCiphertextException')).message).toMatch(/header failed authentication/);
    const shorter = forged((j) => (j.databaseBytes = (j.databaseBytes as number) - SEGMENT));
    expect((await refusedRestore(shorter, 'InvalidCiphertextException')).message).toMatch(/header failed authentication/);
  });
});

describe('changed segments', () => {
  it('a flipped bit in a middle segment names it', async () => {
    const e = await refusedRestore(flip(H + SEALED + 100), 'InvalidCiphertextException');
    expect(e).toBeInstanceOf(SegmentError);
    expect((e as SegmentError).segment).toBe(1);
  });

  it('a flipped last byte names the last segment', async () => {
    const e = await refusedRestore(flip(intact.length - 1), 'InvalidCiphertextException');
    expect((e as SegmentError).segment).toBe(segments - 1);
    expect(e.message).toMatch(new RegExp(`Segment ${segments - 1} failed authentication`));
  });

  it('two segments swapped', async () => {
    const b = Buffer.from(intact);
    intact.copy(b, H, H + SEALED, H + 2 * SEALED);
    intact.copy(b, H + SEALED, H, H + SEALED);
    expect(((await refusedRestore(b, 'InvalidCiphertextException')) as SegmentError).segment).toBe(0);
  });
});

describe('a cut or extended backup', () => {
  it('cut inside the header, at the segments’ start, at a segment boundary, inside a segment, one byte short', async () => {
    expect((await refusedRestore(intact.subarray(0, 0), 'InvalidCiphertextException')).message).toMatch(/not a Strongroom backup/);
    expect((await refusedRestore(intact.subarray(0, 5), 'InvalidCiphertextException')).message).toMatch(/ends inside its header/);
    expect((await refusedRestore(intact.subarray(0, 100), 'InvalidCiphertextException')).message).toMatch(/ends inside its header/);
    expect((await refusedRestore(intact.subarray(0, H), 'InvalidCiphertextException')).message).toMatch(/Segment 0 is missing/);
    const boundary = await refusedRestore(intact.subarray(0, H + SEALED), 'InvalidCiphertextException');
    expect(boundary.message).toMatch(/ends after segment 0, which is not its final segment/);
    expect((boundary as SegmentError).segment).toBe(1);
    expect(((await refusedRestore(intact.subarray(0, H + SEALED + 1000), 'InvalidCiphertextException')) as SegmentError).segment).toBe(1);
    expect(((await refusedRestore(intact.subarray(0, intact.length - 1), 'InvalidCiphertextException')) as SegmentError).segment).toBe(segments - 1);
  });

  it('bytes appended after the final segment', async () => {
    expect(((await refusedRestore(Buffer.concat([intact, Buffer.of(0)]), 'InvalidCiphertextException')) as SegmentError).segment).toBe(segments - 1);
    const last = intact.subarray(H + (segments - 1) * SEALED);
    expect(await refusedRestore(Buffer.concat([intact, last]), 'InvalidCiphertextException')).toBeInstanceOf(SegmentError);
  });

  it('a whole segment appended after a full final segment: the final flag says where the backup ended', async () => {
    // a payload of exactly two segments, so the final segment is full-length
    const payload = join(work, 'two-segments.bin');
    await writeFile(payload, randomBytes(2 * SEGMENT));
    const out = join(work, 'two-segments.srb');
    const output = await openOutput({ path: out }, await checkPaths(undefined, out));
    const vmk = t.vault.masterKey.export();
    try {
      const { custody, keySlots } = JSON.parse(intact.subarray(13, H - 64).toString('utf8'));
      await sealBackup({ snapshotPath: payload, vaultId: t.vault.vaultId, createdAt: new Date(t.clock.now).toISOString(), schemaVersion: 7, custody, vmk, recovery: keySlots.recovery, segmentSize: SEGMENT }, output.sink);
      await output.sink.flush();
      await output.commit();
    } finally {
      vmk.fill(0);
      await output.discard();
    }
    const two = await readFile(out);
    const h = 13 + two.readUInt32BE(9) + 64;
    expect(two.length).toBe(h + 2 * SEALED);
    const e = await refusedRestore(Buffer.concat([two, two.subarray(h, h + SEALED)]), 'InvalidCiphertextException');
    expect(e.message).toMatch(/Segment 1 is the backup's final segment, but more data follows it/);
    expect((e as SegmentError).segment).toBe(2);
    // and cut after its first segment: that one is not final
    expect((await refusedRestore(two.subarray(0, h + SEALED), 'InvalidCiphertextException')).message).toMatch(/ends after segment 0, which is not its final segment/);
  });
});

describe('a changed recovery record', () => {
  it('its sealed master key changed: the shares make a key that does not open it', async () => {
    const b = forged((j) => {
      const w = Buffer.from(j.keySlots.recovery.wrappedVmk, 'base64');
      w[20]! ^= 1;
      j.keySlots.recovery.wrappedVmk = w.toString('base64');
    });
    expect((await refusedRestore(b, 'InvalidCiphertextException')).message).toMatch(/does not open this vault's master key: the backup's recovery record was changed after the backup was made/);
  });

  it('a custodian renamed: the shares open it, and the header MAC refuses it; the master key refuses it too', async () => {
    const b = forged((j) => (j.keySlots.recovery.custodians[0] = 'mallory'));
    expect((await refusedRestore(b, 'InvalidCiphertextException')).message).toMatch(/header failed authentication/);
    expect((await refusedRestore(b, 'InvalidCiphertextException', { vaultPassphrase: async () => VAULT_PASSPHRASE })).message).toMatch(/header failed authentication/);
  });

  it("a share's digest replaced by another's: that share is named", async () => {
    const b = forged((j) => (j.keySlots.recovery.commitment.shareDigests[1] = j.keySlots.recovery.commitment.shareDigests[3]));
    expect((await refusedRestore(b, 'InvalidCiphertextException')).message).toMatch(/^The 2nd share given claims to be share 2 but is not the share 2 this vault handed out/);
  });

  it('malformed (a threshold of 1, another vault named, a member added), or changed without its checksum: a damaged header', async () => {
    for (const edit of [
      (j: Record<string, any>) => (j.keySlots.recovery.commitment.threshold = 1),
      (j: Record<string, any>) => (j.keySlots.recovery.commitment.vaultId = '00000000-0000-4000-8000-000000000000'),
      (j: Record<string, any>) => (j.keySlots.recovery.note = 'x'),
      (j: Record<string, any>) => (j.keySlots.recovery = null),
    ]) {
      expect((await refusedRestore(forged(edit), 'InvalidCiphertextException')).message).toMatch(/header is damaged: its recovery record is malformed/);
    }
    const at = intact.indexOf(Buffer.from('"custodians":["alice"')) + 16;
    expect((await refusedRestore(flip(at, 0x02), 'InvalidCiphertextException')).message).toMatch(/header is damaged: its checksum does not match/);
  });

  it('removed: shares are refused, and the master key finds the header changed', async () => {
    const b = forged((j) => delete j.keySlots.recovery);
    expect((await refusedRestore(b, 'ValidationException')).message).toMatch(/made while the vault had no recovery split/);
    expect((await refusedRestore(b, 'InvalidCiphertextException', { vaultPassphrase: async () => VAULT_PASSPHRASE })).message).toMatch(/header failed authentication/);
  });
});

describe('the wrong shares or key', () => {
  it('two of the three shares needed: ValidationException, naming them', async () => {
    const e = await refusedRestore(intact, 'ValidationException', { shares: { records: [records[3]!, records[0]!] } });
    expect(e.message).toBe('2 of the 3 shares needed were given (shares 1 and 4); 1 more is needed.');
  });

  it('a share with one changed byte is named by its place; the same share twice counts once', async () => {
    const damaged = Buffer.from(records[1]!);
    damaged[40]! ^= 0x01;
    const e = await refusedRestore(intact, 'InvalidCiphertextException', { shares: { records: [records[0]!, damaged, records[2]!] } });
    expect(e.message).toBe('The 2nd share given does not match its checksum: it was mistyped or damaged.');
    const twice = await refusedRestore(intact, 'ValidationException', { shares: { records: [records[0]!, records[1]!, records[0]!] } });
    expect(twice.message).toMatch(/^Share 1 was given twice/);
  });

  it('ssss lines for a Strongroom split: ValidationException', async () => {
    await refusedRestore(intact, 'ValidationException', { shares: { ssssLines: ['1-00', '2-00', '3-00'] } });
  });

  it('without shares: a wrong vault passphrase is AccessDeniedException, none at all says so', async () => {
    await refusedRestore(intact, 'AccessDeniedException', { vaultPassphrase: async () => 'not the vault passphrase' });
    expect((await refusedRestore(intact, 'KMSInvalidStateException', {})).message).toMatch(/none was provided/);
  });
});

describe('another vault, earlier splits, the ssss form', () => {
  // a second vault, backed up with no split, then after each of three splits
  let other: TestVault;
  const backups: Record<'none' | 'first' | 'second' | 'ssss', Buffer> = {} as never;
  let first: Buffer[];
  let second: Buffer[];
  let ssss: { splitId: string; lines: string[] };
  beforeAll(async () => {
    other = await makeVault();
    await other.call('CreateKey', { Description: 'in the other vault' });
    const backup = async (name: keyof typeof backups) => {
      await createBackup(other.vault, other.admin, { outPath: join(work, `other-${name}.srb`) });
      backups[name] = await readFile(join(work, `other-${name}.srb`));
    };
    await backup('none');
    first = (await splitFive(other.vault, join(work, 'other-first'))).records;
    await backup('first');
    second = (await splitFive(other.vault, join(work, 'other-second'))).records;
    await backup('second');
    ssss = await splitSsss(other.vault, join(work, 'other-ssss'));
    await backup('ssss');
  }, 120_000);
  afterAll(async () => {
    for (const account of [`vault:${other.vault.vaultId}`, `vault:${other.vault.vaultId}:audit-anchors`]) await new AsyncEntry('Strongroom', account).deleteCredential().catch(() => undefined);
    await other.close();
  });
  const refusedOther = (bytes: Buffer, name: string, opts: Partial<RestoreBackupOptions>) => refusedRestore(bytes, name, opts, other.vault.vaultId);

  it("another vault's shares are refused, naming the vault", async () => {
    const e = await refusedRestore(intact, 'InvalidCiphertextException', { shares: { records: [first[0]!, records[1]!, records[2]!] } });
    expect(e.message).toBe(`The 1st share given is share 1 for vault ${other.vault.vaultId}, not for this vault (${t.vault.vaultId}).`);
  });

  it('a backup of a vault that had no recovery split: shares are refused (ValidationException), the master key opens it', async () => {
    expect(JSON.parse(backups.none.subarray(13, 13 + backups.none.readUInt32BE(9)).toString()).keySlots).toEqual({ vmk: expect.any(String) });
    const e = await refusedOther(backups.none, 'ValidationException', { shares: { records: first.slice(0, 3) } });
    expect(e.message).toMatch(new RegExp(`^This backup of vault ${other.vault.vaultId} was made while the vault had no recovery split: no custodian's shares open it`));
    const r = await restoreBackup({ inPath: join(work, 'other-none.srb'), dir: join(work, 'other-none'), vaultPassphrase: async () => VAULT_PASSPHRASE, custody: { kind: 'passphrase', passphrase: 'p'.repeat(12) }, service });
    expect(r.OpenedWith).toBe('VaultMasterKey');
  });

  it('a backup opens with the shares of the split in force when it was made: a later split’s are refused, and an earlier one’s', async () => {
    const later = await refusedOther(backups.first, 'InvalidCiphertextException', { shares: { records: second.slice(0, 3) } });
    expect(later.message).toMatch(/^The 1st share given is share 1 of another recovery split of this vault \(split [0-9a-f]{8}\): this backup opens with the shares of split [0-9a-f]{8}, the split in force when it was made\.$/);
    const earlier = await refusedOther(backups.second, 'InvalidCiphertextException', { shares: { records: [second[0]!, first[1]!, second[2]!] } });
    expect(earlier.message).toMatch(/^The 2nd share given is share 2 of another recovery split of this vault/);
    // the re-split did not revoke the first split's shares for the backup made before it
    const dir = join(work, 'other-first');
    const r = await restoreBackup({ inPath: join(work, 'other-first.srb'), dir: join(dir, 'restored'), shares: { records: first.slice(2) }, custody: { kind: 'passphrase', passphrase: 'p'.repeat(12) }, service });
    expect(r.OpenedWith).toBe('RecoveryShares');
  });

  it('an ssss split opens its backup with ssss lines; one line, or share records, are refused', async () => {
    expect((await refusedOther(backups.ssss, 'ValidationException', { shares: { ssssLines: [ssss.lines[1]!] } })).message).toBe('1 of the 2 shares needed was given; 1 more is needed.');
    expect((await refusedOther(backups.ssss, 'ValidationException', { shares: { records: second.slice(0, 3) } })).message).toMatch(/shares are ssss lines; give those/);
    const l = ssss.lines[2]!;
    const typo = `${l.slice(0, -1)}${l.endsWith('0') ? '1' : '0'}`;
    expect((await refusedOther(backups.ssss, 'InvalidCiphertextException', { shares: { ssssLines: [ssss.lines[0]!, typo] } })).message).toMatch(/^The 2nd share given is not the share 3 this vault handed out/);
    const dir = join(work, 'other-ssss-restored');
    const r = await restoreBackup({ inPath: join(work, 'other-ssss.srb'), dir, shares: { ssssLines: [ssss.lines[2]!, ssss.lines[0]!] }, custody: { kind: 'passphrase', passphrase: 'p'.repeat(12) }, service });
    expect(r).toMatchObject({ VaultId: other.vault.vaultId, OpenedWith: 'RecoveryShares' });
    const { openVault } = await import('../../main/vault/vault.js');
    const v = await openVault(dir, { vaultPassphrase: async () => 'p'.repeat(12), service });
    try {
      const admin = await v.service.signIn({ userName: 'admin', passphrase: ADMIN_PASSPHRASE, region: 'local-1', source: 'sdk' });
      expect((await v.service.call(admin, 'ListKeys', {})).Keys).toHaveLength(1);
    } finally {
      await v.close();
    }
  });

  it("a backup whose header carries a recovery record other than its database's (sealed by someone with the master key) is refused once opened", async () => {
    // the vault's database now holds the ssss split's record; the header is given the first split's
    const snapshot = join(work, 'other-now.db');
    const facts = await snapshotDatabase(join(other.dir, DB_FILE), snapshot);
    const header = (b: Buffer) => JSON.parse(b.subarray(13, 13 + b.readUInt32BE(9)).toString('utf8'));
    const out = join(work, 'other-mismatch.srb');
    const output = await openOutput({ path: out }, await checkPaths(undefined, out));
    const vmk = other.vault.masterKey.export();
    try {
      const recovery = header(backups.first).keySlots.recovery;
      await sealBackup({ snapshotPath: snapshot, vaultId: other.vault.vaultId, createdAt: new Date(other.clock.now).toISOString(), schemaVersion: facts.schemaVersion, custody: JSON.parse(facts.custody), vmk, recovery }, output.sink);
      await output.sink.flush();
      await output.commit();
    } finally {
      vmk.fill(0);
      await output.discard();
      await Promise.all(dbFiles(snapshot).map((f) => rm(f, { force: true })));
    }
    const e = await refusedOther(await readFile(out), 'InvalidCiphertextException', { shares: { records: first.slice(0, 3) } });
    expect(e.message).toMatch(/recovery record in the backup's header is not the one its database holds/);
  });

  it('a vault whose recovery record was changed in its file makes no backup (KMSInvalidStateException)', async () => {
    const db = join(other.dir, DB_FILE);
    const before = execFileSync('sqlite3', [db, "SELECT value FROM vault_meta WHERE name = 'recovery'"], { encoding: 'utf8' }).trim();
    try {
      execFileSync('sqlite3', [db, `UPDATE vault_meta SET value = '${before.replace('"ann"', '"mallory"')}' WHERE name = 'recovery'`]);
      const out = join(work, 'other-edited.srb');
      expect((await refused(createBackup(other.vault, other.admin, { outPath: out }), 'KMSInvalidStateException')).message).toMatch(/recovery record fails its integrity check/);
      execFileSync('sqlite3', [db, `UPDATE vault_meta SET value = '{"version":1}' WHERE name = 'recovery'`]);
      expect((await refused(createBackup(other.vault, other.admin, { outPath: out }), 'KMSInvalidStateException')).message).toMatch(/recovery record is damaged/);
      await expect(readFile(out)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      execFileSync('sqlite3', [db, `UPDATE vault_meta SET value = '${before}' WHERE name = 'recovery'`]);
    }
  });
});

describe('a failure after the restore has written', () => {
  /** A backup sealed (with the vault's own keys) over a snapshot whose first audit record was edited: it opens, and its trail does not verify. */
  async function backupWithEditedTrail(): Promise<Buffer> {
    const snapshot = join(work, 'edited.db');
    const facts = await snapshotDatabase(join(t.dir, DB_FILE), snapshot);
    execFileSync('sqlite3', [
      snapshot,
      `DROP TRIGGER audit_events_append_only_update; UPDATE audit_events SET event_json = replace(event_json, '"local-1"', '"local-2"') WHERE seq = 1 AND account = '${fixture.operator}';`,
    ]);
    const out = join(work, 'edited.srb');
    const output = await openOutput({ path: out }, await checkPaths(undefined, out));
    const vmk = t.vault.masterKey.export();
    try {
      await sealBackup(
        {
          snapshotPath: snapshot,
          vaultId: t.vault.vaultId,
          createdAt: new Date(t.clock.now).toISOString(),
          schemaVersion: facts.schemaVersion,
          custody: JSON.parse(facts.custody),
          vmk,
          recovery: recoverySlot(facts.recovery!, vmk, t.vault.vaultId),
        },
        output.sink,
      );
      await output.sink.flush();
      await output.commit();
    } finally {
      vmk.fill(0);
      await output.discard();
      await Promise.all(dbFiles(snapshot).map((f) => rm(f, { force: true })));
    }
    return readFile(out);
  }

  it('takes back the database, the keychain entries, the anchors and the directory it made', async () => {
    const bytes = await backupWithEditedTrail();
    // keychain custody: the master key and the anchors went into the keychain before the trail failed to verify
    const e = await refusedRestore(bytes, 'KMSInternalException');
    expect(e.message).toMatch(/restored audit trail of account \d{12} does not verify/);
    // passphrase custody: the anchors file was written in the directory
    await refusedRestore(bytes, 'KMSInternalException', { shares: quorum(), custody: { kind: 'passphrase', passphrase: 'never used for long' } });
  });
});
