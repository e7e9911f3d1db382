// Backing a vault up (DESIGN §10, issue 13): a consistent snapshot of the
// whole database (SQLite's online backup API, store/snapshot.ts), sealed so
// that it opens only with the vault master key or, when the vault has a
// recovery split, the custodians' quorum of shares (key-slots.ts: the
// snapshot's own recovery record, its row MAC checked), as seal.ts and
// docs/backup-format.md say, and written atomically to a file.
//
// Who may: an administrator of the operator tenant. The vault holds every
// tenant, and only the operator's administrators act on the vault as a whole
// (as they alone manage tenants, core/operations/tenants.ts).
//
// The backup is a call like any other: CreateBackup, an internal operation
// (core/service/operation.ts: in no adapter's reach by name) run through the
// vault service as the signed-in administrator, so it is authorized, and
// recorded (allowed or refused) in the operator tenant's trail, the trail of
// the one who acted. The other tenants' trails get nothing now: a backup
// changes nothing in their accounts and opens only with keys the operator
// holds already; the day it becomes a vault, the restore records itself in
// every tenant's trail, naming this backup's SHA-256, which this record
// holds too.
//
// Order: the snapshot and the sealed file (a temporary file beside the
// destination) are made inside the call; the call's record is durable
// before the file is renamed into place, so no backup exists without its
// record. The snapshot (a private file in the vault directory, which is as
// private as the database it copies) is removed whatever happens.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { OutputOf } from '../api/index.js';
import { CreateBackup as CreateBackupSpec } from '../api/operations/app.js';
import type { Caller } from '../core/service/caller.js';
import { internalOperation } from '../core/service/operation.js';
import { accessDenied, KmsError, validation } from '../core/errors.js';
import { checkSegmentSize } from '../files/format.js';
import { checkPaths, openOutput } from '../files/outputs.js';
import { snapshotDatabase } from '../store/snapshot.js';
import { DB_FILE, dbFiles } from '../vault/paths.js';
import type { Vault } from '../vault/vault.js';
import { parseCustodyRecord } from '../custody/vault-master-key.js';
import { recoverySlot } from './key-slots.js';
import { sealBackup } from './seal.js';

export interface CreateBackupOptions {
  /** where the backup goes: a regular file, replaced atomically if it exists */
  outPath: string;
  /** how long to wait for another program's lock on the vault, in ms */
  busyTimeoutMs?: number;
  /** plaintext bytes per segment, 64 KiB to 1 MiB; default 1 MiB (files/format.ts) */
  segmentSize?: number;
  /** runs this approved request (where approval rules hold backup:CreateBackup, the first call leaves one) */
  approvalRequestId?: string;
}

export type BackupCreated = OutputOf<'CreateBackup'>;

/** Backs the vault up as `caller` (an operator administrator). Resolves once the backup is in place. */
export async function createBackup(vault: Vault, caller: Caller, opts: CreateBackupOptions): Promise<BackupCreated> {
  if (opts.segmentSize !== undefined) checkSegmentSize(opts.segmentSize);
  const outPath = resolve(opts.outPath);
  const database = join(vault.dir, DB_FILE);
  // the destination is checked (and its temporary file made) before the call: a bad path costs no audited call
  const dest = await checkPaths(database, outPath);
  if (dest.device) throw validation(`${outPath} is not a regular file: a backup is written to a file, atomically.`);
  const output = await openOutput({ path: outPath }, dest);
  const snapshotPath = join(vault.dir, `.${DB_FILE}.backup-${randomUUID()}`);
  const busy = opts.busyTimeoutMs !== undefined ? { busyTimeoutMs: opts.busyTimeoutMs } : {};
  try {
    const op = internalOperation({
      name: 'CreateBackup',
      action: 'backup:CreateBackup',
      approvable: true,
      // it changes nothing in the vault (CloudTrail's readOnly)
      readOnly: true,
      summary: 'Internal: writes a sealed, consistent backup of the whole vault to a file.',
      input: z.object({ OutPath: z.string() }).strict(),
      output: CreateBackupSpec.output,
      async handler(ctx) {
        const operator = await ctx.operatorAccount();
        if (ctx.scope.account !== operator) {
          throw accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: ${ctx.action}: only administrators of the operator tenant back up the vault, which holds every tenant.`);
        }
        await ctx.authorize();
        const snapshot = await snapshotDatabase(database, snapshotPath, busy);
        if (snapshot.vaultId !== vault.vaultId) throw new KmsError('KMSInternalException', `The snapshot names vault ${snapshot.vaultId}, not ${vault.vaultId}.`);
        const createdAt = new Date(ctx.now).toISOString();
        const vmk = vault.masterKey.export();
        let sealed;
        try {
          sealed = await sealBackup(
            {
              snapshotPath,
              vaultId: vault.vaultId,
              createdAt,
              schemaVersion: snapshot.schemaVersion,
              custody: parseCustodyRecord(JSON.parse(snapshot.custody)),
              vmk,
              // the vault's recovery split as the snapshot holds it: a backup opens with the shares of the split in force when it was made
              ...(snapshot.recovery !== undefined ? { recovery: recoverySlot(snapshot.recovery, vmk, vault.vaultId) } : {}),
              ...(opts.segmentSize !== undefined ? { segmentSize: opts.segmentSize } : {}),
            },
            output.sink,
          );
        } finally {
          vmk.fill(0);
        }
        await output.sink.flush();
        return {
          OutPath: outPath,
          VaultId: vault.vaultId,
          CreatedAt: createdAt,
          SchemaVersion: snapshot.schemaVersion,
          Bytes: sealed.bytes,
          Sha256: sealed.sha256,
          KeySlots: sealed.header.keySlots.recovery ? ['vmk' as const, 'recovery' as const] : ['vmk' as const],
        };
      },
    });
    const result = (await vault.service.callInternal(caller, op, { OutPath: outPath }, opts.approvalRequestId)) as BackupCreated;
    await output.commit();
    return result;
  } finally {
    await output.discard(); // a no-op once committed; otherwise nothing half-written is left
    await Promise.all(dbFiles(snapshotPath).map((f) => rm(f, { force: true })));
  }
}
