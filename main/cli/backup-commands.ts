// `strongroom backup create` and `strongroom backup restore` (main/backup;
// the format in docs/backup-format.md):
//
//   backup create --out FILE [--approval-request-id ID]
//       signs in (an administrator of the operator tenant, as every command
//       signs in) and writes a sealed backup of the whole vault to FILE,
//       atomically. It opens with the vault's master key and, when the vault
//       has a recovery split (`ceremony split`), with any M of that split's
//       custodians' shares, on a machine that never held the master key.
//       Where approval rules hold backup:CreateBackup, the first run leaves
//       an approval request and no file; once approved, its requester runs
//       the same command with --approval-request-id.
//   backup restore --in FILE [--share FILE …] [--share-words …] [--identity AGE_ID_FILE …]
//                  [--share-passphrase-file NAME=PATH …] [--passphrase-only]
//       restores the backup into the vault directory (--vault or
//       STRONGROOM_VAULT, which must hold no vault). With shares, the backup
//       is opened by the recovery quorum: the shares are read as `ceremony
//       recover` reads them (share-input.ts), the custodians asked by the
//       names the backup's header gives, and a share of another vault or
//       split refused before anyone types a passphrase. Without shares it is
//       opened with the vault's master key: this machine's keychain, or the
//       vault passphrase (STRONGROOM_VAULT_PASSPHRASE or a prompt). The
//       restored vault keeps its master key in this machine's keychain, or
//       with --passphrase-only under a vault passphrase
//       (STRONGROOM_VAULT_PASSPHRASE, or asked twice).
//
// Exit codes as every command: 0, 252 usage, 254 refused (`An error occurred
// (InvalidCiphertextException) when calling the RestoreBackup operation: …`).
import { resolve } from 'node:path';
import { isKmsError, validation } from '../core/errors.js';
import type { CustodyChoice } from '../custody/vault-master-key.js';
import type { CommandHost } from './cli-io.js';
import type { BackupCommand } from './command-groups.js';
import { ENV, newPassphrase, vaultPassphrase } from './credentials.js';
import { applyQuery, formatOutput, toJson } from './format-output.js';
import { wrap } from './help-text.js';
import { optionTokens } from './option-tokens.js';
import { openSession } from './session.js';
import { gatherShares, givesShares, nameShares, noShareOptions, readShareFiles, SHARE_OPTION_HELP, SHARE_SYNOPSIS, shareOption, type GatheredShares, type ShareFiles, type ShareOptions } from './share-input.js';
import { EXIT, UsageError } from './usage-error.js';


const OPERATION: Record<BackupCommand, string> = { 'backup create': 'CreateBackup', 'backup restore': 'RestoreBackup' };

const option = (name: string, text: string) => `  ${name}\n${wrap(text, 6)}\n`;

export const BACKUP_HELP: Record<BackupCommand, string> = {
  'backup create':
    'usage: strongroom [global options] backup create --out FILE [--approval-request-id ID]\n\n' +
    `${wrap(
      'Writes a consistent, sealed backup of the whole vault (every tenant) to FILE, atomically (docs/backup-format.md). Only administrators of the ' +
        "operator tenant may; the backup is recorded in that tenant's audit trail. It opens with the vault's master key and, when the vault has a " +
        "recovery split ('strongroom ceremony split'), with any M of that split's custodians' shares, on any machine: its KeySlots are then " +
        '["vmk", "recovery"]. A later split does not change which shares open a backup made before it.',
      0,
    )}\n\n` +
    option(
      '--approval-request-id',
      "Runs this approved request. Where the tenant's approval rules hold backup:CreateBackup, the first run leaves an approval request and writes " +
        'no file; once its approvers have approved it, its requester runs the same command again with the request id.',
    ),
  'backup restore':
    `usage: strongroom [global options] backup restore --in FILE ${SHARE_SYNOPSIS[0]}\n       ${SHARE_SYNOPSIS[1]}\n       ${SHARE_SYNOPSIS[2]} [--passphrase-only]\n\n` +
    `${wrap(
      'Restores a backup into the vault directory (--vault / STRONGROOM_VAULT), which must hold no vault. The whole backup is verified before ' +
        'anything is written; a damaged, cut or extended backup is refused (InvalidCiphertextException) and nothing is left behind. With shares, ' +
        "the backup is opened by the recovery quorum: any M custodians' shares of the split the backup names (its custodians are asked by name; a " +
        "share of another vault or split is refused before anyone types a passphrase). Without shares it is opened with the vault's master key (this " +
        "machine's keychain, or STRONGROOM_VAULT_PASSPHRASE). The restored vault keeps its master key in this machine's keychain, or with " +
        "--passphrase-only under a vault passphrase (STRONGROOM_VAULT_PASSPHRASE, or asked twice). Every tenant's audit trail gets a RestoreBackup " +
        'record naming the backup and what opened it (OpenedWith VaultMasterKey or RecoveryShares).',
      0,
    )}\n\n` +
    SHARE_OPTION_HELP.map((o) => option(o.name, o.text)).join('') +
    option('--passphrase-only', "Keep the restored vault's master key under a vault passphrase instead of in this machine's OS keychain."),
};

