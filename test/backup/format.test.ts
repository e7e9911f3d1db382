// The backup format as docs/backup-format.md describes it: its test vector
// (a recovery record and three shares included) is what this implementation
// makes and reads, and a reader written from the documents alone opens a
// real backup of a real vault, with the vault master key or with a quorum of
// the custodians' shares, into a database the sqlite3 shell reads. That
// reader uses node:crypto, the `age` binary (to open the custodians' age
// shares, docs/recovery-shares.md §4) and shamir-secret-sharing's combine
// (the Shamir scheme docs/recovery-shares.md §1 names): no Strongroom module.
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { combine } from 'shamir-secret-sharing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../main/backup/create.js';
import { encodeHeader, MAGIC } from '../../main/backup/header.js';
import { deriveBackupKeys, LABELS } from '../../main/backup/keys.js';
import { sealVmkSlot, VMK_SLOT_LENGTH } from '../../main/backup/key-slots.js';
import { readBackupHeader, readSegments, unlockBackup } from '../../main/backup/unseal.js';
import { encrypt } from '../../main/core/crypto/aes-gcm.js';
import { recoveryAad, type RecoveryRecord } from '../../main/custody/recovery-record.js';
import { stream } from '../../main/files/format.js';
import { refused } from '../support/kms.js';
import { makeVault, type TestVault } from '../support/vault.js';
import { splitRecoveryKey } from './support.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/backup-format.md', import.meta.url)), 'utf8');
const hexAfter = (label: string) => new RegExp(`\\n${label}\\s+([0-9a-f]+)\\n`).exec(doc)?.[1] ?? '';
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
  const shares = [1, 2, 3].map((i) => Buffer.from(hexAfter(`share ${i}`), 'hex'));
  const json = /one line:\n\n```json\n(.+)\n```/.exec(doc)?.[1] ?? '';
  const segmentHex = /final, segment \(26 \+ 16 bytes\):\n\n```\n([0-9a-f]+)\n```/.exec(doc)?.[1] ?? '';
  const vaultSalt = Buffer.from(`strongroom/vault/${vaultId}`);
  const kekVmk = Buffer.from(hkdfSync('sha256', vmk, vaultSalt, 'strongroom/backup/v1', 32));
  const slotAad = Buffer.from(`strongroom-backup/v1\0key-slot\0vmk\0${vaultId}`);
  const backup = () =>
    Buffer.concat([MAGIC, Buffer.of(1), u32(Buffer.byteLength(json)), Buffer.from(json), Buffer.from(hexAfter('checksum'), 'hex'), Buffer.from(hexAfter('header MAC'), 'hex'), Buffer.from(segmentHex, 'hex')]);

  it('its shares make its recovery key: any two of the three', async () => {
    expect(shares.map((s) => s.length)).toEqual([61, 61, 61]);
    for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) {
      const key = await combine([shares[a]!, shares[b]!].map((s) => new Uint8Array(s.subarray(24, 57))));
      expect(Buffer.from(key).equals(recoveryKey)).toBe(true);
    }
    expect(hexAfter('recovery key')).toBe(recoveryKey.toString('hex'));
  });

  it('is what this implementation makes', () => {
    expect(kekVmk.toString('hex')).toBe(hexAfter('KEK_vmk'));
    const wrapNonce = Buffer.from(hexAfter('wrappedVmk nonce'), 'hex');
    const wrappedVmk = Buffer.concat([wrapNonce, encrypt(recoveryKey, wrapNonce, vmk, recoveryAad(vaultId, '0badc0de'))]);
    expect(wrappedVmk.toString('hex')).toBe(hexAfter('wrappedVmk'));
    const record: RecoveryRecord = {
      version: 1,
      commitment: {
        version: 1,
        scheme: 'strongroom-shamir-v1',
        vaultId,
        splitId: '0badc0de',
        threshold: 2,
        count: 3,
        shareDigests: shares.map((s) => createHash('sha256').update('strongroom:recovery-share:v1\0').update(s).digest('base64')),
      },
      custodians: ['ann', 'ben', 'cat'],
      createdAt: '2026-11-01T09:00:00.000Z',
      wrappedVmk: wrappedVmk.toString('base64'),
    };
    const keys = deriveBackupKeys(dataKey, salt);
    expect(keys.commitment.toString('hex')).toBe(hexAfter('commitment'));
    const vmkSlot = Buffer.concat([seq(0x50, 12), encrypt(kekVmk, seq(0x50, 12), dataKey, slotAad)]);
    expect(vmkSlot.length).toBe(VMK_SLOT_LENGTH);
    const header = encodeHeader(
      { vaultId, createdAt: '2026-11-28T12:00:00.000Z', schemaVersion: 7, databaseBytes: database.length, segmentSize: 65536, salt, noncePrefix: prefix, commitment: keys.commitment, custody, keySlots: { vmk: vmkSlot, recovery: record } },
      keys,
    );
    expect(header.bytes.subarray(13, header.bytes.length - 64).toString()).toBe(json);
    expect(header.bytes.length).toBe(1189);
    expect(header.mac.toString('hex')).toBe(hexAfter('header MAC'));
    const file = Buffer.concat([header.bytes, ...stream(keys.segmentKey, prefix, header.mac).seal(0, true, database)]);
    expect(file.equals(backup())).toBe(true);
    // the slot the implementation seals (a random nonce) is the size the document says
    expect(sealVmkSlot(vmk, vaultId, dataKey).length).toBe(VMK_SLOT_LENGTH);
  });

  it('opens with this implementation’s reader: with any two shares, not with one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-backup-vector-'));
    try {
      await writeFile(join(dir, 'vector.srb'), backup());
      const fh = await open(join(dir, 'vector.srb'));
      try {
        const header = await readBackupHeader(fh, 'vector.srb');
        expect(header.keySlots.recovery?.custodians).toEqual(['ann', 'ben', 'cat']);
        for (const pair of [[shares[2]!, shares[0]!], [shares[1]!, shares[2]!]]) {
          const unlocked = await unlockBackup(header, { shares: { records: pair } });
          expect([unlocked.vmk.equals(vmk), unlocked.openedWith]).toEqual([true, 'RecoveryShares']);
          const got: Buffer[] = [];
          const r = await readSegments(fh, 'vector.srb', header, unlocked.keys, async (pieces) => void got.push(...pieces));
          expect(Buffer.concat(got).equals(database)).toBe(true);
          expect(r).toEqual({ sha256: createHash('sha256').update(backup()).digest('hex'), bytes: backup().length, segments: 1 });
        }
        expect((await refused(unlockBackup(header, { shares: { records: [shares[1]!] } }), 'ValidationException')).message).toBe('1 of the 2 shares needed was given (share 2); 1 more is needed.');
      } finally {
        await fh.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a reader written from the documents', () => {
  let t: TestVault;
  let work: string;
  let file: Buffer;
  let shareFiles: string[];
  beforeAll(async () => {
    t = await makeVault();
    for (let i = 0; i < 30; i++) await t.call('CreateKey', { Description: `key ${i}` });
    work = await mkdtemp(join(tmpdir(), 'strongroom-backup-reader-'));
    // a 2-of-3 split, each share sealed to its custodian's age recipient
    const names = ['ann', 'ben', 'cat'];
    const custodians = names.map((Name) => {
      execFileSync('age-keygen', ['-o', join(work, `${Name}.key`)], { stdio: 'ignore' });
      return { Name, Delivery: 'age', AgeRecipient: execFileSync('age-keygen', ['-y', join(work, `${Name}.key`)], { encoding: 'utf8' }).trim() };
    });
    await mkdir(join(work, 'shares'));
    await splitRecoveryKey(t.vault, { Threshold: 2, OutDir: join(work, 'shares'), Custodians: custodians }, work);
    shareFiles = names.map((n) => join(work, 'shares', `${n}.share.age`));
    await createBackup(t.vault, t.admin, { outPath: join(work, 'b.srb'), segmentSize: 65536 });
    file = await readFile(join(work, 'b.srb'));
  });
  afterAll(async () => {
    await t.close();
    await rm(work, { recursive: true, force: true });
  });

  type Header = { vaultId: string; keySlots: { vmk: string; recovery?: { commitment: { splitId: string; shareDigests: string[] }; custodians: string[]; wrappedVmk: string } } };

  /** Opens the backup by the document: returns the database. `vmkFrom` finds the vault master key. */
  function openByTheDocument(vmkFrom: (h: Header) => Buffer): Buffer {
    expect(file.subarray(0, 8).equals(Buffer.from([0x89, 0x53, 0x52, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(file[8]).toBe(1);
    const J = file.readUInt32BE(9);
    const H = 77 + J;
    expect(createHash('sha256').update(file.subarray(0, 13 + J)).digest().equals(file.subarray(13 + J, 45 + J))).toBe(true);
    const h = JSON.parse(file.subarray(13, 13 + J).toString('utf8'));
    expect(Object.keys(h)).toEqual(['vaultId', 'createdAt', 'schemaVersion', 'databaseBytes', 'segmentSize', 'salt', 'noncePrefix', 'commitment', 'custody', 'keySlots']);
    expect(Object.keys(h.keySlots.recovery)).toEqual(['version', 'commitment', 'custodians', 'createdAt', 'wrappedVmk']);
    // the vmk slot, opened with the VMK
    const vmk = vmkFrom(h);
    const vmkSlot = Buffer.from(h.keySlots.vmk, 'base64');
    const dataKey = gcmOpen(Buffer.from(hkdfSync('sha256', vmk, Buffer.from(`strongroom/vault/${h.vaultId}`), 'strongroom/backup/v1', 32)), vmkSlot, Buffer.from(`strongroom-backup/v1\0key-slot\0vmk\0${h.vaultId}`));
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

  /** nonce(12) ‖ ciphertext ‖ tag(16), opened with AES-256-GCM; throws when the tag fails. */
  const gcmOpen = (key: Buffer, sealed: Buffer, aad: Buffer) => {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
  };

  /** An age share as its custodian opens it (`age -d`, docs/recovery-shares.md §4): the 61-byte record from its armor. */
  const shareRecord = (shareFile: string, identity: string): Buffer => {
    const text = execFileSync('age', ['-d', '-i', identity, shareFile], { encoding: 'utf8' });
    const body = /-----BEGIN STRONGROOM RECOVERY SHARE-----\n([A-Za-z0-9+/=\n]+)-----END STRONGROOM RECOVERY SHARE-----/.exec(text)![1]!;
    return Buffer.from(body.replace(/\n/g, ''), 'base64');
  };

  it('with two custodians’ shares: the database, which the sqlite3 shell reads', async () => {
    // cat and ann open their age files; each record is checked against the split's commitment, then combined
    const records = [shareRecord(shareFiles[2]!, join(work, 'cat.key')), shareRecord(shareFiles[0]!, join(work, 'ann.key'))];
    const h0 = JSON.parse(file.subarray(13, 13 + file.readUInt32BE(9)).toString('utf8')) as Header;
    const recovery = h0.keySlots.recovery!;
    expect(recovery.custodians).toEqual(['ann', 'ben', 'cat']);
    for (const r of records) {
      expect(r.length).toBe(61);
      expect(r.subarray(17, 21).toString('hex')).toBe(recovery.commitment.splitId);
      expect(createHash('sha256').update('strongroom:recovery-share:v1\0').update(r).digest('base64')).toBe(recovery.commitment.shareDigests[r[21]! - 1]);
    }
    const recoveryKey = Buffer.from(await combine(records.map((r) => new Uint8Array(r.subarray(24, 57)))));
    let vmk: Buffer | undefined;
    const db = openByTheDocument((h) => {
      const r = h.keySlots.recovery!;
      vmk = gcmOpen(recoveryKey, Buffer.from(r.wrappedVmk, 'base64'), Buffer.from(`strongroom/recovery-key/v1\0${h.vaultId}\0${r.commitment.splitId}`));
      return vmk;
    });
    expect(vmk!.equals(t.vault.masterKey.export())).toBe(true);
    expect(db.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    await writeFile(join(work, 'db.sqlite'), db);
    const sql = (q: string) => execFileSync('sqlite3', [join(work, 'db.sqlite'), q], { encoding: 'utf8' }).trim();
    expect(sql('PRAGMA integrity_check')).toBe('ok');
    expect(sql('PRAGMA journal_mode')).toBe('delete');
    expect(sql("SELECT value FROM vault_meta WHERE name = 'vault_id'")).toBe(t.vault.vaultId);
    expect(Number(sql('SELECT count(*) FROM keys'))).toBe(30);
    // the recovery record the header carries is the database's own
    expect(JSON.parse(sql("SELECT value FROM vault_meta WHERE name = 'recovery'"))).toEqual(recovery);
  });

  it('with the vault master key: the same database', async () => {
    const a = openByTheDocument(() => t.vault.masterKey.export());
    const records = [shareRecord(shareFiles[1]!, join(work, 'ben.key')), shareRecord(shareFiles[2]!, join(work, 'cat.key'))];
    const recoveryKey = Buffer.from(await combine(records.map((r) => new Uint8Array(r.subarray(24, 57)))));
    const b = openByTheDocument((h) =>
      gcmOpen(recoveryKey, Buffer.from(h.keySlots.recovery!.wrappedVmk, 'base64'), Buffer.from(`strongroom/recovery-key/v1\0${h.vaultId}\0${h.keySlots.recovery!.commitment.splitId}`)),
    );
    expect(a.equals(b)).toBe(true);
  });
});
