// The step types a ceremony script may use, one entry each (STEP_KINDS):
// the fields the step takes besides id, type and confirm, the earlier steps
// it refers to, and how it runs. Each runs through the operations any caller
// uses (service.call, or the app operation's own function), as the
// signed-in operator, so it is authorized and audited like any call.
// A step type is added by adding one entry.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { CONTRACT, type InputOf } from '../api/index.js';
import { PUBLIC_KEY_FORMATS } from '../api/enums.js';
import type { JsonObject } from '../core/audit/event.js';
import type { Caller } from '../core/service/caller.js';
import { createBackup } from '../backup/create.js';
import { KmsError, validation } from '../core/errors.js';
import type { Service } from '../core/service/service.js';
import type { Vault } from '../vault/vault.js';
import { savePublicKey } from '../session/public-key-files.js';
import { splitRecovery } from '../session/recovery-split.js';

/** What a running step may use. */
export interface StepContext {
  readonly service: Pick<Service, 'call' | 'callInternal'>;
  /** the operator, signed in */
  readonly caller: Caller;
  readonly vaultId: string;
  /** where the step's files go (the script's relative paths are inside it) */
  readonly outDir: string;
  /** where a script's own relative paths (PassphraseFile) start */
  readonly scriptDir: string;
  /** the vault itself, for a step that acts on all of it (backup); absent where the runner has only its service */
  readonly vault?: Vault;
  /** the key id an earlier create-key step made, or the reference as written (an alias, a key id or ARN) */
  keyOf(ref: string): string;
}

/** What a step did: a summary of its outputs, and the files it wrote (absolute paths). */
export interface StepResult {
  outputs: JsonObject;
  files: string[];
}

export interface StepKind<F extends z.ZodRawShape = z.ZodRawShape> {
  /** the step's own fields, besides id, type and confirm */
  readonly fields: F;
  /** one line for help texts and errors */
  readonly summary: string;
  /** earlier steps a field refers to, by id (checked when the script is read) */
  refs?(step: z.output<z.ZodObject<F>>): string[];
  run(ctx: StepContext, step: z.output<z.ZodObject<F>>): Promise<StepResult>;
}

const kind = <F extends z.ZodRawShape>(k: StepKind<F>): StepKind<F> => k;

/** A path inside the ceremony's output folder: relative, with no '..'. */
const OutPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !isAbsolute(p) && !normalize(p).split(/[\\/]/).includes('..'), { message: "must be a path inside the output folder: relative, without '..'" });

/** A key reference: an earlier create-key step's id, an alias, a key id or a key ARN. */
const KeyRef = z.string().min(1).max(2048);
const looksLikeKey = (ref: string) => ref.startsWith('alias/') || ref.startsWith('arn:') || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);

const createKey = kind({
  summary: 'creates a key (CreateKey) with an optional alias (CreateAlias)',
  fields: {
    ...CONTRACT.CreateKey.input.shape,
    Policy: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
    Alias: CONTRACT.CreateAlias.input.shape.AliasName.optional(),
  },
  async run(ctx, step) {
    const { Alias, Policy, ...rest } = step;
    const input: InputOf<'CreateKey'> = { ...rest, ...(Policy !== undefined ? { Policy: typeof Policy === 'string' ? Policy : JSON.stringify(Policy) } : {}) };
    const { KeyMetadata: m } = await ctx.service.call(ctx.caller, 'CreateKey', input);
    if (Alias !== undefined) await ctx.service.call(ctx.caller, 'CreateAlias', { AliasName: Alias, TargetKeyId: m.KeyId });
    return {
      outputs: { KeyId: m.KeyId, Arn: m.Arn ?? null, KeySpec: m.KeySpec ?? null, KeyUsage: m.KeyUsage ?? null, ...(Alias !== undefined ? { AliasName: Alias } : {}) },
      files: [],
    };
  },
});

const exportPublicKey = kind({
  summary: "writes an asymmetric key's public key to a file (SavePublicKey)",
  fields: { Key: KeyRef, Format: z.enum(PUBLIC_KEY_FORMATS), Out: OutPath },
  refs: (step) => (looksLikeKey(step.Key) ? [] : [step.Key]),
  async run(ctx, step) {
    const path = resolve(ctx.outDir, step.Out);
    const r = await savePublicKey(ctx.service, ctx.caller, { KeyId: ctx.keyOf(step.Key), Format: step.Format, OutPath: path }, path);
    return { outputs: { KeyId: r.KeyId, Format: r.Format, Fingerprint: r.Fingerprint, FingerprintType: r.FingerprintType }, files: [path] };
  },
});

