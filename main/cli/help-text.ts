// Help and usage texts, derived from the operation table: every command with
// its summary, and for each operation every option with its type, whether it
// is required, and the description its schema carries.
import { reviewOf } from './approval-review.js';
import { OPERATION_EXTRA_OPTIONS } from './command-options.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { askedFor, COMMON_OPTIONS, PAGING_OPTIONS, type OperationCommand } from './operation-commands.js';
import { valueSyntax } from './parse-values.js';
import { describeShape, fieldsOf, type Field, type Shape } from './schema-shapes.js';

export const PROGRAM = 'strongroom';

interface BuiltinCommand {
  readonly command: string;
  readonly summary: string;
}

export const BUILTIN_COMMANDS: readonly BuiltinCommand[] = [
  { command: 'init', summary: 'Creates a vault, its first tenant and that tenant\'s administrator user "admin".' },
  { command: 'start', summary: 'Starts Strongroom (for now: explains how to use the command line).' },
  { command: 'login', summary: 'Checks the passphrase once and keeps a session in the OS keychain, so that commands need none until it ends (--duration, default 1h, at most 12h).' },
  { command: 'logout', summary: 'Ends the login session kept for this vault, tenant and user.' },
  { command: 'help', summary: 'Lists the commands; `strongroom <command> help` describes one.' },
  { command: 'completion', summary: 'Prints a bash or zsh completion script: eval "$(strongroom completion bash)".' },
  { command: 'encrypt-file', summary: 'Encrypts files of any size under a key (envelope encryption, streamed; docs/file-format.md).' },
  { command: 'decrypt-file', summary: 'Decrypts a Strongroom file (the key is found from its header), or an age file sent to an exported recipient.' },
  { command: 'audit export', summary: "Exports the tenant's audit trail as JSONL with signed digests (--out FILE)." },
  { command: 'audit verify', summary: 'Verifies the stored audit trail, or an export offline (--file FILE --public-key PEM).' },
  { command: 'ceremony split', summary: "Splits the vault's recovery key M-of-N among named custodians, one share file each (operator administrators)." },
  { command: 'ceremony recover', summary: "Re-establishes the vault's custody on this machine from M custodians' shares (no sign-in needed)." },
  { command: 'ceremony run', summary: 'Runs a ceremony script step by step with its witnesses, and writes its signed transcript (--transcript OUT).' },
  { command: 'ceremony verify', summary: 'Verifies a ceremony transcript offline, naming a changed step (--public-key PEM).' },
  { command: 'backup create', summary: 'Writes a sealed, consistent backup of the whole vault (--out FILE; operator administrators only).' },
  { command: 'backup restore', summary: "Restores a backup into an empty vault directory, verifying all of it first (--in FILE; --share FILE ... to open it with the recovery custodians' shares)." },
  { command: 'configure set', summary: 'Sets a setting (vault, tenant, user, region, output) of a profile in the config file.' },
  { command: 'configure get', summary: "Prints a setting of a profile from the config file." },
  { command: 'configure list', summary: 'Lists the settings in use, with where each came from (command line, environment, profile, default).' },
  { command: 'configure list-profiles', summary: 'Lists the profiles of the config file.' },
];

/** Word-wraps `text` to `width` columns, each line indented by `indent`. */
export function wrap(text: string, indent: number, width = 79): string {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && pad.length + line.length + 1 + word.length > width) {
        lines.push(pad + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(pad + line);
  }
  return lines.join('\n');
}

/** Two columns; a first column wider than `maxColumn` puts its text on the next line. */
const table = (rows: readonly (readonly [string, string])[], indent = 2, maxColumn = 26): string => {
  const w = Math.min(Math.max(...rows.map(([a]) => a.length)) + 2, maxColumn);
  return rows
    .map(([a, b]) => {
      const body = wrap(b, indent + w);
      return a.length + 2 <= w ? `${' '.repeat(indent)}${a.padEnd(w)}${body.trimStart()}` : `${' '.repeat(indent)}${a}\n${body}`;
    })
    .join('\n');
};

export const HELP_HINT = (command?: string): string =>
  [`To see help text, you can run:`, ``, `  ${PROGRAM} help`, command ? `  ${PROGRAM} ${command} help` : `  ${PROGRAM} <command> help`].join('\n');

