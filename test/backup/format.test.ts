// The backup format as docs/backup-format.md describes it: its test vector
// is what this implementation makes and reads, and a reader written from the
// document alone (node:crypto, no Strongroom module) opens a real backup of
// a real vault, with the recovery key or with the vault master key, into a
// database the sqlite3 shell reads.
import { createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import { encodeHeader, MAGIC } from '../../main/backup/header.js';
import { deriveBackupKeys, LABELS } from '../../main/backup/keys.js';
import { RECOVERY_SLOT_LENGTH, sealRecoverySlot, sealVmkSlot, VMK_SLOT_LENGTH } from '../../main/backup/key-slots.js';
import { readBackupHeader, readSegments, unlockBackup } from '../../main/backup/unseal.js';
import { encrypt } from '../../main/core/crypto/aes-gcm.js';
import { stream } from '../../main/files/format.js';
import { makeVault, type TestVault } from '../support/vault.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/backup-format.md', import.meta.url)), 'utf8');
const hexAfter = (label: string) => new RegExp(`\\n${label}\\s+([0-9a-f]{64})`).exec(doc)?.[1] ?? '';
const seq = (start: number, n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (start + i) & 0xff));
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

describe('the test vector in docs/backup-format.md', () => {
  const vaultId = '11111111-2222-4333-8444-555555555555';
  const vmk = seq(0x80, 32);
  const recoveryKey = seq(0xa0, 32);
  const dataKey = seq(0x00, 32);
  const salt = seq(0x20, 32);
  const prefix = seq(0x40, 7);
  const database = Buffer.from('Hello, Strongroom backup!\n');
  const custody = { kind: 'keychain', version: 1, service: 'Strongroom', account: `vault:${vaultId}`, kcv: seq(0xc0, 64).toString('base64') } as const;
  const json = /one line:\n\n```json\n(.+)\n```/.exec(doc)?.[1] ?? '';
  const segmentHex = /final, segment \(26 \+ 16 bytes\):\n\n```\n([0-9a-f]+)\n```/.exec(doc)?.[1] ?? '';
  const vaultSalt = Buffer.from(`strongroom/vault/${vaultId}`);
  const kek = (ikm: Buffer, info: string) => Buffer.from(hkdfSync('sha256', ikm, vaultSalt, info, 32));
  const aad = (kind: string) => Buffer.from(`strongroom-backup/v1\0key-slot\0${kind}\0${vaultId}`);
  const backup = () =>
    Buffer.concat([MAGIC, Buffer.of(1), u32(Buffer.byteLength(json)), Buffer.from(json), Buffer.from(hexAfter('checksum'), 'hex'), Buffer.from(hexAfter('header MAC'), 'hex'), Buffer.from(segmentHex, 'hex')]);

  it('is what this implementation makes', () => {
    expect(kek(vmk, 'strongroom/backup/v1').toString('hex')).toBe(hexAfter('KEK_vmk'));
    expect(kek(recoveryKey, 'strongroom/backup-recovery-slot/v1').toString('hex')).toBe(hexAfter('KEK_recovery'));
    const keys = deriveBackupKeys(dataKey, salt);
    expect(keys.commitment.toString('hex')).toBe(hexAfter('commitment'));
    const vmkSlot = Buffer.concat([seq(0x50, 12), encrypt(kek(vmk, 'strongroom/backup/v1'), seq(0x50, 12), dataKey, aad('vmk'))]);
    const recoverySlot = Buffer.concat([seq(0x60, 12), encrypt(kek(recoveryKey, 'strongroom/backup-recovery-slot/v1'), seq(0x60, 12), Buffer.concat([dataKey, vmk]), aad('recovery'))]);
    expect([vmkSlot.length, recoverySlot.length]).toEqual([VMK_SLOT_LENGTH, RECOVERY_SLOT_LENGTH]);
    const header = encodeHeader(
      { vaultId, createdAt: '2026-11-28T12:00:00.000Z', schemaVersion: 7, databaseBytes: database.length, segmentSize: 65536, salt, noncePrefix: prefix, commitment: keys.commitment, custody, keySlots: { vmk: vmkSlot, recovery: recoverySlot } },
      keys,
    );
    expect(header.bytes.subarray(13, header.bytes.length - 64).toString()).toBe(json);
    expect(header.bytes.length).toBe(823);
    expect(header.mac.toString('hex')).toBe(hexAfter('header MAC'));
    const file = Buffer.concat([header.bytes, ...stream(keys.segmentKey, prefix, header.mac).seal(0, true, database)]);
    expect(file.equals(backup())).toBe(true);
    // the slots the implementation seals (random nonces) open as the document says
    expect(sealVmkSlot(vmk, vaultId, dataKey).length).toBe(VMK_SLOT_LENGTH);
    expect(sealRecoverySlot(recoveryKey, vaultId, dataKey, vmk).length).toBe(RECOVERY_SLOT_LENGTH);
  });

  it('opens with this implementation’s reader, with the recovery key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-backup-vector-'));
    try {
      await writeFile(join(dir, 'vector.srb'), backup());
      const fh = await open(join(dir, 'vector.srb'));
      try {
        const header = await readBackupHeader(fh, 'vector.srb');
        const unlocked = await unlockBackup(header, { recoveryKey });
        expect(unlocked.vmk.equals(vmk)).toBe(true);
        const got: Buffer[] = [];
        const r = await readSegments(fh, 'vector.srb', header, unlocked.keys, async (pieces) => void got.push(...pieces));
        expect(Buffer.concat(got).equals(database)).toBe(true);
        expect(r).toEqual({ sha256: createHash('sha256').update(backup()).digest('hex'), bytes: backup().length, segments: 1 });
      } finally {
        await fh.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a reader written from the document', () => {
  let t: TestVault;
  let work: string;
  let file: Buffer;
  const recoveryKey = randomBytes(32);
  beforeAll(async () => {
    t = await makeVault();
    for (let i = 0; i < 30; i++) await t.call('CreateKey', { Description: `key ${i}` });
    work = await mkdtemp(join(tmpdir(), 'strongroom-backup-reader-'));
    await createBackup(t.vault, t.admin, { outPath: join(work, 'b.srb'), recoveryKey, segmentSize: 65536 });
    file = await readFile(join(work, 'b.srb'));
  });
  afterAll(async () => {
    await t.close();
    await rm(work, { recursive: true, force: true });
  });

  /** Opens the backup by the document: returns the database. */
  function openByTheDocument(dataKeyFrom: (slots: { vmk: Buffer; recovery?: Buffer }, vaultId: string) => Buffer): Buffer {
    expect(file.subarray(0, 8).equals(Buffer.from([0x89, 0x53, 0x52, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(file[8]).toBe(1);
    const J = file.readUInt32BE(9);
    const H = 77 + J;
    expect(createHash('sha256').update(file.subarray(0, 13 + J)).digest().equals(file.subarray(13 + J, 45 + J))).toBe(true);
    const h = JSON.parse(file.subarray(13, 13 + J).toString('utf8'));
    expect(Object.keys(h)).toEqual(['vaultId', 'createdAt', 'schemaVersion', 'databaseBytes', 'segmentSize', 'salt', 'noncePrefix', 'commitment', 'custody', 'keySlots']);
    const slots = { vmk: Buffer.from(h.keySlots.vmk, 'base64'), recovery: h.keySlots.recovery ? Buffer.from(h.keySlots.recovery, 'base64') : undefined };
    const dataKey = dataKeyFrom(slots, h.vaultId);
    const salt = Buffer.from(h.salt, 'base64');
    const hkdf = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, salt, info, 32));
    expect(LABELS).toEqual({ segment: 'strongroom-backup v1 segment key', mac: 'strongroom-backup v1 header mac key', commitment: 'strongroom-backup v1 key commitment' });
    expect(timingSafeEqual(hkdf('strongroom-backup v1 key commitment'), Buffer.from(h.commitment, 'base64'))).toBe(true);
    const mac = createHmac('sha256', hkdf('strongroom-backup v1 header mac key')).update(file.subarray(0, 45 + J)).digest();
    expect(mac.equals(file.subarray(45 + J, H))).toBe(true);
    const segKey = hkdf('strongroom-backup v1 segment key');
    const S = h.segmentSize;
    const n = Math.ceil((file.length - H) / (S + 16));
    const out: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const seg = file.subarray(H + i * (S + 16), Math.min(file.length, H + (i + 1) * (S + 16)));
      const d = createDecipheriv('aes-256-gcm', segKey, Buffer.concat([Buffer.from(h.noncePrefix, 'base64'), u32(i), Buffer.of(i === n - 1 ? 1 : 0)]));
      d.setAAD(mac);
      d.setAuthTag(seg.subarray(seg.length - 16));
      out.push(d.update(seg.subarray(0, seg.length - 16)), d.final());
    }
    expect(n).toBeGreaterThan(1);
    const db = Buffer.concat(out);
    expect(db.length).toBe(h.databaseBytes);
    return db;
  }

  const openSlot = (kek: Buffer, slot: Buffer, kind: string, vaultId: string) => {
    const d = createDecipheriv('aes-256-gcm', kek, slot.subarray(0, 12));
    d.setAAD(Buffer.from(`strongroom-backup/v1\0key-slot\0${kind}\0${vaultId}`));
    d.setAuthTag(slot.subarray(slot.length - 16));
    return Buffer.concat([d.update(slot.subarray(12, slot.length - 16)), d.final()]);
  };
  const vaultSalt = (vaultId: string) => Buffer.from(`strongroom/vault/${vaultId}`);

  it('with the recovery key: the database, which the sqlite3 shell reads', async () => {
    let vmk: Buffer | undefined;
    const db = openByTheDocument((slots, vaultId) => {
      const payload = openSlot(Buffer.from(hkdfSync('sha256', recoveryKey, vaultSalt(vaultId), 'strongroom/backup-recovery-slot/v1', 32)), slots.recovery!, 'recovery', vaultId);
      vmk = payload.subarray(32);
      return payload.subarray(0, 32);
    });
    expect(vmk!.equals(t.vault.masterKey.export())).toBe(true);
    expect(db.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    await writeFile(join(work, 'db.sqlite'), db);
    const sql = (q: string) => execFileSync('sqlite3', [join(work, 'db.sqlite'), q], { encoding: 'utf8' }).trim();
    expect(sql('PRAGMA integrity_check')).toBe('ok');
    expect(sql('PRAGMA journal_mode')).toBe('delete');
    expect(sql("SELECT value FROM vault_meta WHERE name = 'vault_id'")).toBe(t.vault.vaultId);
    expect(Number(sql('SELECT count(*) FROM keys'))).toBe(30);
  });

  it('with the vault master key: the same database', () => {
    const vmk = t.vault.masterKey.export();
    const a = openByTheDocument((slots, vaultId) => openSlot(Buffer.from(hkdfSync('sha256', vmk, vaultSalt(vaultId), 'strongroom/backup/v1', 32)), slots.vmk, 'vmk', vaultId));
    const b = openByTheDocument((slots, vaultId) => openSlot(Buffer.from(hkdfSync('sha256', recoveryKey, vaultSalt(vaultId), 'strongroom/backup-recovery-slot/v1', 32)), slots.recovery!, 'recovery', vaultId).subarray(0, 32));
    expect(a.equals(b)).toBe(true);
  });
});
