// Runs a ceremony script (script.ts) step by step as the signed-in operator
// and returns its signed transcript (transcript.ts).
//
// Before each step a CeremonyStep record goes into the tenant's trail (it
// names the ceremony and the step, and reads the trail's head), so the trail
// shows where each step began and the transcript lists the records each step
// produced: the records after that mark up to the next step's. Then each
// witness the step names confirms by signing in with their own passphrase
// (audited as a sign-in; a wrong one is refused and the step does not run),
// and the step runs through the operations any caller uses (steps.ts).
// A failed step stops the ceremony; the transcript records what ran, the
// failure and the steps that did not run, and is signed all the same,
// marked incomplete. Signing is one audited call, SignCeremonyTranscript,
// whose record holds the SHA-256 of the signed index.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { userArn } from '../api/arns.js';
import type { StoredRecord } from '../core/audit/chain.js';
import { digestHash } from '../core/audit/digest.js';
import { redact, type AuditEvent } from '../core/audit/event.js';
import type { Caller, CallSource } from '../core/service/caller.js';
import { KmsError, toKmsError, validation } from '../core/errors.js';
import { internalOperation } from '../core/service/operation.js';
import type { Service } from '../core/service/service.js';
import type { Vault } from '../vault/vault.js';
import type { CeremonyScript } from './script.js';
import { outputName, STEP_KINDS, type StepContext, type StepResult } from './steps.js';
import { TRANSCRIPT_FORMAT, transcriptIndex, type AuditRecordRef, type OutputFile, type StepRecord, type Transcript, type TranscriptHeader } from './transcript.js';

/** How far a ceremony has got: one event as each step is confirmed, runs, and ends. */
export interface CeremonyProgress {
  StepIndex: number;
  StepCount: number;
  StepId: string;
  Type: string;
  Phase: 'confirming' | 'running' | 'done' | 'failed';
}

export interface CeremonyRunner {
  readonly service: Pick<Service, 'call' | 'callInternal' | 'signIn' | 'signOut'>;
  /** the operator, signed in; the script's operator must be this user */
  readonly operator: Caller;
  readonly vaultId: string;
  /** where the steps' files go */
  readonly outDir: string;
  /** where the script's own relative paths (custodians' passphrase files) start */
  readonly scriptDir: string;
  /** the vault itself, which a backup step needs (steps.ts StepContext.vault) */
  readonly vault?: Vault;
  readonly source: CallSource;
  /** a witness's passphrase, asked when their confirmation is due */
  witnessPassphrase(userName: string): Promise<string>;
  onProgress?(p: CeremonyProgress): void;
  /** epoch ms; default Date.now */
  clock?(): number;
}

const MarkInput = z.object({ Ceremony: z.string(), Step: z.string(), Type: z.string() }).strict();
const SignInput = z.object({ Ceremony: z.string(), Status: z.enum(['complete', 'incomplete']), Steps: z.number() }).strict();
const SignOutput = z.object({ Ceremony: z.string(), Status: z.string(), IndexSha256: z.string() });

/** The ceremony's marker before a step: audited, and says the trail's head (the seq of the newest record before its own). */
const markStep = internalOperation({
  name: 'CeremonyStep',
  action: 'audit:LookupEvents',
  readOnly: true,
  summary: 'Internal: marks the start of a ceremony step in the trail and reads its head.',
  input: MarkInput,
  output: z.object({ Head: z.number() }),
  handler: async (ctx) => {
    await ctx.authorize();
    return { Head: await ctx.audit.head(ctx.scope.account) };
  },
});

interface Ran {
  record: Omit<StepRecord, 'audit'>;
  /** the trail's head before the step's marker; undefined for a step that did not run */
  head?: number;
}

export async function runCeremony(script: CeremonyScript, r: CeremonyRunner): Promise<Transcript> {
  const clock = r.clock ?? Date.now;
  const op = r.operator;
  if (op.userName !== script.operator) throw validation(`The ceremony script names operator ${script.operator}, but it is being run by ${op.userName}: sign in as ${script.operator}.`);
  if (script.tenant !== undefined && /^\d{12}$/.test(script.tenant) && script.tenant !== op.account) {
    throw validation(`The ceremony script is for account ${script.tenant}, but it is being run in account ${op.account}.`);
  }
  const startedAt = new Date(clock()).toISOString();
  const keys = new Map<string, string>();
  const ctx: StepContext = {
    service: r.service,
    caller: op,
    vaultId: r.vaultId,
    outDir: r.outDir,
    scriptDir: r.scriptDir,
    ...(r.vault ? { vault: r.vault } : {}),
    keyOf: (ref) => keys.get(ref) ?? ref,
  };
  const ran: Ran[] = [];
  let failure: TranscriptHeader['failure'];
  const count = script.steps.length;

  for (const [i, step] of script.steps.entries()) {
    const base = { id: step.id, type: step.type, inputs: redact(step.type, step.fields, undefined).requestParameters ?? {}, files: [] as OutputFile[], confirmations: [] as StepRecord['confirmations'] };
    if (failure) {
      ran.push({ record: { ...base, status: 'not-run' } });
      continue;
    }
    const progress = (Phase: CeremonyProgress['Phase']) => r.onProgress?.({ StepIndex: i, StepCount: count, StepId: step.id, Type: step.type, Phase });
    const mark = { Ceremony: script.ceremony, Step: step.id, Type: step.type };
    const { Head: head } = (await r.service.callInternal(op, markStep, mark)) as { Head: number };
    const started = new Date(clock()).toISOString();
    const confirmations: StepRecord['confirmations'] = [];
    try {
      if (step.confirm.length) progress('confirming');
      for (const name of step.confirm) confirmations.push(await confirm(r, mark, name, clock));
      progress('running');
      const result = await (STEP_KINDS[step.type].run as (c: StepContext, s: unknown) => Promise<StepResult>)(ctx, step.fields);
      if (step.type === 'create-key') keys.set(step.id, String(result.outputs.KeyId));
      const files = await Promise.all(result.files.map((f) => describeFile(r.outDir, f)));
      ran.push({ head, record: { ...base, status: 'done', startedAt: started, finishedAt: new Date(clock()).toISOString(), outputs: result.outputs, files, confirmations } });
      progress('done');
    } catch (e) {
      const err = toKmsError(e);
      failure = { step: step.id, error: { name: err.name, message: err.message } };
      ran.push({ head, record: { ...base, status: 'failed', startedAt: started, finishedAt: new Date(clock()).toISOString(), confirmations, error: failure.error } });
      progress('failed');
    }
  }
  return sign(script, r, startedAt, ran, failure, clock);
}