function globalOptionsHelp(defaultVault: string): string {
  return table(
    GLOBAL_OPTIONS.map((g) => {
      const name = g.value ? `${g.option} ${g.value}` : g.option;
      const env = g.env ? ` (env ${g.env})` : '';
      const help = g.option === '--vault' ? g.help.replace('the per-user app data directory', defaultVault) : g.help;
      return [name, `${help}${env}`] as const;
    }),
  );
}

const ENVIRONMENT: readonly (readonly [string, string])[] = [
  ['STRONGROOM_PASSPHRASE', "The user's passphrase. Without it, Strongroom uses the user's `login` session if one is kept, else asks on the terminal (never as an option). When set, it wins over a login session."],
  ['STRONGROOM_VAULT_PASSPHRASE', 'The vault passphrase of a vault created with `init --passphrase-only`; without it, asked on the terminal.'],
  ['STRONGROOM_NEW_PASSPHRASE', 'The new passphrase for operations that set one (create-login-profile, change-password, update-login-profile --password, …); without it, asked twice on the terminal.'],
  ['STRONGROOM_NEW_VAULT_PASSPHRASE', 'The new vault passphrase `ceremony recover --passphrase-custody` sets; without it, asked twice on the terminal.'],
  ['STRONGROOM_VAULT, _TENANT, _USER, _REGION, _LOCK_TIMEOUT', 'Defaults for --vault, --tenant, --user, --region and --lock-timeout.'],
  ['STRONGROOM_PROFILE', 'The profile of the config file to use, as --profile.'],
  ['STRONGROOM_CONFIG_FILE', 'The config file (default: config in the per-user config directory; `strongroom configure help`).'],
];

export function generalHelp(commands: Iterable<OperationCommand>, defaultVault: string): string {
  return [
    `${PROGRAM} — an offline key vault with the commands of \`aws kms\``,
    '',
    'USAGE',
    `  ${PROGRAM} [global options] <command> [options]`,
    `  ${PROGRAM} <command> help`,
    '',
    '  As in the AWS CLI, a long option may be shortened to a prefix that names only it',
    '  (--tag-key for --tag-keys, --out for --output); global options are matched first.',
    '',
    'VAULT COMMANDS',
    table(BUILTIN_COMMANDS.map((c) => [c.command, c.summary] as const)),
    '',
    'OPERATIONS (the AWS operations, named as the AWS CLI names them)',
    table([...commands].map((c) => [c.command, c.op.summary] as const)),
    '',
    'GLOBAL OPTIONS (anywhere on the command line)',
    globalOptionsHelp(defaultVault),
    '',
    'ENVIRONMENT',
    table(ENVIRONMENT),
    '',
    'EXIT CODES',
    table([
      ['0', 'success'],
      ['252', 'the command line could not be parsed (unknown command or option, bad value, unreadable file), or a parameter failed the AWS CLI\'s own checks (`Parameter validation failed:` missing, too short, below its minimum, wrong type)'],
      ['254', 'the vault refused the request: `An error occurred (<Exception>) when calling the <Operation> operation: …`'],
      ['255', 'any other error'],
    ]),
    '',
  ].join('\n');
}

/** `--key-id <value>` or `[--key-id <value>]` */
function synopsisPart(f: Field): string {
  const name = f.negatedOption ? `${f.option} | ${f.negatedOption}` : f.option;
  const syntax = valueSyntax(f);
  const part = syntax ? `${name} ${syntax}` : name;
  return f.required ? part : `[${part}]`;
}

function synopsis(cmd: OperationCommand): string {
  const parts = [
    ...cmd.fields.map(synopsisPart),
    // an optional new passphrase is asked for by its option alone (see PASSPHRASES)
    ...cmd.passphraseFields.filter(askedFor).map((f) => `[${f.option}]`),
    `[${COMMON_OPTIONS.cliInputJson} <json | file://path>]`,
    `[${COMMON_OPTIONS.skeleton} [input | output]]`,
    ...(cmd.paging
      ? [`[${PAGING_OPTIONS.startingToken} <value>]`, `[${PAGING_OPTIONS.pageSize} <integer>]`, `[${PAGING_OPTIONS.maxItems} <integer>]`]
      : []),
    ...(OPERATION_EXTRA_OPTIONS[cmd.command] ?? []).map((o) => `[${o.synopsis}]`),
  ];
  return [`  ${PROGRAM} ${cmd.command}`, ...parts.map((p) => `      ${p}`)].join('\n');
}

