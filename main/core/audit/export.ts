// The export format (docs/audit-format.md): JSON Lines, UTF-8, "\n" line ends.
//   line 1    {"format":"strongroom-audit-export/1","account":…,"publicKeyPem":…,"exportedAt":…}
//   records   {"seq":n,"prevHash":…,"hash":…,"event":{…}}            one per line, ascending seq
//   digests   {"digest":{…},"signature":…}                           right after the record digest.toSeq
//   last line {"exportDigest":{…},"signature":…}                     signed over every byte before it
// The export digest names the last record and its hash, the last stored
// digest, the counts, and the SHA-256 of all preceding bytes, so a file
// cut short, extended, or edited anywhere fails verification, with only
// the file and the tenant's audit public key (verifyExport).
import { createHash, type KeyObject } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, isHash, type StoredRecord } from './chain.js';
import { digestHash, publicKeyFromPem, samePublicKey, signDigest, verifyDigestSignature, type AuditDigest, type AuditSigner, type SignedDigest } from './digest.js';
import { verifyChain, type Problem, type VerifyResult } from './verify.js';
import { isKmsError } from '../errors.js';
import { parseJsonInput } from '../service/input-bounds.js';

export const EXPORT_FORMAT = 'strongroom-audit-export/1';
const EXPORT_DIGEST_TYPE = 'strongroom-audit-export-digest/1';

interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  account: string;
  publicKeyPem: string;
  exportedAt: string;
}

interface ExportDigest {
  type: typeof EXPORT_DIGEST_TYPE;
  account: string;
  /** 1: an export holds the whole trail */
  fromSeq: number;
  /** the last record in the file (0 when the trail is empty) */
  toSeq: number;
  /** its hash (64 zeros when empty) */
  lastHash: string;
  /** SHA-256 of the last stored digest in the file (64 zeros when none) */
  previousDigestHash: string;
  records: number;
  digests: number;
  /** SHA-256 (hex) of every byte of the file before this line */
  contentSha256: string;
  exportedAt: string;
}

/** Writes an export line by line; each method returns the line (with its "\n") to append to the file. */
export class ExportWriter {
  readonly #account: string;
  readonly #content = createHash('sha256');
  readonly #exportedAt: string;
  #records = 0;
  #digests = 0;
  #last = { seq: 0, hash: GENESIS_HASH };
  #lastDigest: AuditDigest | undefined;
  #finished = false;

  constructor(account: string, exportedAt: number | Date) {
    this.#account = account;
    this.#exportedAt = new Date(exportedAt).toISOString();
  }

