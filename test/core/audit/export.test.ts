import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson, recordHashOf } from '../../../main/core/audit/chain.js';
import { ExportWriter, EXPORT_FORMAT, verifyExport } from '../../../main/core/audit/export.js';
import type { AuditSigner } from '../../../main/core/audit/digest.js';
import { ACCOUNT, memorySigner, memoryTrail, sampleEvent, T0, type MemoryTrail } from './support.js';

const signer = memorySigner();
let pem: string;
let trail: MemoryTrail;
let text: string;

async function makeExport(t: MemoryTrail, s: AuditSigner = signer, account = ACCOUNT): Promise<string> {
  const w = new ExportWriter(account, T0);
  let out = w.header(await s.publicKeyPem(account));
  let d = 0;
  for (const r of t.records) {
    out += w.record(r);
    while (d < t.digests.length && t.digests[d]!.digest.toSeq <= r.seq) out += w.digest(t.digests[d++]!);
  }
  return out + (await w.finish(s));
}

beforeAll(async () => {
  pem = await signer.publicKeyPem(ACCOUNT);
  trail = await memoryTrail(signer, 50, 10);
  text = await makeExport(trail);
});

const lines = (s = text) => s.split('\n').slice(0, -1);
const join_ = (ls: string[]) => ls.join('\n') + '\n';
const lineOf = (ls: string[], seq: number) => ls.findIndex((l) => l.startsWith(`{"seq":${seq},`));

describe('the export format', () => {
  it('is a header, one line per record, the digests in place, and a final signed export digest', () => {
    const ls = lines();
    expect(ls).toHaveLength(1 + 50 + 5 + 1);
    expect(JSON.parse(ls[0]!)).toEqual({ format: EXPORT_FORMAT, account: ACCOUNT, publicKeyPem: pem, exportedAt: new Date(T0).toISOString() });
    const first = JSON.parse(ls[1]!);
    expect(Object.keys(first)).toEqual(['seq', 'prevHash', 'hash', 'event']);
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), hash: trail.records[0]!.hash });
    expect(JSON.parse(ls[11]!)).toEqual({ digest: trail.digests[0]!.digest, signature: trail.digests[0]!.signature });
    const final = JSON.parse(ls.at(-1)!);
    expect(final.exportDigest).toMatchObject({ type: 'strongroom-audit-export-digest/1', account: ACCOUNT, fromSeq: 1, toSeq: 50, lastHash: trail.records[49]!.hash, records: 50, digests: 5 });
    expect(typeof final.signature).toBe('string');
  });

  it('verifies with the trusted public key', () => {
    const r = verifyExport(text, pem);
    expect(r).toMatchObject({ ok: true, keySource: 'trusted', records: 50, digests: 5, lastSeq: 50, signedThrough: 50, unsigned: null, problems: [] });
  });

  it('verifies on another machine with only the file and the public key (fresh module context)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strongroom-export-'));
    try {
      await writeFile(join(dir, 'trail.jsonl'), text);
      await writeFile(join(dir, 'audit-key.pem'), pem);
      vi.resetModules();
      const fresh = (await import('../../../main/core/audit/export.js')) as typeof import('../../../main/core/audit/export.js');
      expect(fresh.verifyExport).not.toBe(verifyExport);
      const r = fresh.verifyExport(await readFile(join(dir, 'trail.jsonl'), 'utf8'), await readFile(join(dir, 'audit-key.pem'), 'utf8'));
      expect(r.ok).toBe(true);
      expect(r.records).toBe(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('without a trusted key, checks against the header key and says so', () => {
    expect(verifyExport(text)).toMatchObject({ ok: true, keySource: 'file' });
  });

  it('exports an empty trail', async () => {
    const empty = await makeExport({ records: [], digests: [] });
    expect(lines(empty)).toHaveLength(2);
    expect(verifyExport(empty, pem)).toMatchObject({ ok: true, records: 0, lastSeq: 0 });
  });

  it('is not fooled by a trail re-signed with someone else\'s key', async () => {
    const mallory = memorySigner();
    const forged = await memoryTrail(mallory, 50, 10);
    const file = await makeExport(forged, mallory);
    expect(verifyExport(file).ok).toBe(true); // consistent in itself…
    const r = verifyExport(file, pem); // …but not signed by the tenant
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.kind).toBe('bad-signature');
    expect(r.problems.some((p) => p.kind === 'wrong-key')).toBe(true);
  });
});

