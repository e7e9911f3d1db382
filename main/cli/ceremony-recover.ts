// `strongroom ceremony recover`: re-establishes a vault's custody on this
// machine from M of its custodians' recovery shares (vault/recover-custody.ts
// does it and records it in every tenant's trail). It opens no session and
// signs no one in: it is what runs when the vault no longer opens (a new
// machine, a lost keychain entry, a forgotten vault passphrase).
//
//   ceremony recover --share FILE [--share FILE …] [--share-words …] [--identity AGE_ID_FILE …]
//                    [--share-passphrase-file NAME=PATH …] [--passphrase-custody]
//
// The shares are read as `backup restore` reads them (share-input.ts): each
// FILE's form told from its content; a passphrase-sealed share opened with
// its custodian's passphrase, asked on the terminal naming the custodian
// (the vault's recovery record has the names), or read from
// --share-passphrase-file NAME=PATH; an age share with the --identity
// files; paper words from a file, or typed (--share-words). The command
// line, the files and the vault's split are checked before anyone is asked
// for anything; a share of another vault or an earlier split is refused
// before its custodian types a passphrase.
import type { CommandHost } from './cli-io.js';
import { ENV, newPassphrase } from './credentials.js';
import { applyQuery, formatOutput } from './format-output.js';
import { optionTokens } from './option-tokens.js';
import { gatherShares, givesShares, nameShares, noShareOptions, readShareFiles, shareOption, type ShareOptions } from './share-input.js';
import { EXIT, UsageError } from './usage-error.js';
import { loadVaultApi, type Custody } from './vault-api.js';
import { RECOVER_COMMAND } from './command-groups.js';

export const RECOVER_SYNOPSIS = [
  `${RECOVER_COMMAND} --share <file> [--share <file> ...]`,
  '    [--share-words] [--identity <age-identity-file> ...]',
  '    [--share-passphrase-file <name>=<path> ...] [--passphrase-custody]',
];

interface RecoverArgs {
  help: boolean;
  shares: ShareOptions;
  passphraseCustody: boolean;
}

export async function runRecover(tokens: readonly string[], host: CommandHost): Promise<number | 'help'> {
  const { io } = host;
  const args = parseRecoverArgs(tokens);
  if (args.help) return 'help';
  const files = readShareFiles(args.shares, io.cwd, RECOVER_COMMAND);

  const api = io.vault ?? (await loadVaultApi());
  const dir = host.vaultDir(api);
  // vault/ loads SQLite: imported only when a vault is needed, as vault-api.ts does
  const { readRecoverySplit, recoverCustody } = await import('../vault/recover-custody.js');
  const split = await readRecoverySplit(dir);
  const given = await gatherShares(files, split, host, 'vault');
  try {
    const custody: Custody = args.passphraseCustody
      ? { kind: 'passphrase', passphrase: await newPassphrase(io.env, host.prompt, ENV.newVaultPassphrase, 'vault passphrase') }
      : { kind: 'keychain' };
    let recovered;
    try {
      recovered = await recoverCustody(dir, given.shares, custody, 'cli');
    } catch (e) {
      throw nameShares(e, given.labels);
    }
    const out = { VaultId: recovered.vaultId, SplitId: recovered.splitId, Custody: recovered.custody };
    io.stdout(formatOutput(applyQuery(out, host.globals.query), host.globals.output));
    return EXIT.ok;
  } finally {
    given.wipe();
  }
}

function parseRecoverArgs(tokens: readonly string[]): RecoverArgs {
  const args: RecoverArgs = { help: false, shares: noShareOptions(), passphraseCustody: false };
  for (const t of optionTokens(tokens, RECOVER_COMMAND)) {
    if (t.help) return { ...args, help: true };
    if (shareOption(args.shares, t, RECOVER_COMMAND)) continue;
    if (t.name !== '--passphrase-custody') throw new UsageError(`Unknown options: ${t.token}`, RECOVER_COMMAND);
    t.flag();
    args.passphraseCustody = true;
  }
  if (!givesShares(args.shares)) throw new UsageError('the following arguments are required: --share (or --share-words)', RECOVER_COMMAND);
  return args;
}