/**
 * A witness's confirmation, as the witness: an audited call that needs no
 * permission (like sts:GetCallerIdentity, it only says who is signed in),
 * so the trail holds the witness's own record of the step they confirmed.
 */
const confirmStep = internalOperation({
  name: 'ConfirmCeremonyStep',
  action: 'app:ConfirmCeremonyStep',
  readOnly: true,
  summary: 'Internal: a witness confirms a ceremony step.',
  input: MarkInput,
  output: z.object({ Arn: z.string() }),
  handler: async (ctx) => ({ Arn: ctx.caller.arn }),
});

/** A witness signs in with their own passphrase (a wrong one is refused and recorded), confirms, and is signed out again. */
async function confirm(r: CeremonyRunner, mark: z.output<typeof MarkInput>, userName: string, clock: () => number): Promise<StepRecord['confirmations'][number]> {
  const passphrase = await r.witnessPassphrase(userName);
  let witness: Caller;
  try {
    witness = await r.service.signIn({ tenant: r.operator.account, userName, passphrase, region: r.operator.region, source: r.source });
  } catch (e) {
    // the sign-in's own message names no one (it must not say whether the user exists); here the witness is the script's
    const err = toKmsError(e);
    throw new KmsError(err.name, `Witness ${userName} could not confirm step '${mark.Step}': ${err.message}`);
  }
  try {
    await r.service.callInternal(witness, confirmStep, mark);
  } finally {
    r.service.signOut(witness);
  }
  return { userName, arn: witness.arn, at: new Date(clock()).toISOString() };
}

async function describeFile(outDir: string, path: string): Promise<OutputFile> {
  const bytes = await readFile(path);
  return { path: outputName(outDir, path), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** One audited call reads the steps' records, completes the transcript and signs its index. */
async function sign(script: CeremonyScript, r: CeremonyRunner, startedAt: string, ran: Ran[], failure: TranscriptHeader['failure'], clock: () => number): Promise<Transcript> {
  const op = r.operator;
  let transcript: Transcript | undefined;
  const status = failure ? 'incomplete' : 'complete';
  const signOp = internalOperation({
    name: 'SignCeremonyTranscript',
    action: 'audit:SignCeremonyTranscript',
    summary: "Internal: signs a ceremony transcript's index with the tenant's audit signing key.",
    input: SignInput,
    output: SignOutput,
    handler: async (ctx) => {
      await ctx.authorize();
      const account = ctx.scope.account;
      const head = await ctx.audit.head(account);
      const first = ran.find((s) => s.head !== undefined)?.head ?? head;
      const records = await ctx.audit.records(account, first, head);
      const steps: StepRecord[] = ran.map((s, i) => {
        if (s.head === undefined) return { ...s.record, audit: { fromSeq: 0, toSeq: 0, records: [] } };
        const to = ran.slice(i + 1).find((n) => n.head !== undefined)?.head ?? head;
        return { ...s.record, audit: { fromSeq: s.head + 1, toSeq: to, records: records.filter((x) => x.seq > s.head! && x.seq <= to).map(recordRef) } };
      });
      const header: TranscriptHeader = {
        ceremony: script.ceremony,
        vaultId: r.vaultId,
        account,
        region: op.region,
        operator: { userName: op.userName, arn: op.arn },
        witnesses: script.witnesses.map((w) => ({ userName: w, arn: userArn(account, w) })),
        script: { sha256: script.sha256, format: script.format },
        startedAt,
        finishedAt: new Date(clock()).toISOString(),
        status,
        ...(failure ? { failure } : {}),
        auditPublicKey: await ctx.audit.publicKeyPem(account),
      };
      const index = transcriptIndex(header, steps);
      const signature = await ctx.audit.signStatement(account, index);
      transcript = { format: TRANSCRIPT_FORMAT, header, steps, index, signature };
      return { Ceremony: script.ceremony, Status: status, IndexSha256: digestHash(index) };
    },
  });
  await r.service.callInternal(op, signOp, { Ceremony: script.ceremony, Status: status, Steps: ran.length });
  return transcript!;
}

function recordRef(s: StoredRecord): AuditRecordRef {
  const e = JSON.parse(s.eventJson) as AuditEvent;
  return {
    seq: s.seq,
    eventID: e.eventID,
    eventName: e.eventName,
    ...(e.userIdentity.userName !== undefined ? { userName: e.userIdentity.userName } : {}),
    ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
    // a refused sign-in has no errorCode: CloudTrail's ConsoleLogin says Failure in its response (core/audit/sign-in-event.ts)
    ...(e.eventName === 'ConsoleLogin' && e.responseElements?.ConsoleLogin === 'Failure' ? { signIn: 'Failure' as const } : {}),
    hash: s.hash,
  };
}
