// Recovery from shares (issue 13, `strongroom ceremony recover`): a vault
// whose master key the keychain no longer holds (a new machine with the
// vault folder, a wiped keychain, a forgotten vault passphrase) is opened
// with any M of its custodians' shares, and its custody re-established on
// this machine: a keychain entry, or a new vault passphrase.
//
// Nothing changes until everything is checked: the shares against the
// split's commitment (each bad one named), the recovered key against the
// sealed master key, the recovery record against its row MAC under that
// master key. Then the new custody record and its MAC are written in one
// transaction, the vault is opened as any open does (every row MAC, the
// audit chain), and the recovery is recorded in every tenant's trail.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KmsError } from '../core/errors.js';
import type { SourceType } from '../core/audit/event.js';
import { vaultSubkey } from '../core/crypto/subkeys.js';
import { RowMac } from '../core/integrity/row-mac.js';
import { openVmkWithShares, parseRecoveryRecord, splitInfo, type GivenShares, type RecoverySplitInfo, type RecoveryRecord } from '../custody/recovery-record.js';
import { keepVaultMasterKey, type CustodyChoice } from '../custody/vault-master-key.js';
import { Database } from '../store/sqlite.js';
import { DB_FILE } from './paths.js';
import { openVault } from './vault.js';

export interface Recovered {
  vaultId: string;
  splitId: string;
  custody: CustodyChoice['kind'];
}

/**
 * What the vault says of its recovery split, read before anything is
 * recovered, so the custodians can be asked by name and a share of another
 * vault or an earlier split refused before anyone types a passphrase. The
 * record's MAC cannot be checked yet (it needs the master key), so this is
 * for asking, not for deciding: recoverCustody checks everything again.
 */
export async function readRecoverySplit(dir: string): Promise<RecoverySplitInfo> {
  const db = await openDb(dir);
  try {
    const { vaultId, record } = await readRecovery(db, dir);
    return splitInfo(record, vaultId);
  } finally {
    await db.close();
  }
}

async function openDb(dir: string): Promise<Database> {
  const path = join(dir, DB_FILE);
  if (!existsSync(path)) throw new KmsError('NotFoundException', `There is no vault in ${dir}.`);
  return Database.open(path, { create: false });
}

/** The vault's id, metadata and recovery record (parsed, not yet authenticated). */
async function readRecovery(db: Database, dir: string): Promise<{ vaultId: string; meta: Map<string, string>; json: string; record: RecoveryRecord }> {
  const meta = new Map((await db.all<{ name: string; value: string }>('SELECT name, value FROM vault_meta')).map((r) => [r.name, r.value]));
  const vaultId = meta.get('vault_id');
  const json = meta.get('recovery');
  if (!vaultId) throw new KmsError('KMSInvalidStateException', `The vault in ${dir} is incomplete (no vault id).`);
  if (!json) throw new KmsError('KMSInvalidStateException', `Vault ${vaultId} has no recovery shares: they are made with 'strongroom ceremony split' while the vault still opens.`);
  return { vaultId, meta, json, record: parseRecoveryRecord(json, vaultId) };
}

export async function recoverCustody(dir: string, shares: GivenShares, custody: CustodyChoice, source: SourceType = 'cli'): Promise<Recovered> {
  const db = await openDb(dir);
  let undo: (() => Promise<void>) | undefined;
  let recovered: Recovered;
  try {
    const { vaultId, meta, json, record } = await readRecovery(db, dir);
    const { commitment } = record;
    const vmk = await openVmkWithShares(record, shares, vaultId);
    try {
      const rowMac = new RowMac(vaultSubkey(vmk, vaultId, 'row-mac'));
      RowMac.check(rowMac.recovery(json), meta.has('recovery_mac') ? Buffer.from(meta.get('recovery_mac')!, 'base64') : undefined, 'The recovery record');
      const kept = await keepVaultMasterKey(vaultId, vmk, custody);
      undo = kept.undo;
      const custodyJson = JSON.stringify(kept.record);
      await db.transaction(async (sql) => {
        await sql.run("INSERT OR REPLACE INTO vault_meta (name, value) VALUES ('custody', ?), ('custody_mac', ?)", [custodyJson, rowMac.custody(vaultId, custodyJson).toString('base64')]);
      });
    } finally {
      vmk.fill(0);
    }
    recovered = { vaultId, splitId: commitment.splitId, custody: custody.kind };
  } catch (e) {
    await undo?.().catch(() => undefined);
    throw e;
  } finally {
    await db.close();
  }

  // opened as any open is, then recorded where each tenant's auditor looks
  const vault = await openVault(dir, custody.kind === 'passphrase' ? { vaultPassphrase: async () => custody.passphrase } : {});
  try {
    await vault.service.recordVaultEvent(
      'RecoverVaultCustody',
      { vaultId: recovered.vaultId, splitId: recovered.splitId, scheme: 'ssssLines' in shares ? 'ssss' : 'strongroom', sharesGiven: 'records' in shares ? shares.records.length : shares.ssssLines.length, custody: custody.kind },
      source,
    );
  } finally {
    await vault.close();
  }
  return recovered;
}