function jsonSyntax(shape: Shape): string {
  switch (shape.kind) {
    case 'map':
      return `{"string": ${jsonSyntax(shape.value)}, ...}`;
    case 'list':
      return `[${jsonSyntax(shape.element)}, ...]`;
    case 'structure':
      return `{${shape.members.map((m) => `"${m.name}": ${jsonSyntax(m.shape)}`).join(', ')}}`;
    case 'string':
      return shape.choices ? shape.choices.map((c) => `"${c}"`).join('|') : '"string"';
    case 'blob':
      return '"base64"';
    case 'integer':
      return 'integer';
    default:
      return shape.kind;
  }
}

function howToGive(f: Field): string[] {
  const { shape } = f;
  switch (shape.kind) {
    case 'blob':
      return ['Give fileb://path for a file\'s bytes, file://path for a text file, or the bytes in base64.'];
    case 'string':
      return shape.choices ? [`Possible values: ${shape.choices.join(', ')}`] : [];
    case 'boolean':
      return [`${f.option} sets it to true, ${f.negatedOption} to false.`];
    case 'map':
      return ['Shorthand syntax:', '    key=value,key2=value2', 'JSON syntax (or file://path holding it):', `    ${jsonSyntax(shape)}`];
    case 'structure':
      return ['Shorthand syntax:', `    ${valueSyntax(f)}`, 'JSON syntax:', `    ${jsonSyntax(shape)}`];
    case 'list':
      if (shape.element.kind === 'structure') {
        return [
          'Shorthand syntax (one value per element):',
          `    ${valueSyntax(f)}`,
          'JSON syntax (or file://path holding it):',
          `    ${jsonSyntax(shape)}`,
        ];
      }
      return ['Give the values separated by spaces (or commas), or as a JSON list.', `JSON syntax: ${jsonSyntax(shape)}`];
    default:
      return [];
  }
}

function optionHelp(f: Field): string {
  const name = f.negatedOption ? `${f.option} | ${f.negatedOption}` : f.option;
  const head = `  ${name} (${describeShape(f.shape)}) [${f.required ? 'required' : 'optional'}]`;
  const body = [f.description, ...howToGive(f)].filter(Boolean);
  const lines = body.map((b) => (b.startsWith('    ') ? `      ${b}` : wrap(b, 6)));
  return [head, ...lines].join('\n');
}

function passphraseHelp(f: Field): string {
  const source =
    f.passphrase === 'current'
      ? 'The passphrase you signed in with (STRONGROOM_PASSPHRASE or the prompt).'
      : 'From STRONGROOM_NEW_PASSPHRASE, or asked twice on the terminal.';
  const lines = [`  ${f.name} (string) [${f.required ? 'required' : 'optional'}]`, wrap(f.description || source, 6)];
  if (askedFor(f)) lines.push(wrap(`Set only when the command says ${f.option}, which takes no value; without it, the passphrase is left as it is.`, 6));
  return lines.join('\n');
}

function outputHelp(cmd: OperationCommand): string {
  const lines: string[] = [];
  const walk = (fields: readonly Field[], depth: number) => {
    for (const f of fields) {
      lines.push(`${'  '.repeat(depth + 1)}${f.name} (${describeShape(f.shape)})`);
      const inner = f.shape.kind === 'structure' ? f.shape : f.shape.kind === 'list' && f.shape.element.kind === 'structure' ? f.shape.element : undefined;
      if (inner && inner.kind === 'structure') walk(inner.members, depth + 1);
    }
  };
  walk(fieldsOf(cmd.op.output), 0);
  return lines.length ? lines.join('\n') : '  None (prints nothing on success).';
}

