// The desktop's recovery operations (main/api/operations/app.ts; issue 13),
// what `strongroom ceremony recover` and `strongroom backup restore --share`
// do on the command line, with the same checks and the same messages:
//
//   DescribeRecoverySplit  the split the custodians are asked by: the
//                          vault's (its recovery record) or a backup's (its header);
//   RecoverVaultCustody    M shares re-establish the vault's custody on
//                          this machine (vault/recover-custody.ts), then it opens;
//   RestoreBackup          the first run: a backup restored into the empty
//                          vault directory (backup/restore.ts), then it opens.
//
// Shares are read and opened by custody/recovery/share-forms.ts, as the CLI
// reads them: each form told from its content, checked against the split
// (a share of another vault or split is refused before it is opened), a
// bad one named by its file or as "share N (typed)". The secrets that open
// them (custodians' passphrases, age identities, typed words) come in the
// input and go nowhere else: never into an error, a log or a record.
// These run before anyone signs in (there is no vault to sign in to), so
// each runs only while no vault is open (VaultHost.whileClosed).
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { InputOf, OutputOf } from '../api/index.js';
import type { CallSource } from '../core/service/caller.js';
import { KmsError, validation } from '../core/errors.js';
import type { RecoverySplitInfo } from '../custody/recovery-record.js';
import { MAX_SHARE_FILE, nameShares, openShares, recogniseShare, type GivenShare, type OpenedShares } from '../custody/recovery/share-forms.js';
import type { ShareTarget } from '../custody/recovery/shares.js';
import type { CustodyChoice } from '../custody/vault-master-key.js';
import { fsError } from '../files/sources.js';
import type { VaultHost } from './vault-host.js';

type ShareInput = InputOf<'RecoverVaultCustody'>['Shares'][number];

const splitShape = (s: RecoverySplitInfo): OutputOf<'DescribeRecoverySplit'> => ({
  VaultId: s.vaultId,
  SplitId: s.splitId,
  Scheme: s.scheme,
  Threshold: s.threshold,
  Count: s.count,
  Custodians: s.custodians,
});

export async function describeRecoverySplit(host: VaultHost, cwd: string, input: InputOf<'DescribeRecoverySplit'>): Promise<OutputOf<'DescribeRecoverySplit'>> {
  if (input.BackupPath === undefined) return splitShape(await vaultSplit(host.dir));
  return splitShape(await backupSplit(resolve(cwd, input.BackupPath), input.BackupPath));
}

export async function recoverVaultCustody(host: VaultHost, cwd: string, input: InputOf<'RecoverVaultCustody'>, source: CallSource): Promise<void> {
  const custody = custodyOf(input);
  await host.whileClosed(async () => {
    // vault/ loads SQLite: imported when used, as the CLI does
    const { recoverCustody } = await import('../vault/recover-custody.js');
    const split = await vaultSplit(host.dir);
    const given = await openGiven(input.Shares, split, 'vault', cwd);
    try {
      await recoverCustody(host.dir, given.shares, custody, source);
    } catch (e) {
      throw nameShares(e, given.labels);
    } finally {
      given.wipe();
    }
  });
  await host.open(custody.kind === 'passphrase' ? custody.passphrase : undefined);
}

export async function restoreVaultBackup(host: VaultHost, cwd: string, input: InputOf<'RestoreBackup'>, source: CallSource) {
  const custody = custodyOf(input);
  const inPath = resolve(cwd, input.InPath);
  const restored = await host.whileClosed(async () => {
    if (host.exists) throw new KmsError('AlreadyExistsException', `A vault already exists in ${host.dir}: a backup is restored only where there is none.`);
    const { restoreBackup } = await import('../backup/restore.js');
    let given: OpenedShares | undefined;
    if (input.Shares !== undefined) {
      const split = await backupSplit(inPath, input.InPath);
      given = await openGiven(input.Shares, split, 'backup', cwd);
    }
    const { busyTimeoutMs, service } = host.openOptions;
    try {
      return await restoreBackup({
        inPath,
        dir: host.dir,
        ...(given ? { shares: given.shares } : {}),
        vaultPassphrase: async () => {
          if (input.SourceVaultPassphrase === undefined) throw new KmsError('AccessDeniedException', "This backup's vault kept its master key under a passphrase: give that vault passphrase, or the custodians' shares.");
          return input.SourceVaultPassphrase;
        },
        custody,
        source,
        ...(busyTimeoutMs !== undefined ? { busyTimeoutMs } : {}),
        ...(service ? { service } : {}),
      });
    } catch (e) {
      throw given ? nameShares(e, given.labels) : e;
    } finally {
      given?.wipe();
    }
  });
  await host.open(custody.kind === 'passphrase' ? custody.passphrase : undefined);
  return { OpenedWith: restored.OpenedWith, Accounts: restored.Accounts, Backup: restored.Backup };
}

/** The custody a desktop form chose (CreateVault, RecoverVaultCustody, RestoreBackup): the OS keychain, or a new vault passphrase. */
export const custodyOf = (input: { Custody: 'keychain' | 'passphrase'; VaultPassphrase?: string | undefined }): CustodyChoice =>
  input.Custody === 'passphrase' ? { kind: 'passphrase', passphrase: input.VaultPassphrase! } : { kind: 'keychain' };

async function vaultSplit(dir: string): Promise<RecoverySplitInfo> {
  const { readRecoverySplit } = await import('../vault/recover-custody.js');
  return readRecoverySplit(dir);
}

async function backupSplit(path: string, given: string): Promise<RecoverySplitInfo> {
  const { backupRecoverySplit } = await import('../backup/restore.js');
  const split = await backupRecoverySplit(path);
  if (!split) throw validation(`${given} is a backup made while its vault had no recovery split: no custodian's shares open it. Restore it with its vault's master key.`);
  return split;
}

/** The shares read (files) or taken (words), recognised, checked against the split and opened, each with its own secret. */
async function openGiven(shares: readonly ShareInput[], split: RecoverySplitInfo, subject: ShareTarget, cwd: string): Promise<OpenedShares> {
  const given: { share: GivenShare; secret: { passphrase?: string; ageIdentity?: string } }[] = [];
  for (const [i, s] of shares.entries()) {
    const share = s.Path !== undefined ? recogniseShare(s.Path, await readShareFile(resolve(cwd, s.Path), s.Path)) : recogniseShare(`share ${i + 1} (typed)`, Buffer.from(s.Words!, 'utf8'));
    given.push({ share, secret: { ...(s.Passphrase !== undefined ? { passphrase: s.Passphrase } : {}), ...(s.AgeIdentity !== undefined ? { ageIdentity: s.AgeIdentity } : {}) } });
  }
  return openShares(given, split, subject);
}

async function readShareFile(path: string, given: string): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fsError(e, given, 'read');
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw validation(`${given} is not a regular file: give a share file.`);
    if (st.size > MAX_SHARE_FILE) throw validation(`${given} is larger than any share file (${MAX_SHARE_FILE} bytes): give a share file, an ssss line or a paper share's words.`);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}
