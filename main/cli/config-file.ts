// The CLI's config file, shaped as the AWS CLI's ~/.aws/config (AWS CLI User
// Guide, "Configuration and credential file settings"): an INI file with a
// [default] section and one [profile NAME] section per named profile, each
// holding `key = value` settings (vault, tenant, user, region, output), with
// # and ; comment lines. It lives in the per-user config directory
// (vault/paths.ts perUserDir) unless STRONGROOM_CONFIG_FILE names another,
// as AWS_CONFIG_FILE does. Never a passphrase: those come from the
// environment or the terminal (credentials.ts).
//
// Read on every command, so this module is small and imports nothing heavy.
// The reader is stricter than botocore's: a section or setting it does not
// know, or a value that cannot be used, is an error naming the file and the
// line, never silently ignored. The editor (`configure set`) changes one
// line, or adds one, and leaves every other line (comments included) as it
// was.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { perUserDir } from '../vault/paths.js';
import { OUTPUT_FORMATS } from './format-output.js';

export const CONFIG_FILE_ENV = 'STRONGROOM_CONFIG_FILE';

/** The settings a profile may hold, in the order `configure list` prints them. */
export const SETTINGS = ['vault', 'tenant', 'user', 'region', 'output'] as const;
export type SettingName = (typeof SETTINGS)[number];
export const isSettingName = (key: string): key is SettingName => (SETTINGS as readonly string[]).includes(key);

/** The largest config file read: a few profiles are a few hundred bytes. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_VALUE_LENGTH = 4096;

/** A config file that cannot be read or used; the CLI prints the message and exits 255, as the AWS CLI does. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** botocore's ProfileNotFound, word for word. */
export const profileNotFound = (name: string): ConfigError => new ConfigError(`The config profile (${name}) could not be found`);

/** Profile names: what a shell passes without quoting and an INI header holds without escaping. */
const PROFILE_NAME = /^[A-Za-z0-9_.@+-]{1,64}$/;

export function checkProfileName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw new ConfigError(`'${name}' is not a profile name: use 1-64 letters, digits, '.', '_', '-', '@' or '+'.`);
}

export interface Setting {
  readonly value: string;
  /** 1-based */
  readonly line: number;
}

export interface Profile {
  readonly name: string;
  /** 1-based line of its [section] header */
  readonly line: number;
  readonly settings: ReadonlyMap<SettingName, Setting>;
  /** 1-based line after which a new setting goes: its last setting, or its header */
  readonly lastSettingLine: number;
}

export interface ConfigFile {
  readonly path: string;
  readonly exists: boolean;
  /** the file's lines, without their line breaks */
  readonly lines: readonly string[];
  readonly eol: '\n' | '\r\n';
  readonly profiles: ReadonlyMap<string, Profile>;
}

const expandHome = (path: string, env: NodeJS.ProcessEnv): string =>
  path === '~' || path.startsWith('~/') ? join(env.HOME || env.USERPROFILE || homedir(), path.slice(1)) : path;

/** STRONGROOM_CONFIG_FILE (~ and relative paths resolved), or `config` in the per-user config directory. */
export function configFilePath(env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform = process.platform): string {
  const given = env[CONFIG_FILE_ENV];
  if (given !== undefined && given !== '') return resolve(cwd, expandHome(given, env));
  return join(perUserDir('config', env, platform), 'config');
}

/** A section header as the AWS CLI writes it: [default], [profile NAME]. */
export const sectionHeader = (profile: string): string => (profile === 'default' ? '[default]' : `[profile ${profile}]`);

/**
 * A setting's value as it is used, or why it cannot be: `where` prefixes the
 * message (the file and line, or the command). A vault path is absolute (or
 * ~/…): a relative one would mean a different vault in every directory.
 */
export function checkSetting(key: SettingName, raw: string, env: NodeJS.ProcessEnv, where: string): string {
  const value = raw.trim();
  if (value === '') throw new ConfigError(`${where}${key} has no value`);
  if (value.length > MAX_VALUE_LENGTH) throw new ConfigError(`${where}${key} is longer than ${MAX_VALUE_LENGTH} characters`);
  if (/\p{Cc}/u.test(value)) throw new ConfigError(`${where}${key} holds a control character`);
  if (key === 'output' && !(OUTPUT_FORMATS as readonly string[]).includes(value)) {
    throw new ConfigError(`${where}output: Invalid choice '${value}', valid choices are: ${OUTPUT_FORMATS.join(', ')}`);
  }
  if (key === 'vault') {
    const path = expandHome(value, env);
    if (!isAbsolute(path)) throw new ConfigError(`${where}vault must be an absolute path (or start with ~/), got '${value}'`);
    return path;
  }
  return value;
}

