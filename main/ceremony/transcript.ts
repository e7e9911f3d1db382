// A ceremony's transcript (DESIGN §10) and its offline verification.
//
// The file is JSON: {format, header, steps, index, signature}. The index is
// the signed part, after CloudTrail's digest files, which list each log
// file's hash: it holds the SHA-256 of the header's canonical JSON (RFC
// 8785, core/audit/chain.ts) and, for every step, the SHA-256 of the step
// and of each of its members. Its canonical JSON is signed with the
// tenant's audit signing key (Ed25519; core/audit/statement.ts, typed
// `strongroom-ceremony-index/1` so it can never pass for an audit digest).
// So a verifier that trusts the signature can say which step was changed,
// and which part of it (inputs, outputs, files, confirmations, audit
// records), or that a step was removed or added, or the header changed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../core/audit/chain.js';
import { publicKeyFromPem, samePublicKey, verifyDigestSignature } from '../core/audit/digest.js';
import type { JsonObject } from '../core/audit/event.js';

export const TRANSCRIPT_FORMAT = 'strongroom-ceremony-transcript/1';
export const INDEX_TYPE = 'strongroom-ceremony-index/1';

export interface Participant {
  userName: string;
  arn: string;
}

export interface TranscriptHeader {
  ceremony: string;
  vaultId: string;
  account: string;
  region: string;
  operator: Participant;
  witnesses: Participant[];
  script: { sha256: string; format: 'json' | 'yaml' };
  startedAt: string;
  finishedAt: string;
  /** complete: every step ran; incomplete: a step failed (failure says which) and the rest did not run */
  status: 'complete' | 'incomplete';
  failure?: { step: string; error: { name: string; message: string } };
  /** the tenant's audit public key (PEM SPKI), which verifies the signature */
  auditPublicKey: string;
}

export interface AuditRecordRef {
  seq: number;
  eventID: string;
  eventName: string;
  userName?: string;
  errorCode?: string;
  /** a refused sign-in (ConsoleLogin Failure): a witness's wrong passphrase */
  signIn?: 'Failure';
  /** the record's hash in the tenant's chain (core/audit/chain.ts) */
  hash: string;
}

export interface OutputFile {
  /** relative to the ceremony's output folder, '/' separated */
  path: string;
  sha256: string;
  bytes: number;
}

export interface StepRecord {
  id: string;
  type: string;
  /** done; failed (error says why); not-run (an earlier step failed) */
  status: 'done' | 'failed' | 'not-run';
  startedAt?: string;
  finishedAt?: string;
  /** the step as the script gives it, secrets redacted as in the audit trail */
  inputs: JsonObject;
  outputs?: JsonObject;
  files: OutputFile[];
  confirmations: { userName: string; arn: string; at: string }[];
  /** the records the tenant's trail gained while the step ran (its confirmations' sign-ins too) */
  audit: { fromSeq: number; toSeq: number; records: AuditRecordRef[] };
  error?: { name: string; message: string };
}

export interface TranscriptIndex {
  type: typeof INDEX_TYPE;
  account: string;
  header: string;
  steps: { id: string; sha256: string; parts: Record<string, string> }[];
}

export interface Transcript {
  format: typeof TRANSCRIPT_FORMAT;
  header: TranscriptHeader;
  steps: StepRecord[];
  index: TranscriptIndex;
  /** Ed25519 over the index's canonical JSON, base64 */
  signature: string;
}

const sha256 = (v: unknown): string => createHash('sha256').update(canonicalJson(v), 'utf8').digest('hex');

/** The index of a header and its steps (what is signed). */
export function transcriptIndex(header: TranscriptHeader, steps: StepRecord[]): TranscriptIndex {
  return {
    type: INDEX_TYPE,
    account: header.account,
    header: sha256(header),
    steps: steps.map((s) => ({ id: s.id, sha256: sha256(s), parts: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, sha256(v)])) })),
  };
}

