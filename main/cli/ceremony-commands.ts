// `strongroom ceremony split` and `strongroom ceremony recover` (issue 13,
// docs/recovery-shares.md): the vault's recovery key split M-of-N among
// named custodians, and custody re-established from any M of their shares.
// ceremony-split.ts and ceremony-recover.ts run them; this file routes the
// group, prints its help and turns failures into the CLI's exit codes
// (usage 252 with the command's usage, service errors 254).
import { isKmsError } from '../core/errors.js';
import { RECOVER_SYNOPSIS, runRecover } from './ceremony-recover.js';
import { runSplit, SPLIT_SYNOPSIS } from './ceremony-split.js';
import { CEREMONY_GROUP, RECOVER_COMMAND, SPLIT_COMMAND, type CeremonyCommand } from './command-groups.js';
import { SHARE_OPTION_HELP } from './share-input.js';
import type { CommandHost } from './cli-io.js';
import { ENV } from './credentials.js';
import { BUILTIN_COMMANDS, HELP_HINT, PROGRAM, wrap } from './help-text.js';
import { EXIT, UsageError } from './usage-error.js';

const GROUP = CEREMONY_GROUP;

/** The operation named in `An error occurred (X) when calling the Y operation` (the audit trail's event names). */
const OPERATION = { [SPLIT_COMMAND]: 'SplitRecoveryKey', [RECOVER_COMMAND]: 'RecoverVaultCustody' } as const;

export async function runCeremonyCommand(command: CeremonyCommand, tokens: readonly string[], host: CommandHost): Promise<number> {
  const { io } = host;
  const isHelp = tokens.length === 1 && ['help', '--help', '-h'].includes(tokens[0]!);
  if (command === GROUP || command === `${GROUP} help`) {
    if (command === `${GROUP} help` ? tokens.length === 0 : isHelp) {
      io.stdout(ceremonyHelp(command));
      return EXIT.ok;
    }
    return usageError(host, command, command === GROUP ? `${GROUP} needs a command: split or recover` : `Unknown options: ${tokens.join(', ')}`);
  }
  try {
    const run = command === SPLIT_COMMAND ? runSplit : runRecover;
    const code = await run(tokens, host);
    if (code === 'help') {
      io.stdout(ceremonyHelp(command));
      return EXIT.ok;
    }
    return code;
  } catch (e) {
    if (e instanceof UsageError) return usageError(host, command, e.message);
    if (isKmsError(e)) return host.serviceError(e, OPERATION[command]);
    throw e;
  }
}

function usageError(host: CommandHost, command: CeremonyCommand, message: string): number {
  host.io.stderr(`\n${ceremonyUsage(command)}\n\n${PROGRAM}: error: ${message}\n`);
  return EXIT.usage;
}

// ---------------------------------------------------------------- help

function synopsis(command: CeremonyCommand): string[] {
  const head = `${PROGRAM} [global options] `;
  const split = SPLIT_SYNOPSIS.map((l, i) => (i === 0 ? head + l : l));
  const recover = RECOVER_SYNOPSIS.map((l, i) => (i === 0 ? head + l : l));
  if (command === SPLIT_COMMAND) return split;
  if (command === RECOVER_COMMAND) return recover;
  return [...split, ...recover];
}

function ceremonyUsage(command: CeremonyCommand): string {
  const [first, ...rest] = synopsis(command);
  const hint = command === SPLIT_COMMAND || command === RECOVER_COMMAND ? HELP_HINT(command) : HELP_HINT(GROUP);
  return [`usage: ${first}`, ...rest.map((l) => `       ${l}`), '', hint].join('\n');
}

/** The one-line summaries `strongroom help` lists (help-text.ts's BUILTIN_COMMANDS). */
const summary = (command: typeof SPLIT_COMMAND | typeof RECOVER_COMMAND): string => BUILTIN_COMMANDS.find((c) => c.command === command)?.summary ?? '';

const opt = (name: string, kind: string, required: boolean, text: string): string[] => [`  ${name} (${kind}) [${required ? 'required' : 'optional'}]`, wrap(text, 6), ''];

