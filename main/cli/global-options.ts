// Options accepted anywhere on the command line, before or after the
// command, as the AWS CLI's global options are. They say which vault, which
// tenant/user/region to sign in as, and how to print the result.
import { OUTPUT_FORMATS, type OutputFormat } from './format-output.js';
import type { BinaryFormat } from './parse-values.js';
import { resolveOption } from './option-prefix.js';
import { UsageError } from './usage-error.js';

interface GlobalOptionDef {
  readonly option: string;
  /** placeholder of the value; absent for flags */
  readonly value?: string;
  readonly choices?: readonly string[];
  readonly env?: string;
  readonly help: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOptionDef[] = [
  { option: '--vault', value: 'DIR', env: 'STRONGROOM_VAULT', help: 'The vault directory. Default: the per-user app data directory.' },
  { option: '--tenant', value: 'ACCOUNT', env: 'STRONGROOM_TENANT', help: 'The tenant (12-digit account id or tenant name) to sign in to. Default: the first tenant.' },
  { option: '--user', value: 'NAME', env: 'STRONGROOM_USER', help: 'The user to sign in as. Default: admin.' },
  { option: '--region', value: 'REGION', env: 'STRONGROOM_REGION', help: 'The region whose keys to use. Default: local-1.' },
  { option: '--output', value: 'FORMAT', choices: OUTPUT_FORMATS, help: 'Output format, as the AWS CLI v2 prints it: json (default), text, table, yaml or yaml-stream.' },
  { option: '--query', value: 'JMESPATH', help: 'A JMESPath query applied to the response before it is printed.' },
  {
    option: '--cli-binary-format',
    value: 'FORMAT',
    choices: ['base64', 'raw-in-base64-out'],
    help: 'How blob values given inline are read: base64 (default) or raw-in-base64-out (the text itself).',
  },
  {
    option: '--lock-timeout',
    value: 'SECONDS',
    env: 'STRONGROOM_LOCK_TIMEOUT',
    help: 'How long to wait while another program (the desktop app, another command) holds the vault locked, before failing with DependencyTimeoutException. Default: 10.',
  },
  { option: '--no-paginate', help: 'Make one call to a paginated operation instead of fetching every page.' },
  { option: '--no-cli-pager', help: 'Accepted for compatibility with the AWS CLI; Strongroom never pages output.' },
  { option: '--debug', help: 'Print internal errors in full on stderr.' },
  { option: '--version', help: 'Print the version and exit.' },
];

export interface GlobalOptions {
  readonly vault?: string;
  readonly tenant?: string;
  readonly user: string;
  readonly region: string;
  readonly output: OutputFormat;
  readonly query?: string;
  readonly binaryFormat: BinaryFormat;
  /** --lock-timeout in ms, when given */
  readonly lockTimeoutMs?: number;
  readonly paginate: boolean;
  readonly debug: boolean;
  readonly version: boolean;
}

interface SplitCommandLine {
  readonly globals: GlobalOptions;
  /** everything that is not a global option, in order */
  readonly rest: readonly string[];
}

const byName = new Map(GLOBAL_OPTIONS.map((d) => [d.option, d]));
const GLOBAL_NAMES = GLOBAL_OPTIONS.map((d) => d.option);

export const isGlobalOption = (option: string): boolean => byName.has(option);

/**
 * Takes the global options out of argv (anywhere on the line) and fills in
 * environment defaults. A global option may be shortened to an unambiguous
 * prefix (`--out text`), as the AWS CLI's main parser reads it, before the
 * command's own options are looked at (so `--de` is --debug there too); only
 * an exact option of the command (`encrypt-file --out`), which `ownOptions`
 * names from the words before it, is left to the command.
 */
export function splitGlobalOptions(argv: readonly string[], env: NodeJS.ProcessEnv, ownOptions?: (before: readonly string[]) => readonly string[]): SplitCommandLine {
  const raw = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const typed = eq > 0 ? token.slice(0, eq) : token;
    const own = typed.startsWith('--') && ownOptions?.(rest).includes(typed) === true;
    const def = own ? undefined : byName.get(resolveOption(typed, GLOBAL_NAMES, token) ?? '');
    if (!def) {
      rest.push(token);
      continue;
    }
    const name = def.option;
    if (def.value === undefined) {
      if (eq > 0) throw new UsageError(`${name} does not take a value`);
      raw.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`argument ${name}: expected one argument`);
      i++;
    }
    if (def.choices && !def.choices.includes(value)) {
      throw new UsageError(`argument ${name}: Invalid choice '${value}', valid choices are: ${def.choices.join(', ')}`);
    }
    raw.set(name, value);
  }
  const str = (option: string): string | undefined => {
    const v = raw.get(option);
    if (typeof v === 'string') return v;
    const fromEnv = byName.get(option)?.env;
    const e = fromEnv ? env[fromEnv] : undefined;
    return e === undefined || e === '' ? undefined : e;
  };
  const vault = str('--vault');
  const tenant = str('--tenant');
  const query = str('--query');
  const lockTimeout = str('--lock-timeout');
  const lockTimeoutMs = lockTimeout === undefined ? undefined : parseLockTimeout(lockTimeout);
  return {
    globals: {
      ...(vault !== undefined ? { vault } : {}),
      ...(tenant !== undefined ? { tenant } : {}),
      user: str('--user') ?? 'admin',
      region: str('--region') ?? 'local-1',
      output: (str('--output') ?? 'json') as OutputFormat,
      ...(query !== undefined ? { query } : {}),
      binaryFormat: (str('--cli-binary-format') ?? 'base64') as BinaryFormat,
      ...(lockTimeoutMs !== undefined ? { lockTimeoutMs } : {}),
      paginate: !raw.has('--no-paginate'),
      debug: raw.has('--debug'),
      version: raw.has('--version'),
    },
    rest,
  };
}

/** Longest --lock-timeout: a day; anything longer is a typo, not a wait. */
const LOCK_TIMEOUT_MAX_S = 86_400;

/** Seconds (as the AWS CLI's --cli-read-timeout counts), decimals allowed, 0 = do not wait; to whole ms. */
function parseLockTimeout(value: string): number {
  const seconds = /^\d{1,6}(\.\d{1,3})?$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 0 && seconds <= LOCK_TIMEOUT_MAX_S)) {
    throw new UsageError(`argument --lock-timeout (or STRONGROOM_LOCK_TIMEOUT): expected a number of seconds from 0 to ${LOCK_TIMEOUT_MAX_S}, got '${value}'`);
  }
  return Math.round(seconds * 1000);
}
