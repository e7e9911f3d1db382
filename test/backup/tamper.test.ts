// A backup that was changed, cut or extended, or opened with the wrong key,
// is refused with a named error before anything is written: the target
// directory is left as it was (absent, or holding what it held) and no
// keychain entry is added. Damage and tampering are InvalidCiphertextException
// (as for an encrypted file, docs/file-format.md), naming the first bad
// segment; a wrong recovery key is IncorrectKeyException, a wrong vault
// passphrase AccessDeniedException. A failure after the restore has
// written (custody set up, the vault opened) takes all of it back too.
// Real keychain: bash test/with-secret-service.sh npx vitest run test/backup
import { AsyncEntry } from '@napi-rs/keyring';
import { createHash, randomBytes } from 'node:crypto';
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
import { makeVault, TEST_ARGON2, VAULT_PASSPHRASE, type TestVault } from '../support/vault.js';
import { checkRestored, listing, populate, type Fixture } from './support.js';

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
const recoveryKey = randomBytes(32);

const keychainHolds = async (account: string) => (await new AsyncEntry('Strongroom', account).getSecret()) != null;

beforeAll(async () => {
  if (process.env.STRONGROOM_TEST_SECRET_SERVICE !== '1') {
    throw new Error('STRONGROOM_TEST_SECRET_SERVICE is not set: run these tests inside a private Secret Service with `bash test/with-secret-service.sh npx vitest run test/backup`.');
  }
  t = await makeVault();
  fixture = await populate(t.vault.service, t.admin);
  work = await mkdtemp(join(tmpdir(), 'strongroom-backup-tamper-'));
  await createBackup(t.vault, t.admin, { outPath: join(work, 'intact.srb'), recoveryKey, segmentSize: SEGMENT });
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
async function refusedRestore(bytes: Buffer, name: string, opts: Partial<RestoreBackupOptions> = { recoveryKey }): Promise<Error> {
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
  expect(await keychainHolds(`vault:${t.vault.vaultId}`)).toBe(false);
  expect(await keychainHolds(`vault:${t.vault.vaultId}:audit-anchors`)).toBe(false);
  return e;
}

const flip = (at: number, bit = 0x01) => {
  const b = Buffer.from(intact);
  b[at]! ^= bit;
  return b;
};
/** The header's JSON edited by `edit`, with the checksum made to match again (as a forger would): only the MAC can tell. */
function forged(edit: (json: Record<string, unknown>) => void): Buffer {
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
    const dir = join(work, 'intact');
    await restoreBackup({ inPath: join(work, 'intact.srb'), dir, recoveryKey, custody: { kind: 'passphrase', passphrase: 'restored passphrase' }, service });
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
      const custody = JSON.parse(intact.subarray(13, H - 64).toString('utf8')).custody;
      await sealBackup({ snapshotPath: payload, vaultId: t.vault.vaultId, createdAt: new Date(t.clock.now).toISOString(), schemaVersion: 7, custody, vmk, recoveryKey, segmentSize: SEGMENT }, output.sink);
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

describe('the wrong key', () => {
  it('a wrong recovery key is IncorrectKeyException', async () => {
    expect((await refusedRestore(intact, 'IncorrectKeyException', { recoveryKey: randomBytes(32) })).message).toMatch(/recovery key does not open this backup/);
  });

  it('a recovery key of the wrong length is refused before it is used', async () => {
    await refusedRestore(intact, 'ValidationException', { recoveryKey: randomBytes(16) });
  });

  it('without the recovery key: a wrong vault passphrase is AccessDeniedException, none at all says so', async () => {
    await refusedRestore(intact, 'AccessDeniedException', { vaultPassphrase: async () => 'not the vault passphrase' });
    expect((await refusedRestore(intact, 'KMSInvalidStateException', {})).message).toMatch(/none was provided/);
  });

  it('a recovery key for a backup made without a recovery slot is ValidationException', async () => {
    await createBackup(t.vault, t.admin, { outPath: join(work, 'no-slot.srb') });
    const noSlot = await readFile(join(work, 'no-slot.srb'));
    expect((await refusedRestore(noSlot, 'ValidationException')).message).toMatch(/without a recovery key slot/);
    // the vault passphrase opens it
    const dir = join(work, 'no-slot');
    const r = await restoreBackup({ inPath: join(work, 'no-slot.srb'), dir, vaultPassphrase: async () => VAULT_PASSPHRASE, custody: { kind: 'passphrase', passphrase: 'p'.repeat(12) }, service });
    expect(r.OpenedWith).toBe('VaultMasterKey');
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
        { snapshotPath: snapshot, vaultId: t.vault.vaultId, createdAt: new Date(t.clock.now).toISOString(), schemaVersion: facts.schemaVersion, custody: JSON.parse(facts.custody), vmk, recoveryKey },
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
    await refusedRestore(bytes, 'KMSInternalException', { recoveryKey, custody: { kind: 'passphrase', passphrase: 'never used for long' } });
  });
});