/** The transcript as written: indented canonical JSON (members in RFC 8785 order, so the file reads the same every time). */
export function transcriptText(t: Transcript): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(t)), null, 2)}\n`;
}

// ---------------------------------------------------------------- verification

export interface TranscriptProblem {
  /** the step the problem is in, when it is in one */
  step?: string;
  /** header, signature, index, step, file, transcript */
  part: string;
  message: string;
}

export interface TranscriptCheck {
  valid: boolean;
  ceremony?: string;
  account?: string;
  status?: 'complete' | 'incomplete';
  publicKeySource: 'trusted' | 'file';
  steps: number;
  filesChecked: number;
  /** output files the transcript names that are not beside it (not checked) */
  filesMissing: string[];
  problems: TranscriptProblem[];
}

/** The shape a verifier needs to read; the signature and the index decide the rest. */
const Shape = z.object({
  format: z.literal(TRANSCRIPT_FORMAT),
  header: z.object({ ceremony: z.string(), account: z.string(), status: z.enum(['complete', 'incomplete']), auditPublicKey: z.string() }).loose(),
  steps: z.array(z.object({ id: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() }).loose()) }).loose()),
  index: z.object({
    type: z.literal(INDEX_TYPE),
    account: z.string(),
    header: z.string(),
    steps: z.array(z.object({ id: z.string(), sha256: z.string(), parts: z.record(z.string(), z.string()) })),
  }),
  signature: z.string(),
});

/** Reads a file the transcript names, relative to where its files are; undefined when it is not there. */
export type FileReader = (path: string) => Buffer | undefined;

/**
 * Verifies a transcript offline: the signature over the index (with the
 * trusted key given, or the one in the header), the header and every step
 * against the index, and every output file present against its hash.
 */
export function verifyTranscript(text: string, opts: { publicKeyPem?: string; readFile?: FileReader } = {}): TranscriptCheck {
  const source = opts.publicKeyPem === undefined ? 'file' : 'trusted';
  const fail = (message: string, part = 'transcript'): TranscriptCheck => ({ valid: false, publicKeySource: source, steps: 0, filesChecked: 0, filesMissing: [], problems: [{ part, message }] });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`the transcript is not JSON: ${(e as Error).message}`);
  }
  const parsed = Shape.safeParse(doc);
  if (!parsed.success) return fail(`the transcript is not a Strongroom ceremony transcript: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  // hashed as read, not as parsed: the parse leaves out members the shape does not name
  const t = doc as z.output<typeof Shape>;
  const problems: TranscriptProblem[] = [];

  // the signature over the index: what the rest is checked against
  let key;
  try {
    key = publicKeyFromPem(opts.publicKeyPem ?? t.header.auditPublicKey);
  } catch {
    return fail(opts.publicKeyPem === undefined ? "the transcript's audit public key is not an Ed25519 PEM public key" : 'the public key given is not an Ed25519 PEM public key', 'signature');
  }
  if (!verifyDigestSignature(key, t.index, t.signature)) {
    problems.push({ part: 'signature', message: `the signature does not verify with ${source === 'trusted' ? 'the trusted key' : "the transcript's own key"}: the signed index or the signature was changed` });
  }
  if (opts.publicKeyPem !== undefined && !safeSameKey(opts.publicKeyPem, t.header.auditPublicKey)) {
    problems.push({ part: 'header', message: 'the transcript names another audit public key than the trusted one' });
  }
  if (t.index.account !== t.header.account) problems.push({ part: 'index', message: `the index is of account ${t.index.account}, the header of ${t.header.account}` });
  if (sha256(t.header) !== t.index.header) problems.push({ part: 'header', message: "the header (ceremony, participants, times, status) was changed" });

  // each step against its entry in the index, in order
  const byId = new Map(t.steps.map((s) => [s.id, s]));
  const indexed = new Set(t.index.steps.map((e) => e.id));
  for (const entry of t.index.steps) {
    const step = byId.get(entry.id);
    if (!step) {
      problems.push({ step: entry.id, part: 'step', message: `step '${entry.id}' was removed` });
      continue;
    }
    if (sha256(step) === entry.sha256) continue;
    const changed = Object.keys({ ...entry.parts, ...step }).filter((k) => !(k in step) || entry.parts[k] === undefined || sha256((step as Record<string, unknown>)[k]) !== entry.parts[k]);
    problems.push({ step: entry.id, part: 'step', message: `step '${entry.id}' was changed${changed.length ? ` (${changed.join(', ')})` : ''}` });
  }
  for (const s of t.steps) if (!indexed.has(s.id)) problems.push({ step: s.id, part: 'step', message: `step '${s.id}' was added: the signed index does not list it` });
  const order = t.steps.map((s) => s.id).filter((id) => indexed.has(id));
  const signedOrder = t.index.steps.map((e) => e.id).filter((id) => byId.has(id));
  if (order.join('\0') !== signedOrder.join('\0')) problems.push({ part: 'index', message: 'the steps were reordered' });

  // the output files that are present
  let filesChecked = 0;
  const filesMissing: string[] = [];
  for (const s of t.steps) {
    for (const f of s.files) {
      const bytes = opts.readFile?.(f.path);
      if (bytes === undefined) {
        filesMissing.push(f.path);
        continue;
      }
      filesChecked++;
      const got = createHash('sha256').update(bytes).digest('hex');
      if (got !== f.sha256 || bytes.length !== f.bytes) problems.push({ step: s.id, part: 'file', message: `file ${f.path} of step '${s.id}' does not match the transcript (SHA-256 ${got}, ${bytes.length} bytes)` });
    }
  }
  return { valid: problems.length === 0, ceremony: t.header.ceremony, account: t.header.account, status: t.header.status, publicKeySource: source, steps: t.steps.length, filesChecked, filesMissing, problems };
}

function safeSameKey(a: string, b: string): boolean {
  try {
    return samePublicKey(a, b);
  } catch {
    return false;
  }
}
