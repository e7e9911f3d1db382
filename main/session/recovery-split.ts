// The SplitRecoveryKey app operation (main/api/operations/app.ts; DESIGN
// §10): a new recovery key, the vault master key sealed under it as the
// vault's recovery record (custody/recovery-record.ts), and the key split
// M-of-N among named custodians, each share delivered as the custodian
// chose (custody/recovery/: a file sealed to their passphrase or age
// recipient, or words and a QR code to print; ssss lines for ssss-combine).
// The desktop app and `strongroom ceremony split` both run it.
//
// Order, so that nothing is half-done: every share file is written to a
// temporary file first; then the record is stored through the vault
// service as the signed-in operator administrator (authorized, and audited
// in the same transaction as the write); only then are the files renamed
// into place. A refusal leaves no file and the old split in force; once the
// new record is stored, the old split's shares no longer open the vault.
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { InputOf, OutputOf } from '../api/index.js';
import { GetRecoveryStatus as GetRecoveryStatusSpec, SplitRecoveryPlan } from '../api/operations/app.js';
import type { OpContext } from '../core/service/context.js';
import { accessDenied, validation } from '../core/errors.js';
import type { Caller } from '../core/service/caller.js';
import { internalOperation } from '../core/service/operation.js';
import type { Service } from '../core/service/service.js';
import { parseRecoveryRecord, recoveryAad, type RecoveryRecord } from '../custody/recovery-record.js';
import type { SplitCommitment } from '../custody/recovery/commitment.js';
import { sharePaper } from '../custody/recovery/paper.js';
import { sealShareToAgeRecipient, sealShareWithPassphrase } from '../custody/recovery/sealed-share.js';
import { describeShare, decodeShare } from '../custody/recovery/share-record.js';
import { newRecoveryKey, splitRecoveryKey } from '../custody/recovery/shares.js';
import { splitRecoveryKeySsss } from '../custody/recovery/ssss.js';
import { checkPaths, openOutput, type Output } from '../files/outputs.js';

type Input = InputOf<'SplitRecoveryKey'>;
type Custodian = Input['Custodians'][number];

const SplitStored = z.object({ SplitId: z.string(), Scheme: z.string(), Threshold: z.number(), Count: z.number(), Custodians: z.array(z.string()) });

export async function splitRecovery(service: Pick<Service, 'callInternal'>, caller: Caller, vaultId: string, input: Input, outDir: string): Promise<OutputOf<'SplitRecoveryKey'>> {
  const scheme = input.Scheme ?? 'strongroom';
  const count = input.Custodians.length;
  const recoveryKey = newRecoveryKey();
  const outputs: { output: Output; path: string }[] = [];
  try {
    // the shares, and each custodian's files, written to temporary files
    let commitment: SplitCommitment;
    const shares: OutputOf<'SplitRecoveryKey'>['Shares'] = [];
    if (scheme === 'ssss') {
      const split = splitRecoveryKeySsss(vaultId, recoveryKey, input.Threshold, count);
      commitment = split.commitment;
      for (const [i, c] of input.Custodians.entries()) {
        const text = ssssSheet(c.Name, i + 1, input.Threshold, count, vaultId, split.lines[i]!);
        shares.push({ Custodian: c.Name, Index: i + 1, Delivery: 'paper', Files: [await stage(outputs, join(outDir, `${c.Name}.ssss.txt`), text)] });
      }
    } else {
      const split = await splitRecoveryKey(vaultId, recoveryKey, input.Threshold, count);
      commitment = split.commitment;
      for (const [i, c] of input.Custodians.entries()) {
        shares.push({ Custodian: c.Name, Index: i + 1, Delivery: c.Delivery, Files: await deliver(outputs, outDir, c, split.shares[i]!) });
      }
    }

    // the record, through the service: operator administrators only, audited with the write
    const record: RecoveryRecord = {
      version: 1,
      commitment,
      custodians: input.Custodians.map((c) => c.Name),
      createdAt: new Date().toISOString(),
      wrappedVmk: '',
    };
    const store = internalOperation({
      name: 'SplitRecoveryKey',
      action: 'vault:SplitRecoveryKey',
      approvable: true,
      summary: 'Internal: stores the recovery record of a new split.',
      // the split as planned, never a passphrase, a share or the key: what an approval request holds and
      // its approvers see (approval-gate.ts), so a held re-split is approved as "these custodians, this
      // threshold, these deliveries, this folder"
      input: SplitRecoveryPlan,
      output: SplitStored,
      handler: async (ctx) => {
        await operatorOnly(ctx);
        const sealed = ctx.materials.sealVaultKey(recoveryKey, recoveryAad(vaultId, commitment.splitId));
        await ctx.write((tx) => tx.putRecoveryRecord(JSON.stringify({ ...record, wrappedVmk: sealed.toString('base64') })));
        return { SplitId: commitment.splitId, Scheme: commitment.scheme, Threshold: input.Threshold, Count: count, Custodians: record.custodians };
      },
    });
    const plan: z.input<typeof SplitRecoveryPlan> = {
      Scheme: scheme,
      Threshold: input.Threshold,
      Custodians: input.Custodians.map((c) => ({ Name: c.Name, Delivery: c.Delivery, ...(c.Delivery === 'age' ? { AgeRecipient: c.AgeRecipient } : {}) })),
      OutDir: outDir,
    };
    await service.callInternal(caller, store, plan, input.ApprovalRequestId);

    for (const o of outputs) await o.output.commit();
    return { VaultId: vaultId, SplitId: commitment.splitId, Scheme: scheme, Threshold: input.Threshold, Count: count, Shares: shares };
  } finally {
    recoveryKey.fill(0);
    for (const o of outputs) await o.output.discard(); // a no-op once committed
  }
}