const PASSPHRASE_LIKE = /pass|secret|password|credential/i;

/** Parses the text of a config file; anything it cannot use is a ConfigError naming `path` and the line. */
export function parseConfig(path: string, text: string, env: NodeJS.ProcessEnv): ConfigFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const eol = /\r\n/.test(body) && !/(^|[^\r])\n/.test(body) ? '\r\n' : '\n';
  const lines = body.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop(); // the file's final line break
  const profiles = new Map<string, Profile>();
  let current: { name: string; line: number; settings: Map<SettingName, Setting>; lastSettingLine: number } | undefined;
  const close = () => {
    if (current) profiles.set(current.name, current);
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    const where = `Unable to parse config file: ${path}, line ${n}: `;
    const fail = (why: string): never => {
      throw new ConfigError(`${where}${why}`);
    };
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) fail(`a section header must end with ']'`);
      const header = line.slice(1, -1).trim();
      const named = /^profile\s+(.*)$/.exec(header);
      let name: string;
      if (header === 'default') name = 'default';
      else if (named) {
        name = (named[1] ?? '').trim();
        if (!PROFILE_NAME.test(name)) fail(`'${name}' is not a profile name: use 1-64 letters, digits, '.', '_', '-', '@' or '+'`);
      } else return fail(`[${header}] is not a profile section: write [profile ${header}] (only [default] goes without "profile")`);
      const before = profiles.get(name) ?? (current?.name === name ? current : undefined);
      if (before) fail(`a second ${sectionHeader(name)} section (the first is on line ${before.line})`);
      close();
      current = { name, line: n, settings: new Map(), lastSettingLine: n };
      return;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (!kv) return fail('expected "key = value", a [section] header or a # comment');
    const key = (kv[1] ?? '').toLowerCase();
    if (!current) return fail(`the setting '${key}' comes before any [default] or [profile NAME] section`);
    if (PASSPHRASE_LIKE.test(key)) fail(`'${key}': passphrases are never kept in the config file; set STRONGROOM_PASSPHRASE or answer the prompt`);
    if (!isSettingName(key)) return fail(`unknown setting '${key}'; the settings are ${SETTINGS.join(', ')}`);
    const before = current.settings.get(key);
    if (before) fail(`'${key}' is set a second time in ${sectionHeader(current.name)} (first on line ${before.line})`);
    current.settings.set(key, { value: checkSetting(key, kv[2] ?? '', env, where), line: n });
    current.lastSettingLine = n;
  });
  close();
  return { path, exists: true, lines, eol, profiles };
}

/** Reads and parses the config file; a file that does not exist is an empty config (as for the AWS CLI). */
export function readConfigFile(path: string, env: NodeJS.ProcessEnv): ConfigFile {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new ConfigError(`Unable to read config file: ${path} is not a regular file`);
    if (st.size > MAX_CONFIG_BYTES) throw new ConfigError(`Unable to read config file: ${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path, exists: false, lines: [], eol: '\n', profiles: new Map() };
    if (e instanceof TypeError) throw new ConfigError(`Unable to parse config file: ${path}: it is not UTF-8 text`);
    throw new ConfigError(`Unable to read config file: ${path}: ${code ?? (e as Error).message}`);
  }
  return parseConfig(path, text, env);
}

/**
 * The file's text with `key = value` in the profile's section: the line that
 * sets it replaced, or a line added after the section's last setting, or a
 * new section at the end. Every other line stays as it was.
 */
export function withSetting(config: ConfigFile, profile: string, key: SettingName, value: string): string {
  const lines = [...config.lines];
  const line = `${key} = ${value}`;
  const section = config.profiles.get(profile);
  const existing = section?.settings.get(key);
  if (existing) lines[existing.line - 1] = line;
  else if (section) lines.splice(section.lastSettingLine, 0, line);
  else {
    if (lines.length > 0 && lines.at(-1)?.trim() !== '') lines.push('');
    lines.push(sectionHeader(profile), line);
  }
  return lines.map((l) => l + config.eol).join('');
}
