// `strongroom configure set|get|list|list-profiles`, as `aws configure`'s
// subcommands of the same names (awscli/customizations/configure/) do them,
// over the config file config-file.ts reads:
//
//   configure [--profile NAME]                 asks for each setting at the terminal, as `aws configure` does
//   configure set KEY VALUE [--profile NAME]   writes KEY in the profile's section (created if missing)
//   configure get KEY [--profile NAME]         prints KEY's value in the config file; exit 1 if unset
//   configure list [--profile NAME]            each setting's value and where it came from
//   configure list-profiles                    the profiles the file holds, one a line
//
// KEY may also be `default.KEY` or `profile.NAME.KEY`, as for the AWS CLI.
// The file is rewritten atomically (files/outputs.ts: a private temporary
// file beside it, synced, renamed over it), so a crash or a full disk
// leaves the old file or the new one, never half of either; every line
// but the one set stays as it was.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { checkPaths, openOutput } from '../files/outputs.js';
import { defaultVaultDir } from '../vault/paths.js';
import type { CliIo } from './cli-io.js';
import { checkProfileName, checkSetting, ConfigError, isSettingName, parseConfig, profileNotFound, SETTINGS, withSetting, type ConfigFile, type SettingName } from './config-file.js';
import type { Prompt } from './credentials.js';
import type { GlobalOptions, SettingOrigin } from './global-options.js';
import { HELP_HINT, PROGRAM, wrap } from './help-text.js';
import { NoTerminalError } from './terminal-prompt.js';
import { EXIT, UsageError } from './usage-error.js';

const CONFIGURE_COMMANDS = ['configure set', 'configure get', 'configure list', 'configure list-profiles'] as const;
type ConfigureCommand = (typeof CONFIGURE_COMMANDS)[number];
/** a subcommand, or `configure` alone (or `configure help`), which prints the overview */
type ConfigureTopic = ConfigureCommand | 'configure' | 'configure help';
export const isConfigureCommand = (c: string): c is ConfigureTopic =>
  c === 'configure' || c === 'configure help' || (CONFIGURE_COMMANDS as readonly string[]).includes(c);

export interface ConfigureHost {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly config: ConfigFile;
  /** named by --profile or STRONGROOM_PROFILE */
  readonly profile?: string;
  readonly origins: ReadonlyMap<string, SettingOrigin>;
  /** asks a question at the terminal (`configure` alone) */
  readonly promptLine: Prompt;
}

const SYNOPSIS: Record<ConfigureCommand, string> = {
  'configure set': `${PROGRAM} configure set KEY VALUE [--profile NAME]`,
  'configure get': `${PROGRAM} configure get KEY [--profile NAME]`,
  'configure list': `${PROGRAM} configure list [--profile NAME]`,
  'configure list-profiles': `${PROGRAM} configure list-profiles`,
};

const KEYS_TEXT =
  `KEY is one of ${SETTINGS.join(', ')}; or default.KEY, or profile.NAME.KEY for another profile than the one --profile ` +
  `(or STRONGROOM_PROFILE, else default) names. A profile never holds a passphrase: those come from STRONGROOM_PASSPHRASE ` +
  `or the terminal.`;

const CONFIGURE_HELP: Record<ConfigureCommand | 'configure', string> = {
  configure: [
    'NAME',
    '  configure -',
    wrap('Reads and writes the profiles of the config file, as `aws configure` does.', 4),
    '',
    'DESCRIPTION',
    wrap(
      'A profile holds defaults for the global options vault, tenant, user, region and output, in an INI file like the ' +
        "AWS CLI's ~/.aws/config: a [default] section and [profile NAME] sections of `key = value` lines, with # or ; " +
        'comment lines. The file is STRONGROOM_CONFIG_FILE, else `config` in the per-user config directory ' +
        '($XDG_CONFIG_HOME/strongroom or ~/.config/strongroom on Linux, ~/Library/Application Support/Strongroom on macOS, ' +
        '%APPDATA%\\Strongroom on Windows). A setting comes from the command line, else its environment variable ' +
        '(STRONGROOM_VAULT, …), else the profile named by --profile or STRONGROOM_PROFILE (else [default]), else its ' +
        'default. A profile that is named but not in the file is an error (exit 255), as is a line the file cannot hold.',
      2,
    ),
    '',
    'SUBCOMMANDS',
    `  ${PROGRAM} configure [--profile NAME]`,
    wrap('At a terminal: asks for each setting of the profile, showing its value in the file in [brackets]; Enter keeps it. Writes the answers at once, or nothing if one is refused.', 6),
    ...CONFIGURE_COMMANDS.map((c) => `  ${SYNOPSIS[c]}`),
    '',
    'EXAMPLE',
    `  ${PROGRAM} configure set vault ~/vaults/ops --profile ops`,
    `  ${PROGRAM} configure set user alice --profile ops`,
    `  ${PROGRAM} --profile ops list-keys`,
    '',
  ].join('\n'),
  'configure set': [
    `usage: ${SYNOPSIS['configure set']}`,
    '',
    wrap(
      'Sets KEY to VALUE in the profile, adding the [profile NAME] section (or the file, with its directory) if it is not ' +
        'there. The line that sets KEY is replaced, or a line is added after the section\'s last setting; every other line, ' +
        'comments included, stays as it was. The file is written to a temporary file beside it, synced and renamed over it. ' +
        'A relative vault path is made absolute. Prints nothing.',
      0,
    ),
    '',
    wrap(KEYS_TEXT, 0),
    '',
  ].join('\n'),
  'configure get': [
    `usage: ${SYNOPSIS['configure get']}`,
    '',
    wrap("Prints KEY's value in the profile of the config file (not from the command line or the environment); exits 1, printing nothing, when the profile does not set it.", 0),
    '',
    wrap(KEYS_TEXT, 0),
    '',
  ].join('\n'),
  'configure list': [
    `usage: ${SYNOPSIS['configure list']}`,
    '',
    wrap(
      'Lists the profile in use and each setting (vault, tenant, user, region, output): its value, its Type (manual: the ' +
        'command line; env: an environment variable; config-file: the profile; default) and its Location (the option, the ' +
        'variable or the file), as `aws configure list` prints them.',
      0,
    ),
    '',
  ].join('\n'),
  'configure list-profiles': [`usage: ${SYNOPSIS['configure list-profiles']}`, '', 'Prints the name of each profile of the config file, one a line.', ''].join('\n'),
};