describe('verifyExport finds tampering and says which record', () => {
  const first = (s: string) => verifyExport(s, pem).problems[0];

  it('an edited record', () => {
    const ls = lines();
    const i = lineOf(ls, 17);
    const rec = JSON.parse(ls[i]!);
    rec.event.userIdentity.userName = 'mallory';
    ls[i] = JSON.stringify(rec);
    const r = verifyExport(join_(ls), pem);
    expect(r.problems[0]).toEqual({ seq: 17, kind: 'edited', message: 'record 17 was edited' });
    expect(r.problems.at(-1)!.kind).toBe('digest-mismatch'); // and the content no longer matches the final digest
  });

  it('a deleted record', () => {
    const ls = lines();
    ls.splice(lineOf(ls, 18), 1);
    expect(first(join_(ls))).toEqual({ seq: 18, kind: 'missing', message: 'record 18 is missing' });
  });

  it('reordered records', () => {
    const ls = lines();
    const i = lineOf(ls, 21);
    [ls[i], ls[i + 1]] = [ls[i + 1]!, ls[i]!]; // 21 and 22
    expect(first(join_(ls))).toEqual({ seq: 22, kind: 'reordered', message: 'records out of order at 22' });
  });

  it('an inserted record with a correct hash', () => {
    const ls = lines();
    const i = lineOf(ls, 13);
    const prev = JSON.parse(ls[i - 1]!);
    const event = sampleEvent(999, { name: 'Decrypt', user: 'mallory' });
    ls.splice(i, 0, JSON.stringify({ seq: 13, prevHash: prev.hash, hash: recordHashOf(13, prev.hash, canonicalJson(event)), event }));
    expect(first(join_(ls))).toEqual({ seq: 13, kind: 'inserted', message: 'an extra record was inserted after 12' });
  });

  it('an extra record chained onto the end, before the final digest', () => {
    const ls = lines();
    const last = JSON.parse(ls[lineOf(ls, 50)]!);
    const event = sampleEvent(51);
    ls.splice(ls.length - 1, 0, JSON.stringify({ seq: 51, prevHash: last.hash, hash: recordHashOf(51, last.hash, canonicalJson(event)), event }));
    expect(first(join_(ls))).toEqual({ seq: 51, kind: 'inserted', message: 'an extra record was inserted after 50' });
  });

  it('a line added after the final digest', () => {
    const ls = lines();
    ls.push(ls[lineOf(ls, 50)]!);
    expect(first(join_(ls))).toMatchObject({ kind: 'inserted', message: "line 58 comes after the export's final digest" });
  });

  it('records cut off the end (with the final digest)', () => {
    const ls = lines();
    ls.splice(lineOf(ls, 48));
    const r = verifyExport(join_(ls), pem);
    expect(r.problems).toEqual([{ seq: 48, kind: 'truncated', message: 'the export is truncated: it has no final signed digest (it ends after record 47)' }]);
  });

  it('records cut off the end, the final digest kept', () => {
    const ls = lines();
    ls.splice(lineOf(ls, 48), ls.length - 1 - lineOf(ls, 48));
    const r = verifyExport(join_(ls), pem);
    expect(r.problems[0]).toMatchObject({ seq: 48, kind: 'truncated' });
    expect(r.problems.map((p) => p.message)).toContain('the export is truncated: records 48..50 were cut off its end');
  });

  it('the final digest cut off', () => {
    const ls = lines();
    ls.pop();
    expect(first(join_(ls))).toEqual({ seq: 51, kind: 'truncated', message: 'the export is truncated: it has no final signed digest (it ends after record 50)' });
    expect(first(ls.join('\n'))).toMatchObject({ kind: 'truncated' });
  });

  it('the final digest edited', () => {
    const ls = lines();
    const final = JSON.parse(ls.at(-1)!);
    final.exportDigest.records = 49;
    ls[ls.length - 1] = JSON.stringify(final);
    expect(first(join_(ls))).toMatchObject({ kind: 'bad-signature', message: "the export's final digest has an invalid signature" });
  });

  it('a stored digest removed from the file', () => {
    const ls = lines();
    ls.splice(lineOf(ls, 20) + 1, 1);
    expect(first(join_(ls))).toEqual({ seq: 11, kind: 'digest-missing', message: 'the digest over records 11..20 is missing' });
  });

  it('a blank or garbage line, and a file that is not an export', () => {
    const ls = lines();
    ls.splice(5, 0, 'garbage');
    expect(verifyExport(join_(ls), pem).problems.map((p) => p.message)).toContain('line 6 of the export is not a JSON object');
    expect(verifyExport('hello\n', pem).problems[0]).toMatchObject({ kind: 'malformed' });
    expect(verifyExport('{"format":"other"}\n', pem).problems[0]!.message).toContain('not a Strongroom audit export');
  });
});