/** A custodian as a script names them: a passphrase comes from a file beside the script, never from the script itself. */
const ScriptCustodian = z.discriminatedUnion('Delivery', [
  z.object({ Name: z.string(), Delivery: z.literal('passphrase'), PassphraseFile: z.string().min(1).max(4096) }).strict(),
  z.object({ Name: z.string(), Delivery: z.literal('age'), AgeRecipient: z.string().min(1).max(4096) }).strict(),
  z.object({ Name: z.string(), Delivery: z.literal('paper') }).strict(),
]);

const splitRecoveryStep = kind({
  summary: 'splits the vault recovery key M-of-N among custodians (SplitRecoveryKey)',
  fields: {
    Threshold: z.number().int(),
    Custodians: z.array(ScriptCustodian).min(1).max(16),
    Scheme: z.enum(['strongroom', 'ssss']).optional(),
    OutDir: OutPath.optional(),
  },
  async run(ctx, step) {
    const outDir = resolve(ctx.outDir, step.OutDir ?? '.');
    await mkdir(outDir, { recursive: true });
    const custodians: InputOf<'SplitRecoveryKey'>['Custodians'] = [];
    for (const c of step.Custodians) {
      if (c.Delivery !== 'passphrase') custodians.push(c);
      else custodians.push({ Name: c.Name, Delivery: 'passphrase', Passphrase: await passphraseFile(resolve(ctx.scriptDir, c.PassphraseFile), c.Name) });
    }
    // SplitRecoveryKey's own schema: its refinements (M ≤ N, names, ssss on paper) name what is wrong
    const parsed = CONTRACT.SplitRecoveryKey.input.safeParse({ Threshold: step.Threshold, Custodians: custodians, ...(step.Scheme ? { Scheme: step.Scheme } : {}), OutDir: outDir });
    if (!parsed.success) throw validation(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const r = await splitRecovery(ctx.service as Service, ctx.caller, ctx.vaultId, parsed.data, outDir);
    return {
      outputs: { SplitId: r.SplitId, Scheme: r.Scheme, Threshold: r.Threshold, Count: r.Count, Custodians: r.Shares.map((s) => ({ Custodian: s.Custodian, Index: s.Index, Delivery: s.Delivery })) },
      files: r.Shares.flatMap((s) => s.Files),
    };
  },
});

const verifyAudit = kind({
  summary: "verifies the tenant's stored audit trail (VerifyEvents); a trail that does not verify stops the ceremony",
  fields: {},
  async run(ctx) {
    const r = await ctx.service.call(ctx.caller, 'VerifyEvents', {});
    if (!r.Valid) throw new KmsError('KMSInvalidStateException', `The audit trail does not verify: ${r.Summary}`);
    return { outputs: { Valid: r.Valid, Records: r.Records, Digests: r.Digests, SignedThrough: r.SignedThrough }, files: [] };
  },
});

const backup = kind({
  summary: 'writes a sealed backup of the whole vault to a file (CreateBackup; operator administrators only)',
  fields: { Out: OutPath },
  async run(ctx, step) {
    if (!ctx.vault) throw new KmsError('KMSInvalidStateException', 'This ceremony runs without the vault itself at hand, only its service: a backup step cannot run here.');
    const path = resolve(ctx.outDir, step.Out);
    await mkdir(dirname(path), { recursive: true });
    const r = await createBackup(ctx.vault, ctx.caller, { outPath: path });
    // the file's SHA-256 and size go into the transcript as every output file's do (run.ts)
    return { outputs: { VaultId: r.VaultId, CreatedAt: r.CreatedAt, SchemaVersion: r.SchemaVersion, Bytes: r.Bytes, Sha256: r.Sha256, KeySlots: r.KeySlots }, files: [path] };
  },
});

export const STEP_KINDS = {
  'create-key': createKey,
  'export-public-key': exportPublicKey,
  'split-recovery': splitRecoveryStep,
  'verify-audit': verifyAudit,
  backup,
} as const satisfies Record<string, StepKind<any>>;

export type StepType = keyof typeof STEP_KINDS;
export const STEP_TYPES = Object.keys(STEP_KINDS) as StepType[];
export const isStepType = (t: unknown): t is StepType => typeof t === 'string' && Object.hasOwn(STEP_KINDS, t);

/** The largest passphrase file read: a passphrase is a line. */
const MAX_PASSPHRASE_FILE = 4096;

/** A custodian's passphrase from its file: the first line, without its line ending. */
async function passphraseFile(path: string, name: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw validation(`Cannot read the passphrase file of custodian ${name} (${path}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (text.length > MAX_PASSPHRASE_FILE) throw validation(`The passphrase file of custodian ${name} (${path}) is longer than a passphrase can be.`);
  return text.split(/\r?\n/)[0]!;
}

/** A file the ceremony wrote, named relative to the output folder ('/' separated, as the transcript records it). */
export function outputName(outDir: string, path: string): string {
  return relative(outDir, path).split(sep).join('/');
}
