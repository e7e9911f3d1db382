import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, recordHashOf, type StoredRecord } from '../../../main/core/audit/chain.js';
import { makeDigest, newAuditSigningKey, signDigest, type SignedDigest } from '../../../main/core/audit/digest.js';
import { summary, verifyChain } from '../../../main/core/audit/verify.js';
import { ACCOUNT, memorySigner, memoryTrail, OTHER_ACCOUNT, sampleEvent, T0, type MemoryTrail } from './support.js';

const signer = memorySigner();
let pem: string;
let trail: MemoryTrail;
beforeAll(async () => {
  pem = await signer.publicKeyPem(ACCOUNT);
  trail = await memoryTrail(signer, 50, 10); // digests over 1..10, 11..20, …, 41..50
});

const copy = (): { records: StoredRecord[]; digests: SignedDigest[] } => ({
  records: trail.records.map((r) => ({ ...r })),
  digests: trail.digests.map((d) => ({ digest: { ...d.digest }, signature: d.signature })),
});
const check = (t: { records: StoredRecord[]; digests: unknown[] }, publicKey = pem) => verifyChain({ account: ACCOUNT, publicKey, records: t.records, digests: t.digests });
const at = (t: { records: StoredRecord[] }, seq: number) => t.records.findIndex((r) => r.seq === seq);

function editEvent(r: StoredRecord, change: (e: any) => void): void {
  const e = JSON.parse(r.eventJson);
  change(e);
  r.eventJson = canonicalJson(e);
}
/** What an attacker without the signing key can do: recompute the hashes from `seq` to the end. */
function rehashFrom(records: StoredRecord[], fromIndex: number): void {
  for (let i = fromIndex; i < records.length; i++) {
    const r = records[i]!;
    if (i > 0) r.prevHash = records[i - 1]!.hash;
    r.hash = recordHashOf(r.seq, r.prevHash, r.eventJson);
  }
}

describe('verifyChain on an intact trail', () => {
  it('passes, with every record under a signed digest', () => {
    const r = check(trail);
    expect(r).toEqual({ ok: true, account: ACCOUNT, records: 50, digests: 5, lastSeq: 50, signedThrough: 50, unsigned: null, problems: [] });
    expect(summary(r)).toBe('OK: 50 records, 5 digests');
  });

  it('reports records after the last digest as not yet signed, without failing', () => {
    const t = copy();
    t.digests.pop();
    const r = check(t);
    expect(r.ok).toBe(true);
    expect(r.signedThrough).toBe(40);
    expect(r.unsigned).toEqual({ fromSeq: 41, toSeq: 50 });
    expect(summary(r)).toBe('OK: 50 records, 4 digests; records 41..50 are not yet covered by a digest');
  });

  it('passes an empty trail', () => {
    expect(check({ records: [], digests: [] })).toMatchObject({ ok: true, records: 0, lastSeq: 0, unsigned: null });
  });
});