const SPLIT_HELP = [
  'DESCRIPTION',
  wrap(
    "Makes a new recovery key for the vault, seals the vault master key under it, and splits it among the custodians so that any M of them " +
      "recover the vault and fewer learn nothing. Each custodian's share is written to --out-dir as their delivery says; a new split " +
      "revokes the shares of the one before. Runs as the signed-in user, who must be an administrator of the operator tenant, and is " +
      'audited. A refused split writes no file. The forms are described in docs/recovery-shares.md.',
    2,
  ),
  '',
  'OPTIONS',
  ...opt('--threshold', 'integer', true, 'M: how many shares recover the vault, from 2 to the number of custodians.'),
  ...opt(
    '--custodian',
    'string',
    true,
    'One custodian, repeated for each (2 to 16): NAME=paper (45 words to print, NAME.paper.txt, and their QR code, NAME.qr.svg); ' +
      'NAME=age:RECIPIENT (NAME.share.age, sealed to their age1… recipient); NAME=passphrase (NAME.share, sealed under a passphrase the ' +
      "custodian types twice on the terminal, not echoed); NAME=passphrase-file:PATH (the same, the passphrase being the first line of PATH, " +
      "for scripted ceremonies). NAME is 1-64 letters, digits, '.', '_' or '-'. A passphrase is never given on the command line.",
  ),
  ...opt('--out-dir', 'string', true, 'The folder the share files are written to (created, private, if missing). An existing share file is never overwritten.'),
  ...opt('--scheme', 'string', false, "strongroom (default): shares with a checksum, in any delivery. ssss: one line per custodian that Debian's ssss-combine recovers without Strongroom (NAME.ssss.txt); every custodian's delivery must be paper."),
  ...opt(
    '--approval-request-id',
    'string',
    false,
    "Runs this approved request. Where the tenant's approval rules hold vault:SplitRecoveryKey, the first run leaves an approval request " +
      'and writes no share; once its approvers have approved it, its requester runs the same command again with the request id.',
  ),
  'OUTPUT',
  wrap('VaultId, SplitId, Scheme, Threshold, Count, and Shares: for each custodian their Custodian name, share Index, Delivery and Files. Never a share.', 2),
  '',
];

const RECOVER_HELP = [
  'DESCRIPTION',
  wrap(
    'Opens the vault in --vault (a global option) with any M of its custodians\' shares and puts its master key in custody on this machine: ' +
      'the OS keychain, or with --passphrase-custody a new vault passphrase. For a machine whose keychain lacks the vault\'s entry, or a ' +
      'forgotten vault passphrase; no one signs in. Every share is checked against the split the vault recorded, and a bad one is named; with ' +
      'fewer than M good shares nothing is changed. The recovery is recorded in every tenant\'s audit trail.',
    2,
  ),
  '',
  'OPTIONS',
  ...SHARE_OPTION_HELP.flatMap((o) => opt(o.name, o.kind, false, o.text)),
  ...opt('--passphrase-custody', 'boolean', false, `Keep the master key under a new vault passphrase (from ${ENV.newVaultPassphrase}, else asked twice on the terminal) instead of in the OS keychain.`),
  'OUTPUT',
  '  VaultId (string)',
  '  SplitId (string) the split whose shares recovered the vault',
  '  Custody (string) keychain or passphrase',
  '',
];

const GROUP_HELP = [
  'COMMANDS',
  `  split`,
  wrap(summary(SPLIT_COMMAND), 6),
  `  recover`,
  wrap(summary(RECOVER_COMMAND), 6),
  '',
  wrap(`\`${PROGRAM} ${SPLIT_COMMAND} help\` and \`${PROGRAM} ${RECOVER_COMMAND} help\` describe each. The README's "Recovery shares" section has a worked example.`, 2),
  '',
];

export function ceremonyHelp(command: CeremonyCommand): string {
  const name = command === SPLIT_COMMAND || command === RECOVER_COMMAND ? command : GROUP;
  const text =
    command === SPLIT_COMMAND || command === RECOVER_COMMAND
      ? summary(command)
      : "Recovery shares: the vault's recovery key split M-of-N among custodians, and the vault recovered from M of them.";
  const body = command === SPLIT_COMMAND ? SPLIT_HELP : command === RECOVER_COMMAND ? RECOVER_HELP : GROUP_HELP;
  return ['NAME', `  ${name} -`, wrap(text, 4), '', 'SYNOPSIS', ...synopsis(command).map((l) => `  ${l}`), '', ...body].join('\n');
}