/** The vault's recovery split, as GetRecoveryStatus shows it: never a share or the sealed key. */
export async function recoveryStatus(service: Service, caller: Caller, vaultId: string): Promise<OutputOf<'GetRecoveryStatus'>> {
  const read = internalOperation({
    ...GetRecoveryStatusSpec,
    handler: async (ctx) => {
      await operatorOnly(ctx);
      const json = await ctx.repo.recoveryRecord();
      if (json === undefined) return {};
      const r = parseRecoveryRecord(json, vaultId);
      const c = r.commitment;
      return {
        Split: { SplitId: c.splitId, Scheme: c.scheme === 'ssss-0.5' ? ('ssss' as const) : ('strongroom' as const), Threshold: c.threshold, Count: c.count, Custodians: r.custodians, CreationDate: new Date(r.createdAt) },
      };
    },
  });
  return (await service.callInternal(caller, read, {})) as OutputOf<'GetRecoveryStatus'>;
}

/** The recovery key opens every tenant: only administrators of the operator tenant split it or read its state. */
async function operatorOnly(ctx: OpContext): Promise<void> {
  if (ctx.scope.account !== (await ctx.operatorAccount())) {
    throw accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: ${ctx.action}: the recovery key opens every tenant, so only operator administrators manage it.`);
  }
  await ctx.authorize();
}

/** A custodian's files for their share record, staged. */
async function deliver(outputs: { output: Output; path: string }[], outDir: string, c: Custodian, record: Buffer): Promise<string[]> {
  try {
    switch (c.Delivery) {
      case 'passphrase':
        return [await stage(outputs, join(outDir, `${c.Name}.share`), await sealShareWithPassphrase(record, c.Passphrase))];
      case 'age':
        return [await stage(outputs, join(outDir, `${c.Name}.share.age`), await sealShareToAgeRecipient(record, c.AgeRecipient))];
      case 'paper': {
        const paper = sharePaper(record);
        const sheet = `# Strongroom recovery share for ${c.Name}: ${describeShare(decodeShare(record))}.\n# Type these words back in with 'strongroom ceremony recover', or scan the QR code.\n\n${paper.text}`;
        return [await stage(outputs, join(outDir, `${c.Name}.paper.txt`), sheet), await stage(outputs, join(outDir, `${c.Name}.qr.svg`), paper.qrSvg)];
      }
    }
  } finally {
    record.fill(0);
  }
}

/** The printed form of an ssss share: the line, and how to recover without Strongroom. */
function ssssSheet(name: string, index: number, threshold: number, count: number, vaultId: string, line: string): string {
  return (
    `Strongroom recovery share for ${name}: share ${index} of ${count} (${threshold} needed), vault ${vaultId}, ssss form.\n` +
    `Without Strongroom: ${threshold} custodians each type their line into \`ssss-combine -x -t ${threshold}\` (Debian package ssss);\n` +
    `it prints the recovery key in hex. With Strongroom: 'strongroom ceremony recover'.\n\n${line}\n`
  );
}

/** Writes `text` to a temporary file beside `path`, refusing a path that exists (a share file is never overwritten). */
async function stage(outputs: { output: Output; path: string }[], path: string, text: string): Promise<string> {
  if (await lstat(path).then(() => true, () => false)) throw validation(`${path} exists: a share file is never overwritten. Move it away or choose another folder.`);
  const output = await openOutput({ path }, await checkPaths(undefined, path));
  outputs.push({ output, path });
  const bytes = Buffer.from(text, 'utf8');
  await output.sink.write([bytes], bytes.length);
  await output.sink.flush();
  return path;
}