describe('verifyChain finds tampering and says which record', () => {
  it('an edited record', () => {
    const t = copy();
    editEvent(t.records[16]!, (e) => (e.userIdentity.userName = 'mallory'));
    const r = check(t);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([{ seq: 17, kind: 'edited', message: 'record 17 was edited' }]);
    expect(summary(r)).toBe('FAILED: record 17 was edited');
  });

  it('an edited record whose hash was recomputed', () => {
    const t = copy();
    editEvent(t.records[16]!, (e) => (e.errorCode = 'Hidden'));
    t.records[16]!.hash = recordHashOf(17, t.records[16]!.prevHash, t.records[16]!.eventJson);
    expect(check(t).problems[0]).toEqual({ seq: 17, kind: 'edited', message: 'record 17 was edited (and its hash recomputed)' });
  });

  it('an edited record with the whole chain after it re-hashed: the signed digest catches it', () => {
    const t = copy();
    editEvent(t.records[16]!, (e) => (e.eventName = 'DescribeKey'));
    rehashFrom(t.records, 16);
    const r = check(t);
    expect(r.problems[0]).toEqual({ seq: 11, kind: 'digest-mismatch', message: 'records 11..20 do not match their signed digest: a record in this range was changed, added or removed and the chain re-hashed' });
    expect(r.signedThrough).toBe(10);
  });

  it('a deleted record', () => {
    const t = copy();
    t.records.splice(at(t, 18), 1);
    const r = check(t);
    expect(r.problems).toEqual([{ seq: 18, kind: 'missing', message: 'record 18 is missing' }]);
  });

  it('several deleted records, renumbered to hide the gap', () => {
    const t = copy();
    t.records.splice(at(t, 18), 3);
    t.records.forEach((r, i) => (r.seq = i + 1));
    expect(check(t).problems[0]).toEqual({ seq: 18, kind: 'missing', message: 'records 18..20 are missing' });
  });

  it('two records swapped', () => {
    const t = copy();
    const [a, b] = [t.records[19]!, t.records[20]!];
    [a.seq, b.seq] = [b.seq, a.seq];
    t.records.sort((x, y) => x.seq - y.seq); // as the database returns them
    const r = check(t);
    expect(r.problems).toEqual([{ seq: 20, kind: 'reordered', message: 'records out of order at 20' }]);
  });

  it('records moved in the file without renumbering', () => {
    const t = copy();
    const [moved] = t.records.splice(at(t, 20), 1);
    t.records.splice(at(t, 23) + 1, 0, moved!);
    expect(check(t).problems[0]).toEqual({ seq: 21, kind: 'reordered', message: 'records out of order at 21' });
  });

  it('a forged record inserted with a correct hash, the records after it renumbered', () => {
    const t = copy();
    const i = at(t, 13);
    const eventJson = canonicalJson(sampleEvent(999, { name: 'Decrypt', user: 'mallory' }));
    const forged = { seq: 13, prevHash: t.records[i - 1]!.hash, hash: '', eventJson };
    forged.hash = recordHashOf(13, forged.prevHash, eventJson);
    for (const r of t.records.slice(i)) r.seq += 1;
    t.records.splice(i, 0, forged);
    const r = check(t);
    expect(r.problems).toEqual([{ seq: 13, kind: 'inserted', message: 'an extra record was inserted after 12' }]);
  });

  it('a forged record inserted with a junk hash', () => {
    const t = copy();
    const i = at(t, 13);
    for (const r of t.records.slice(i)) r.seq += 1;
    t.records.splice(i, 0, { seq: 13, prevHash: t.records[i - 1]!.hash, hash: 'ab'.repeat(32), eventJson: canonicalJson(sampleEvent(999)) });
    expect(check(t).problems).toEqual([{ seq: 13, kind: 'inserted', message: 'an extra record was inserted after 12' }]);
  });

  it('a forged record inserted and everything after it re-hashed: the digest catches it', () => {
    const t = copy();
    const i = at(t, 13);
    for (const r of t.records.slice(i)) r.seq += 1;
    t.records.splice(i, 0, { seq: 13, prevHash: '', hash: '', eventJson: canonicalJson(sampleEvent(999)) });
    rehashFrom(t.records, i);
    expect(check(t).problems[0]).toMatchObject({ seq: 11, kind: 'digest-mismatch' });
  });

  it('a duplicated record', () => {
    const t = copy();
    t.records.splice(at(t, 30) + 1, 0, { ...t.records[at(t, 30)]! });
    expect(check(t).problems).toEqual([{ seq: 30, kind: 'inserted', message: 'an extra record was inserted after 30' }]);
  });

  it('records cut off the end', () => {
    const t = copy();
    t.records.splice(at(t, 48));
    const r = check(t);
    expect(r.problems).toEqual([{ seq: 48, kind: 'truncated', message: 'records 48..50 are missing: the trail ends at record 47 but a signed digest covers up to 50' }]);
  });

  it('the first record deleted', () => {
    const t = copy();
    t.records.shift();
    expect(check(t).problems[0]).toEqual({ seq: 1, kind: 'missing', message: 'record 1 is missing' });
  });

  it('a digest edited', () => {
    const t = copy();
    t.digests[2]!.digest.toSeq = 29;
    expect(check(t).problems[0]).toEqual({ seq: 21, kind: 'bad-signature', message: 'the digest over records 21..29 has an invalid signature' });
  });

  it('a digest deleted', () => {
    const t = copy();
    t.digests.splice(1, 1);
    const r = check(t);
    expect(r.problems).toEqual([{ seq: 11, kind: 'digest-missing', message: 'the digest over records 11..20 is missing' }]);
    expect(r.signedThrough).toBe(10);
  });

  it('a digest re-signed with another key, or from another account', async () => {
    const t = copy();
    const r = check(t, newAuditSigningKey().publicSpkiPem);
    expect(r.problems).toHaveLength(5);
    expect(r.problems.every((p) => p.kind === 'bad-signature')).toBe(true);
    const u = copy();
    u.digests[0] = await signDigest(signer, OTHER_ACCOUNT, makeDigest(OTHER_ACCOUNT, undefined, 10, u.records[9]!.hash, T0));
    expect(check(u).problems.map((p) => p.kind)).toEqual(['wrong-account', 'bad-signature', 'digest-mismatch']);
  });

  it('a public key that is not Ed25519', () => {
    expect(check(copy(), 'not a pem').problems[0]).toMatchObject({ kind: 'wrong-key' });
  });

  it('malformed records and digests', () => {
    const t = copy();
    (t.records[4] as any).hash = 'nope';
    (t.digests as unknown[]).push({ digest: { type: 'something else' }, signature: '' });
    const kinds = check(t).problems.map((p) => `${p.kind}@${p.seq}`);
    expect(kinds).toEqual(['malformed@5', 'malformed@null']);
  });
});