export const configureHelp = (topic: ConfigureTopic): string => CONFIGURE_HELP[topic === 'configure help' ? 'configure' : topic];

export async function runConfigureCommand(command: ConfigureTopic, tokens: readonly string[], host: ConfigureHost): Promise<number> {
  const { io } = host;
  const helpAsked = tokens.length === 1 && (tokens[0] === 'help' || tokens[0] === '--help' || tokens[0] === '-h');
  if (command === 'configure help' || (command === 'configure' && helpAsked)) {
    io.stdout(CONFIGURE_HELP.configure);
    return EXIT.ok;
  }
  if (command === 'configure') {
    if (tokens.length > 0) return usage(io, 'configure', `Unknown options: ${tokens.join(', ')}`);
    try {
      return await ask(host);
    } catch (e) {
      if (e instanceof UsageError) return usage(io, 'configure', e.message);
      throw e;
    }
  }
  if (helpAsked) {
    io.stdout(CONFIGURE_HELP[command]);
    return EXIT.ok;
  }
  const options = tokens.filter((t) => t.startsWith('-'));
  if (options.length) return usage(io, command, `Unknown options: ${options.join(', ')}`);
  const arity = command === 'configure set' ? 2 : command === 'configure get' ? 1 : 0;
  if (tokens.length < arity) return usage(io, command, `the following arguments are required: ${['KEY', 'VALUE'].slice(tokens.length, arity).join(', ')}`);
  if (tokens.length > arity) return usage(io, command, `Unknown options: ${tokens.slice(arity).join(', ')}`);
  // a profile named by --profile or STRONGROOM_PROFILE must exist (botocore's ProfileNotFound), except for set, which adds it
  if (command !== 'configure set' && host.profile !== undefined && !host.config.profiles.has(host.profile)) throw profileNotFound(host.profile);
  try {
    switch (command) {
      case 'configure set':
        return await set(host, tokens[0] ?? '', tokens[1] ?? '');
      case 'configure get':
        return get(host, tokens[0] ?? '');
      case 'configure list':
        return list(host);
      case 'configure list-profiles':
        for (const name of host.config.profiles.keys()) io.stdout(`${name}\n`);
        return EXIT.ok;
    }
  } catch (e) {
    if (e instanceof UsageError) return usage(io, command, e.message);
    throw e;
  }
}

function usage(io: CliIo, command: ConfigureCommand | 'configure', message: string): number {
  const synopsis = command === 'configure' ? `${PROGRAM} configure set|get|list|list-profiles ...` : SYNOPSIS[command];
  io.stderr(`\nusage: ${synopsis}\n\n${HELP_HINT(command)}\n\n${PROGRAM}: error: ${message}\n`);
  return EXIT.usage;
}

/** KEY, default.KEY or profile.NAME.KEY → the profile and the setting it names (awscli configure set/get). */
function target(host: ConfigureHost, varname: string): { profile: string; key: SettingName } {
  const parts = varname.split('.');
  let profile = host.profile ?? 'default';
  let key = varname;
  let named = 'argument --profile (or STRONGROOM_PROFILE)';
  if (parts[0] === 'default' && parts.length === 2) [profile, key] = ['default', parts[1] ?? ''];
  else if (parts[0] === 'profile' && parts.length >= 3) [profile, key, named] = [parts.slice(1, -1).join('.'), parts.at(-1) ?? '', 'argument KEY'];
  key = key.toLowerCase();
  if (/pass|secret|password|credential/.test(key)) {
    throw new UsageError(`argument KEY: '${key}': passphrases are never kept in the config file; set STRONGROOM_PASSPHRASE or answer the prompt`);
  }
  if (!isSettingName(key)) throw new UsageError(`argument KEY: unknown setting '${varname}'; the settings are ${SETTINGS.join(', ')}`);
  try {
    checkProfileName(profile);
  } catch (e) {
    throw new UsageError(`${named}: ${(e as Error).message}`);
  }
  return { profile, key };
}

