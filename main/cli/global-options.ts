// Options accepted anywhere on the command line, before or after the
// command, as the AWS CLI's global options are. They say which vault, which
// tenant/user/region to sign in as, and how to print the result. As in the
// AWS CLI, a setting comes from the command line, else its environment
// variable, else the profile (--profile, STRONGROOM_PROFILE, else [default])
// in the config file (config-file.ts), else its default.
import type { ConfigFile, SettingName } from './config-file.js';
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
  /** its key in a profile of the config file */
  readonly setting?: SettingName;
  readonly help: string;
}

export const GLOBAL_OPTIONS: readonly GlobalOptionDef[] = [
  { option: '--profile', value: 'NAME', env: 'STRONGROOM_PROFILE', help: 'The profile of the config file to take settings from (`strongroom configure help`). Default: [default].' },
  { option: '--vault', value: 'DIR', env: 'STRONGROOM_VAULT', setting: 'vault', help: 'The vault directory. Default: the per-user app data directory.' },
  { option: '--tenant', value: 'ACCOUNT', env: 'STRONGROOM_TENANT', setting: 'tenant', help: 'The tenant (12-digit account id or tenant name) to sign in to. Default: the first tenant.' },
  { option: '--user', value: 'NAME', env: 'STRONGROOM_USER', setting: 'user', help: 'The user to sign in as. Default: admin.' },
  { option: '--region', value: 'REGION', env: 'STRONGROOM_REGION', setting: 'region', help: 'The region whose keys to use. Default: local-1.' },
  { option: '--output', value: 'FORMAT', choices: OUTPUT_FORMATS, setting: 'output', help: 'Output format, as the AWS CLI v2 prints it: json (default), text, table, yaml or yaml-stream.' },
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

/** Where a setting's value came from, as `aws configure list` names it (Type, Location). */
export type SettingOrigin = { type: 'manual' | 'env' | 'config-file'; location: string };

interface SplitCommandLine {
  readonly globals: GlobalOptions;
  /** everything that is not a global option, in order */
  readonly rest: readonly string[];
  /** the config file read */
  readonly config: ConfigFile;
  /** the profile named by --profile or STRONGROOM_PROFILE, if any (it may not exist: `configure set` creates it) */
  readonly profile?: string;
  /** where each option's value came from, when it was not its default */
  readonly origins: ReadonlyMap<string, SettingOrigin>;
}

const NO_CONFIG: ConfigFile = { path: '', exists: false, lines: [], eol: '\n', profiles: new Map() };

const byName = new Map(GLOBAL_OPTIONS.map((d) => [d.option, d]));
const GLOBAL_NAMES = GLOBAL_OPTIONS.map((d) => d.option);

export const isGlobalOption = (option: string): boolean => byName.has(option);

/**
 * Takes the global options out of argv (anywhere on the line) and fills in
 * the rest from the environment, then from the profile in the config file
 * `readConfig` returns. A global option may be shortened to an unambiguous
 * prefix (`--out text`), as the AWS CLI's main parser reads it, before the
 * command's own options are looked at (so `--de` is --debug there too); only
 * an exact option of the command (`encrypt-file --out`), which `ownOptions`
 * names from the words before it, is left to the command.
 */
export function splitGlobalOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  readConfig: () => ConfigFile = () => NO_CONFIG,
  ownOptions?: (before: readonly string[]) => readonly string[],
): SplitCommandLine {
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
  const origins = new Map<string, SettingOrigin>();
  const given = (option: string): string | undefined => {
    const v = raw.get(option);
    if (typeof v === 'string') {
      origins.set(option, { type: 'manual', location: option });
      return v;
    }
    const fromEnv = byName.get(option)?.env;
    const e = fromEnv ? env[fromEnv] : undefined;
    if (e === undefined || e === '' || fromEnv === undefined) return undefined;
    origins.set(option, { type: 'env', location: fromEnv });
    return e;
  };
  const config = readConfig();
  const profile = given('--profile');
  const settings = config.profiles.get(profile ?? 'default')?.settings;
  const str = (option: string): string | undefined => {
    const v = given(option);
    if (v !== undefined) return v;
    const key = byName.get(option)?.setting;
    const s = key !== undefined ? settings?.get(key) : undefined;
    if (s === undefined) return undefined;
    origins.set(option, { type: 'config-file', location: config.path });
    return s.value;
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
    config,
    ...(profile !== undefined ? { profile } : {}),
    origins,
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