  header(publicKeyPem: string): string {
    const h: ExportHeader = { format: EXPORT_FORMAT, account: this.#account, publicKeyPem, exportedAt: this.#exportedAt };
    return this.#emit(JSON.stringify(h));
  }

  /** A record; its eventJson is the canonical JSON the vault stores. */
  record(r: StoredRecord): string {
    this.#records++;
    this.#last = { seq: r.seq, hash: r.hash };
    return this.#emit(`{"seq":${r.seq},"prevHash":${JSON.stringify(r.prevHash)},"hash":${JSON.stringify(r.hash)},"event":${r.eventJson}}`);
  }

  digest(sd: SignedDigest): string {
    this.#digests++;
    this.#lastDigest = sd.digest;
    return this.#emit(JSON.stringify({ digest: sd.digest, signature: sd.signature }));
  }

  /** The final line: the export digest, signed with the tenant's audit key. */
  async finish(signer: AuditSigner): Promise<string> {
    if (this.#finished) throw new Error('the export is finished already');
    this.#finished = true;
    const digest: ExportDigest = {
      type: EXPORT_DIGEST_TYPE,
      account: this.#account,
      fromSeq: 1,
      toSeq: this.#last.seq,
      lastHash: this.#last.hash,
      previousDigestHash: this.#lastDigest ? digestHash(this.#lastDigest) : GENESIS_HASH,
      records: this.#records,
      digests: this.#digests,
      contentSha256: this.#content.digest('hex'),
      exportedAt: this.#exportedAt,
    };
    const signed = await signDigest(signer, this.#account, digest);
    return JSON.stringify({ exportDigest: signed.digest, signature: signed.signature }) + '\n';
  }

  #emit(line: string): string {
    if (this.#finished) throw new Error('the export is finished already');
    const out = line + '\n';
    this.#content.update(out);
    return out;
  }
}

interface ExportVerifyResult extends VerifyResult {
  /** 'trusted': checked against the key the caller supplied; 'file': only against the key in the file's own header */
  keySource: 'trusted' | 'file';
  exportedAt: string | null;
}

function isExportDigest(d: unknown): d is ExportDigest {
  if (typeof d !== 'object' || d === null) return false;
  const x = d as Record<string, unknown>;
  return (
    x.type === EXPORT_DIGEST_TYPE &&
    typeof x.account === 'string' &&
    x.fromSeq === 1 &&
    Number.isSafeInteger(x.toSeq) &&
    (x.toSeq as number) >= 0 &&
    isHash(x.lastHash) &&
    isHash(x.previousDigestHash) &&
    Number.isSafeInteger(x.records) &&
    Number.isSafeInteger(x.digests) &&
    isHash(x.contentSha256) &&
    typeof x.exportedAt === 'string'
  );
}

const failed = (problem: Problem, keySource: 'trusted' | 'file'): ExportVerifyResult => ({
  ok: false,
  account: '',
  records: 0,
  digests: 0,
  lastSeq: 0,
  signedThrough: 0,
  unsigned: null,
  problems: [problem],
  keySource,
  exportedAt: null,
});

/**
 * An export's lines are parsed only as deep as input-bounds.ts allows (a
 * record nests ~35 levels; canonicalJson would overflow the stack on a line
 * nested thousands deep). Their length is not limited: a record holds what
 * its call held, and the file as a whole is bounded by whoever reads it.
 */
const UNBOUNDED_LINE = { maxBytes: Number.POSITIVE_INFINITY };

/**
 * Verifies an export with nothing but its text and, ideally, the tenant's
 * audit public key obtained some trusted way. Without one, the key in the
 * file's header is used and the result says so (keySource: 'file'): that
 * proves the file is consistent, not who made it.
 */
export function verifyExport(text: string, trustedPublicKeyPem?: string | KeyObject): ExportVerifyResult {
  const keySource = trustedPublicKeyPem === undefined ? 'file' : 'trusted';
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  let header: ExportHeader;
  try {
    header = parseJsonInput(lines[0] ?? '', 'the first line of the export', UNBOUNDED_LINE) as ExportHeader;
  } catch (e) {
    const why = isKmsError(e) ? e.message : 'its first line is not JSON';
    return failed({ seq: null, kind: 'malformed', message: `the file is not a Strongroom audit export: ${why}` }, keySource);
  }
  if (typeof header !== 'object' || header === null || header.format !== EXPORT_FORMAT || typeof header.account !== 'string') {
    return failed({ seq: null, kind: 'malformed', message: `the file is not a Strongroom audit export (expected format ${EXPORT_FORMAT} in its first line)` }, keySource);
  }
  const extra: Problem[] = [];
  let key: KeyObject | string = header.publicKeyPem;
  if (trustedPublicKeyPem !== undefined) {
    key = trustedPublicKeyPem;
    let same = false;
    try {
      same = samePublicKey(trustedPublicKeyPem, header.publicKeyPem);
    } catch {
      same = false;
    }
    if (!same) extra.push({ seq: null, kind: 'wrong-key', message: "the export's header names a different audit public key than the trusted one" });
  }

  const records: StoredRecord[] = [];
  const digests: unknown[] = [];
  let final: { digest: unknown; signature: unknown; contentEnd: number } | undefined;
  let offset = lines[0]!.length + 1;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const start = offset;
    offset += line.length + 1;
    let obj: Record<string, unknown>;
    try {
      obj = parseJsonInput(line, `line ${i + 1} of the export`, UNBOUNDED_LINE) as Record<string, unknown>;
      if (typeof obj !== 'object' || obj === null) throw new TypeError('not an object');
    } catch (e) {
      extra.push({ seq: null, kind: 'malformed', message: isKmsError(e) ? e.message : `line ${i + 1} of the export is not a JSON object` });
      continue;
    }
    if (final) {
      extra.push({ seq: null, kind: 'inserted', message: `line ${i + 1} comes after the export's final digest` });
      continue;
    }
    if ('exportDigest' in obj) {
      final = { digest: obj.exportDigest, signature: obj.signature, contentEnd: start };
    } else if ('digest' in obj) {
      digests.push(obj);
    } else if ('seq' in obj) {
      let eventJson = '';
      try {
        eventJson = canonicalJson(obj.event);
      } catch {
        // a missing or non-JSON event cannot hash to the record's hash: reported as edited
      }
      records.push({ seq: obj.seq as number, prevHash: obj.prevHash as string, hash: obj.hash as string, eventJson });
    } else {
      extra.push({ seq: null, kind: 'malformed', message: `line ${i + 1} of the export is neither a record nor a digest` });
    }
  }

  const result = verifyChain({ account: header.account, publicKey: key, records, digests });
  const problems = [...result.problems, ...extra];
  let { signedThrough, unsigned } = result;

  if (!final) {
    problems.push({
      seq: result.lastSeq + 1,
      kind: 'truncated',
      message: `the export is truncated: it has no final signed digest (it ends after ${result.lastSeq === 0 ? 'its header' : `record ${result.lastSeq}`})`,
    });
  } else if (!isExportDigest(final.digest)) {
    problems.push({ seq: null, kind: 'malformed', message: "the export's final digest is malformed" });
  } else {
    const d = final.digest;
    let fine = true;
    const bad = (p: Problem) => {
      problems.push(p);
      fine = false;
    };
    let validSignature = false;
    try {
      validSignature = verifyDigestSignature(publicKeyFromPem(key), d, final.signature);
    } catch {
      validSignature = false;
    }
    if (!validSignature) bad({ seq: null, kind: 'bad-signature', message: "the export's final digest has an invalid signature" });
    if (d.account !== header.account) bad({ seq: null, kind: 'wrong-account', message: `the export's final digest is for account ${d.account}, not ${header.account}` });
    if (d.toSeq > result.lastSeq) {
      bad({ seq: result.lastSeq + 1, kind: 'truncated', message: `the export is truncated: records ${result.lastSeq + 1}..${d.toSeq} were cut off its end` });
    } else if (d.toSeq < result.lastSeq) {
      bad({ seq: d.toSeq + 1, kind: 'inserted', message: `an extra record was inserted after ${d.toSeq}` });
    } else if (d.toSeq > 0 && records.at(-1)?.hash !== d.lastHash) {
      bad({ seq: d.toSeq, kind: 'digest-mismatch', message: `record ${d.toSeq} does not match the export's final digest` });
    }
    const lastStored = (digests.at(-1) as SignedDigest | undefined)?.digest;
    if (d.digests !== digests.length || d.previousDigestHash !== (lastStored ? digestHash(lastStored) : GENESIS_HASH)) {
      bad({ seq: null, kind: 'digest-missing', message: `the export should hold ${d.digests} signed digests and holds ${digests.length}, or its last one was changed` });
    }
    if (d.records !== records.length && fine) {
      bad({ seq: null, kind: d.records > records.length ? 'missing' : 'inserted', message: `the export should hold ${d.records} records and holds ${records.length}` });
    }
    const content = createHash('sha256').update(text.slice(0, final.contentEnd)).digest('hex');
    if (content !== d.contentSha256) bad({ seq: null, kind: 'digest-mismatch', message: "the export's content does not match its final signed digest (lines were changed, added, removed or moved)" });
    if (fine && problems.length === 0) {
      signedThrough = d.toSeq;
      unsigned = null;
    }
  }
  return { ...result, ok: problems.length === 0, problems, signedThrough, unsigned, keySource, exportedAt: typeof header.exportedAt === 'string' ? header.exportedAt : null };
}