async function set(host: ConfigureHost, varname: string, raw: string): Promise<number> {
  const { io, config } = host;
  const { profile, key } = target(host, varname);
  let value: string;
  try {
    // a relative vault is the one in this directory: stored absolute, so it names the same vault from anywhere
    const given = key === 'vault' && !raw.trim().startsWith('~') && !isAbsolute(raw.trim()) && raw.trim() !== '' ? resolve(io.cwd, raw.trim()) : raw;
    value = checkSetting(key, given, io.env, 'argument VALUE: ');
  } catch (e) {
    throw e instanceof ConfigError ? new UsageError(e.message) : e;
  }
  // the value as typed (~ kept) when it is used as typed; only a relative vault is rewritten
  const stored = key === 'vault' && raw.trim().startsWith('~') ? raw.trim() : value;
  await writeAtomically(config.path, withSetting(config, profile, key, stored));
  return EXIT.ok;
}

/** What `configure` asks for each setting (the AWS CLI asks "Default region name [us-west-2]: "). */
const QUESTIONS: Record<SettingName, string> = {
  vault: 'Vault directory',
  tenant: 'Tenant (account id or name)',
  user: 'User name',
  region: 'Region',
  output: 'Default output format',
};

/** `configure` alone: asks for each setting of the profile at the terminal, then writes the answers in one atomic rewrite. */
async function ask(host: ConfigureHost): Promise<number> {
  const { io } = host;
  const profile = host.profile ?? 'default';
  checkProfileName(profile);
  const section = host.config.profiles.get(profile);
  const answers: [SettingName, string][] = [];
  for (const key of SETTINGS) {
    const current = section?.settings.get(key)?.value;
    let answer: string;
    try {
      answer = (await host.promptLine(`${QUESTIONS[key]} [${current ?? 'None'}]: `)).trim();
    } catch (e) {
      if (e instanceof NoTerminalError) throw new UsageError('configure asks its questions at a terminal; without one, use `configure set KEY VALUE`');
      throw e;
    }
    if (answer === '' || answer === current) continue;
    const given = key === 'vault' && !answer.startsWith('~') && !isAbsolute(answer) ? resolve(io.cwd, answer) : answer;
    try {
      checkSetting(key, given, io.env, '');
    } catch (e) {
      throw e instanceof ConfigError ? new UsageError(`${e.message}; nothing was written`) : e;
    }
    answers.push([key, given]);
  }
  if (answers.length === 0) return EXIT.ok;
  let config = host.config;
  let text = '';
  for (const [key, value] of answers) {
    text = withSetting(config, profile, key, value);
    config = parseConfig(config.path, text, io.env);
  }
  await writeAtomically(config.path, text);
  return EXIT.ok;
}

/** Replaces `path` by `text` through a temporary file beside it, synced and renamed into place; on any failure the old file stays. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const output = await openOutput({ path }, await checkPaths(undefined, path));
    try {
      await output.sink.write([bytes], bytes.length);
      await output.sink.flush();
      await output.commit();
    } finally {
      await output.discard(); // a no-op once committed
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`Unable to write config file: ${path}: ${why}`);
  }
}

function get(host: ConfigureHost, varname: string): number {
  const { profile, key } = target(host, varname);
  const setting = host.config.profiles.get(profile)?.settings.get(key);
  if (setting === undefined) return 1;
  host.io.stdout(`${setting.value}\n`);
  return EXIT.ok;
}

/** One row as `aws configure list` prints it: '%10s %24s %16s    %s'. */
const row = (name: string, value: string, type: string, location: string): string => `${name.padStart(10)} ${value.padStart(24)} ${type.padStart(16)}    ${location}\n`;

const NOT_SET = '<not set>';

/** The defaults a setting falls back to (global-options.ts); tenant has none: the first tenant. */
function defaultOf(key: SettingName, env: NodeJS.ProcessEnv): string | undefined {
  switch (key) {
    case 'vault':
      return defaultVaultDir(env);
    case 'user':
      return 'admin';
    case 'region':
      return 'local-1';
    case 'output':
      return 'json';
    default:
      return undefined;
  }
}

function list(host: ConfigureHost): number {
  const { io, globals, origins } = host;
  let out = row('Name', 'Value', 'Type', 'Location') + row('----', '-----', '----', '--------');
  const p = origins.get('--profile');
  out += p && host.profile !== undefined ? row('profile', host.profile, p.type, p.location) : row('profile', NOT_SET, 'None', 'None');
  for (const key of SETTINGS) {
    const origin = origins.get(`--${key}`);
    const value = globals[key];
    if (origin && value !== undefined) {
      out += row(key, key === 'vault' ? resolve(io.cwd, value) : value, origin.type, origin.location);
    } else {
      const d = defaultOf(key, io.env);
      out += d === undefined ? row(key, NOT_SET, 'None', 'None') : row(key, d, 'default', 'None');
    }
  }
  io.stdout(out);
  return EXIT.ok;
}