interface BackupArgs {
  help: boolean;
  out?: string;
  in?: string;
  approvalRequestId?: string;
  shares: ShareOptions;
  passphraseOnly: boolean;
}

function parseArgs(command: BackupCommand, tokens: readonly string[]): BackupArgs {
  const args: BackupArgs = { help: false, shares: noShareOptions(), passphraseOnly: false };
  for (const t of optionTokens(tokens, command)) {
    if (t.help) return { ...args, help: true };
    if (command === 'backup create' && t.name === '--out') args.out = t.value();
    else if (command === 'backup create' && t.name === '--approval-request-id') args.approvalRequestId = t.value();
    else if (command === 'backup restore' && t.name === '--in') args.in = t.value();
    else if (command === 'backup restore' && t.name === '--passphrase-only') {
      t.flag();
      args.passphraseOnly = true;
    } else if (!(command === 'backup restore' && shareOption(args.shares, t, command))) throw new UsageError(`Unknown options: ${t.token}`, command);
  }
  if (command === 'backup create' && args.out === undefined) throw new UsageError('the following arguments are required: --out', command);
  if (command === 'backup restore' && args.in === undefined) throw new UsageError('the following arguments are required: --in', command);
  const { identities, passphraseFiles } = args.shares;
  if (!givesShares(args.shares) && (identities.length > 0 || passphraseFiles.size > 0)) {
    throw new UsageError(`argument ${identities.length > 0 ? '--identity' : '--share-passphrase-file'}: it opens shares, and no share is given (--share or --share-words)`, command);
  }
  return args;
}

export async function runBackupCommand(command: BackupCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  let args: BackupArgs;
  let files: ShareFiles | undefined;
  try {
    args = parseArgs(command, tokens);
    // the share files are read before anything else: one that cannot be read is a usage error
    if (!args.help && givesShares(args.shares)) files = readShareFiles(args.shares, io.cwd, command);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`\n${BACKUP_HELP[command]}\nstrongroom: error: ${e.message}\n`);
      return EXIT.usage;
    }
    if (isKmsError(e)) return host.serviceError(e, OPERATION[command]);
    throw e;
  }
  if (args.help) {
    io.stdout(BACKUP_HELP[command]);
    return EXIT.ok;
  }
  // The real vault module, never a stand-in (CliIo.vault): a backup needs the vault itself, its master key included.
  const vaults = await import('../vault/vault.js');
  const busy = host.globals.lockTimeoutMs !== undefined ? { busyTimeoutMs: host.globals.lockTimeoutMs } : {};
  let given: GatheredShares | undefined;
  try {
    let result: unknown;
    if (command === 'backup create') {
      const { createBackup } = await import('../backup/create.js');
      const session = await openSession(vaults, { env: io.env, globals: host.globals, prompt: host.prompt, dir: host.vaultDir(vaults), log: host.log });
      try {
        const approved = args.approvalRequestId !== undefined ? { approvalRequestId: args.approvalRequestId } : {};
        result = await createBackup(session.vault, session.caller, { outPath: resolve(io.cwd, args.out!), ...approved, ...busy });
      } finally {
        await session.vault.close().catch((e) => host.log('closing the vault failed', e));
      }
    } else {
      const { backupRecoverySplit, restoreBackup } = await import('../backup/restore.js');
      const inPath = resolve(io.cwd, args.in!);
      if (files) {
        // the custodians are asked by the names the backup's recovery record gives
        const split = await backupRecoverySplit(inPath);
        if (!split) {
          throw validation(`${args.in} is a backup made while its vault had no recovery split: no custodian's shares open it. Restore it with the vault's master key (give no --share).`);
        }
        given = await gatherShares(files, split, host, 'backup');
      }
      const custody: CustodyChoice = args.passphraseOnly
        ? { kind: 'passphrase', passphrase: await newPassphrase(io.env, host.prompt, ENV.vaultPassphrase, 'vault passphrase') }
        : { kind: 'keychain' };
      try {
        result = await restoreBackup({
          inPath,
          dir: host.vaultDir(vaults),
          ...(given ? { shares: given.shares } : {}),
          vaultPassphrase: () => vaultPassphrase(io.env, host.prompt),
          custody,
          source: 'cli',
          ...busy,
          service: { log: host.log },
        });
      } catch (e) {
        throw given ? nameShares(e, given.labels) : e;
      }
    }
    io.stdout(formatOutput(applyQuery(toJson(result), host.globals.query), host.globals.output));
    return EXIT.ok;
  } catch (e) {
    if (isKmsError(e)) return host.serviceError(e, OPERATION[command]);
    throw e;
  } finally {
    given?.wipe();
  }
}