export function operationHelp(cmd: OperationCommand): string {
  const review = reviewOf(cmd);
  return [
    'NAME',
    `  ${cmd.command} -`,
    wrap(cmd.op.summary, 4),
    '',
    'DESCRIPTION',
    wrap(
      `The AWS KMS ${cmd.op.name} operation, authorized by the IAM action ${cmd.op.action}. ` +
        `Binary values print as base64; use --output text --query <Field> | base64 --decode to get raw bytes.`,
      2,
    ),
    '',
    'SYNOPSIS',
    synopsis(cmd),
    '',
    'OPTIONS',
    ...(cmd.fields.length ? cmd.fields.map(optionHelp).join('\n\n').split('\n') : ['  None']),
    '',
    `  ${COMMON_OPTIONS.cliInputJson} (string) [optional]`,
    wrap(
      'The request as a JSON object with the AWS field names (a JSON string, or file://path). ' +
        'Options given on the command line override its values; blobs in it are base64.',
      6,
    ),
    '',
    `  ${COMMON_OPTIONS.skeleton} [input | output]`,
    wrap('Prints a JSON template of the request (input, the default) or of the response (output), and calls nothing.', 6),
    ...(OPERATION_EXTRA_OPTIONS[cmd.command] ?? []).flatMap((o) => ['', `  ${o.option} (string) [optional]`, wrap(o.help, 6)]),
    ...(cmd.paging
      ? [
          '',
          wrap(
            `This operation is paginated: the CLI fetches every page and prints one merged ${cmd.paging.resultKey} list. ` +
              `${PAGING_OPTIONS.pageSize} sets the items per call, ${PAGING_OPTIONS.maxItems} caps the items printed ` +
              `(then a NextToken is printed), ${PAGING_OPTIONS.startingToken} resumes from a NextToken. ` +
              'Giving --limit or --marker, or --no-paginate, makes a single call instead.',
            2,
          ),
        ]
      : []),
    ...(cmd.passphraseFields.length ? ['', 'PASSPHRASES (never given on the command line)', cmd.passphraseFields.map(passphraseHelp).join('\n\n')] : []),
    ...(review ? ['', 'AT A TERMINAL', wrap(review.help, 2)] : []),
    '',
    'GLOBAL OPTIONS',
    `  See \`${PROGRAM} help\`.`,
    '',
    'OUTPUT',
    outputHelp(cmd),
    '',
  ].join('\n');
}

export function operationUsage(cmd: OperationCommand): string {
  const extras = (OPERATION_EXTRA_OPTIONS[cmd.command] ?? []).map((o) => `         [${o.synopsis}]`);
  return [`usage: ${PROGRAM} [global options] ${cmd.command}`, ...cmd.fields.map((f) => `         ${synopsisPart(f)}`), ...extras, '', HELP_HINT(cmd.command)].join('\n');
}

export function generalUsage(): string {
  return [`usage: ${PROGRAM} [global options] <command> [options]`, HELP_HINT()].join('\n');
}

export const INIT_HELP = [
  'NAME',
  '  init -',
  wrap(BUILTIN_COMMANDS[0]?.summary ?? '', 4),
  '',
  'SYNOPSIS',
  `  ${PROGRAM} init [--passphrase-only] [--tenant-name <value>]`,
  '',
  'DESCRIPTION',
  wrap(
    'Creates a vault in --vault DIR (or STRONGROOM_VAULT, or the per-user app data directory). ' +
      'The vault master key is kept in the operating system keychain, or with --passphrase-only, wrapped under a ' +
      'vault passphrase (from STRONGROOM_VAULT_PASSPHRASE or asked on the terminal) for machines with no keychain. ' +
      'The administrator passphrase (at least 8 characters) comes from STRONGROOM_PASSPHRASE or is asked on the ' +
      'terminal, twice. Prints the vault directory, the new account id and the custody.',
    2,
  ),
  '',
  'OPTIONS',
  '  --passphrase-only (boolean) [optional]',
  wrap('Wrap the vault master key under a vault passphrase instead of storing it in the OS keychain.', 6),
  '',
  '  --tenant-name (string) [optional]',
  wrap('A name for the first tenant; --tenant accepts it as well as the account id.', 6),
  '',
  'OUTPUT',
  '  VaultDirectory (string)',
  '  AccountId (string)',
  '  Custody (string) keychain or passphrase',
  '',
].join('\n');

export const START_TEXT = [
  'Strongroom keeps keys in a vault on this machine and offers the operations of AWS KMS.',
  'The desktop app is not available yet; use the command line, which works like `aws kms`:',
  '',
  `  export STRONGROOM_PASSPHRASE=…          # the administrator passphrase`,
  `  ${PROGRAM} init                         # once: creates the vault (add --passphrase-only without a keychain)`,
  `  ${PROGRAM} create-key --description "backups"`,
  `  ${PROGRAM} create-alias --alias-name alias/backups --target-key-id <KeyId from create-key>`,
  `  ${PROGRAM} encrypt --key-id alias/backups --plaintext fileb://secret.txt \\`,
  `      --output text --query CiphertextBlob | base64 --decode > secret.enc`,
  `  ${PROGRAM} decrypt --ciphertext-blob fileb://secret.enc \\`,
  `      --output text --query Plaintext | base64 --decode > secret.txt`,
  '',
  `\`${PROGRAM} help\` lists every command; \`${PROGRAM} <command> help\` describes one.`,
  '',
].join('\n');
