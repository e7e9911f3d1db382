// Profiles (issue 14), with the built binary: the config file's profiles
// under the command line and the environment (AWS CLI precedence), the AWS
// CLI's error for a named profile that is not there, a malformed file named
// with its line, `configure set/get/list/list-profiles` round trips that
// keep every other line, the atomic rewrite (a write that fails leaves the
// old file and no temporary file), and `export-public-key --out` writing a
// file openssl reads, whose fingerprint is the one openssl computes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONFIG_KEYS, HAND_WRITTEN_COMMANDS } from '../../main/cli/command-options.js';
import { completeWords, lineWords } from '../../main/cli/completion.js';
import { configFilePath, parseConfig, SETTINGS, withSetting } from '../../main/cli/config-file.js';
import { run } from '../../main/cli/run.js';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

/** `aws configure list`'s row: '%10s %24s %16s    %s'. */
const row = (name: string, value: string, type: string, location: string): string => `${name.padStart(10)} ${value.padStart(24)} ${type.padStart(16)}    ${location}`;

const openssl = (args: readonly string[], input?: Buffer) => spawnSync('openssl', args, { input, encoding: 'buffer' });

// Each test runs the binary several times (each a process start, most an Argon2id sign-in): on a busy 2-core machine, minutes.
describe.concurrent('profiles over a real vault', { timeout: 240_000 }, () => {
  const ws = new Workspace();
  const config = ws.path('strongroom-config');
  let account = '';

  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only', '--tenant-name', 'profiles']);
    expect(r.stderr).toBe('');
    account = (JSON.parse(r.stdout) as { AccountId: string }).AccountId;
    writeFileSync(
      config,
      [
        '# Strongroom profiles',
        '[default]',
        'region = eu-default-1',
        '',
        '; the operations team',
        '[profile ops]',
        `vault = ${ws.vault}`,
        'region: eu-ops-1',
        'output = text',
        '',
      ].join('\n'),
    );
  }, 60_000);
  afterAll(() => ws.remove());

  /** the region a key is created in, as its ARN says */
  const regionOf = async (args: readonly string[], env: Record<string, string | undefined> = {}): Promise<string> => {
    const r = await ws.run(['create-key', '--query', 'KeyMetadata.Arn', '--output', 'text', ...args], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const arn = r.stdout.trim();
    expect(arn).toMatch(new RegExp(`^arn:strongroom:kms:[a-z0-9-]+:${account}:key/`));
    return arn.split(':')[3] ?? '';
  };

  test('a setting comes from the command line, else the environment, else the profile, else [default]', async () => {
    expect(await regionOf([])).toBe('eu-default-1');
    expect(await regionOf(['--profile', 'ops'])).toBe('eu-ops-1');
    expect(await regionOf([], { STRONGROOM_PROFILE: 'ops' })).toBe('eu-ops-1');
    expect(await regionOf(['--profile', 'ops'], { STRONGROOM_REGION: 'env-1' })).toBe('env-1');
    expect(await regionOf(['--profile', 'ops', '--region', 'cli-1'], { STRONGROOM_REGION: 'env-1' })).toBe('cli-1');
    // --profile beats STRONGROOM_PROFILE
    expect(await regionOf(['--profile', 'default'], { STRONGROOM_PROFILE: 'ops' })).toBe('eu-default-1');
  });

  test("the profile's vault and output are used: no STRONGROOM_VAULT, text output", async () => {
    const r = await ws.run(['--profile', 'ops', 'sts', 'get-caller-identity', '--query', 'Account'], { STRONGROOM_VAULT: undefined });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${account}\n`); // text, as the profile says (json would quote it)
    const json = await ws.run(['--profile', 'ops', '--output', 'json', 'sts', 'get-caller-identity', '--query', 'Account'], { STRONGROOM_VAULT: undefined });
    expect(json.stdout).toBe(`"${account}"\n`);
  });

  test('configure list shows each value and where it came from, as aws configure list does', async () => {
    const r = await ws.run(['configure', 'list', '--profile', 'ops', '--user', 'admin'], { STRONGROOM_VAULT: undefined, STRONGROOM_REGION: 'env-1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      row('Name', 'Value', 'Type', 'Location'),
      row('----', '-----', '----', '--------'),
      row('profile', 'ops', 'manual', '--profile'),
      row('vault', ws.vault, 'config-file', config),
      row('tenant', '<not set>', 'None', 'None'),
      row('user', 'admin', 'manual', '--user'),
      row('region', 'env-1', 'env', 'STRONGROOM_REGION'),
      row('output', 'text', 'config-file', config),
      '',
    ]);
    const env = await ws.run(['configure', 'list'], { STRONGROOM_PROFILE: 'ops', STRONGROOM_VAULT: undefined });
    expect(env.stdout).toContain(row('profile', 'ops', 'env', 'STRONGROOM_PROFILE'));
    expect(env.stdout).toContain(row('region', 'eu-ops-1', 'config-file', config));
    const none = await ws.run(['configure', 'list'], { STRONGROOM_CONFIG_FILE: ws.path('no-such-config'), STRONGROOM_VAULT: undefined, XDG_DATA_HOME: '/data' });
    expect(none.stdout).toContain(row('profile', '<not set>', 'None', 'None'));
    expect(none.stdout).toContain(row('vault', '/data/strongroom', 'default', 'None'));
    expect(none.stdout).toContain(row('user', 'admin', 'default', 'None'));
    expect(none.stdout).toContain(row('region', 'local-1', 'default', 'None'));
  });

  test('a named profile that is not in the file: the AWS CLI\'s error, exit 255, before any vault is opened', async () => {
    for (const [args, env] of [
      [['--profile', 'nope', 'list-keys'], {}],
      [['list-keys'], { STRONGROOM_PROFILE: 'nope' }],
      [['--profile', 'nope', 'configure', 'get', 'region'], {}],
      [['--profile', 'nope', 'configure', 'list'], {}],
    ] as const) {
      const r = await ws.run(args, { ...env, STRONGROOM_PASSPHRASE: undefined });
      expect(r).toMatchObject({ code: 255, stdout: '', stderr: '\nThe config profile (nope) could not be found\n' });
    }
    // [default] too, when it is named and the file has none
    const named = await ws.run(['--profile', 'default', 'list-keys'], { STRONGROOM_CONFIG_FILE: ws.path('no-such-config') });
    expect(named).toMatchObject({ code: 255, stderr: '\nThe config profile (default) could not be found\n' });
    // unnamed, a missing [default] is no error: the defaults apply
    const unnamed = await ws.run(['sts', 'get-caller-identity', '--query', 'Account'], { STRONGROOM_CONFIG_FILE: ws.path('no-such-config') });
    expect(unnamed).toMatchObject({ code: 0, stdout: `"${account}"\n` });
  });

  test('export-public-key --out writes a file openssl reads and prints the fingerprint openssl computes', async () => {
    const key = await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key', '--key-spec', 'ECC_NIST_P384', '--key-usage', 'SIGN_VERIFY']);
    const id = key.KeyMetadata.KeyId;
    writeFileSync(ws.path('partner.pem'), 'an older key\n');
    const pem = await ws.run(['export-public-key', '--key-id', id, '--format', 'pem', '--out', 'partner.pem']);
    expect(pem.stderr).toBe('');
    expect(pem.code).toBe(0);
    const out = JSON.parse(pem.stdout) as Record<string, unknown>;
    expect(openssl(['pkey', '-pubin', '-in', ws.path('partner.pem'), '-noout']).status).toBe(0);
    const der = openssl(['pkey', '-pubin', '-in', ws.path('partner.pem'), '-outform', 'DER']).stdout;
    const sha = openssl(['dgst', '-sha256', '-r'], der).stdout.toString().split(' ')[0];
    expect(out).toEqual({
      KeyId: expect.stringContaining(id),
      Format: 'pem',
      OutPath: ws.path('partner.pem'),
      Bytes: statSync(ws.path('partner.pem')).size,
      Fingerprint: sha,
      FingerprintType: 'SPKI_SHA256_HEX',
    });
    // der: binary DER, the same fingerprint; --out=FILE and --query as for any command
    const d = await ws.run(['export-public-key', '--key-id', id, '--format', 'der', `--out=${ws.path('partner.der')}`, '--query', 'Fingerprint', '--output', 'text']);
    expect(d).toMatchObject({ code: 0, stderr: '', stdout: `${sha}\n` });
    expect(readFileSync(ws.path('partner.der'))).toEqual(der);
    expect(openssl(['pkey', '-pubin', '-inform', 'DER', '-in', ws.path('partner.der'), '-noout']).status).toBe(0);
  });

  test('export-public-key --out: a failure leaves the existing file as it was and no temporary file', async () => {
    const dir = ws.path('exports');
    mkdirSync(dir);
    writeFileSync(join(dir, 'k.pem'), 'the old key\n');
    const symmetric = await ws.json<{ KeyMetadata: { KeyId: string } }>(['create-key']);
    // the temporary file exists when ExportPublicKey refuses the key: it must go
    const r = await ws.run(['export-public-key', '--key-id', symmetric.KeyMetadata.KeyId, '--format', 'pem', '--out', 'exports/k.pem']);
    expect(r.code).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(UnsupportedOperationException\) when calling the ExportPublicKey operation: /);
    expect(readdirSync(dir)).toEqual(['k.pem']);
    expect(readFileSync(join(dir, 'k.pem'), 'utf8')).toBe('the old key\n');
    const missing = await ws.run(['export-public-key', '--key-id', symmetric.KeyMetadata.KeyId, '--format', 'pem', '--out', 'no-dir/k.pem'], { STRONGROOM_PASSPHRASE: undefined });
    expect(missing.code).toBe(254); // refused before the sign-in (no passphrase is set, none is asked)
    expect(missing.stderr).toContain(`Cannot write ${ws.path('no-dir/k.pem')}: its directory`);
    expect(existsSync(ws.path('no-dir'))).toBe(false);
    const twice = await ws.run(['export-public-key', '--key-id', 'k', '--format', 'pem', '--out', 'a', '--out', 'b']);
    expect(twice).toMatchObject({ code: 252 });
    expect(twice.stderr).toContain('argument --out: given more than once');
  });
});

describe.concurrent('the config file', { timeout: 240_000 }, () => {
  const ws = new Workspace();
  afterAll(() => ws.remove());

  /** a config file of its own for one test */
  let n = 0;
  const fresh = (text?: string): { path: string; env: Record<string, string> } => {
    const path = ws.path(`cfg-${n++}/config`);
    if (text !== undefined) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
    return { path, env: { STRONGROOM_CONFIG_FILE: path } };
  };

  test.each([
    ['[default]\nregion eu-1\n', 2, 'expected "key = value", a [section] header or a # comment'],
    ['region = eu-1\n[default]\n', 1, "the setting 'region' comes before any [default] or [profile NAME] section"],
    ['[default]\n[ops]\nuser = a\n', 2, '[ops] is not a profile section: write [profile ops] (only [default] goes without "profile")'],
    ['[default]\nregion = a\n# x\n[default]\n', 4, 'a second [default] section (the first is on line 1)'],
    ['[profile a]\nuser = x\nuser = y\n', 3, "'user' is set a second time in [profile a] (first on line 2)"],
    ['[default]\nregoin = eu-1\n', 2, "unknown setting 'regoin'; the settings are vault, tenant, user, region, output"],
    ['[default]\npassphrase = hunter2\n', 2, "'passphrase': passphrases are never kept in the config file"],
    ['[default]\noutput = xml\n', 2, "output: Invalid choice 'xml', valid choices are: json, text, table, yaml, yaml-stream"],
    ['[default]\nvault = relative/dir\n', 2, "vault must be an absolute path (or start with ~/), got 'relative/dir'"],
    ['[default]\nuser =\n', 2, 'user has no value'],
    ['[profile a b]\n', 1, "'a b' is not a profile name"],
    ['[default\n', 1, "a section header must end with ']'"],
  ])('a malformed file is named with its line: %j', async (text, line, why) => {
    const { path, env } = fresh(text);
    const r = await ws.run(['list-keys'], env);
    expect(r.code).toBe(255);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^\n.*\n$/);
    expect(r.stderr).toContain(`\nUnable to parse config file: ${path}, line ${line}: ${why}`);
    expect(r.stderr).not.toContain('hunter2');
  });

  test('a config file that is not UTF-8 text, or a directory, is named', async () => {
    const { path, env } = fresh();
    mkdirSync(path, { recursive: true });
    expect(await ws.run(['list-keys'], env)).toMatchObject({ code: 255, stderr: `\nUnable to read config file: ${path} is not a regular file\n` });
    const bad = fresh('x');
    writeFileSync(bad.path, Buffer.from([0x5b, 0xff, 0x5d, 0x0a]));
    expect(await ws.run(['list-keys'], bad.env)).toMatchObject({ code: 255, stderr: `\nUnable to parse config file: ${bad.path}: it is not UTF-8 text\n` });
  });

  test('configure set/get/list-profiles: a round trip that keeps comments, other sections and the untouched lines', async () => {
    const original = [
      '# my Strongroom profiles',
      '[default]',
      'region = eu-1   ',
      '; keep this comment',
      'output: table',
      '',
      '# staging, for the weekly ceremony',
      '[profile staging]',
      'user = carol',
      '',
    ].join('\n');
    const { path, env } = fresh(original);
    const set = async (...args: string[]) => expect(await ws.run(['configure', 'set', ...args], env)).toMatchObject({ code: 0, stdout: '', stderr: '' });
    await set('region', 'eu-2');
    await set('user', 'bob', '--profile', 'staging');
    await set('tenant', 'acme', '--profile', 'staging');
    await set('profile.ops.vault', '/srv/vaults/ops');
    await set('default.tenant', '123456789012');
    await ws.run(['configure', 'set', 'vault', 'relative/vault'], { ...env, STRONGROOM_PROFILE: 'dev' }).then((r) => expect(r.code).toBe(0));
    expect(readFileSync(path, 'utf8')).toBe(
      [
        '# my Strongroom profiles',
        '[default]',
        'region = eu-2',
        '; keep this comment',
        'output: table',
        'tenant = 123456789012',
        '',
        '# staging, for the weekly ceremony',
        '[profile staging]',
        'user = bob',
        'tenant = acme',
        '',
        '[profile ops]',
        'vault = /srv/vaults/ops',
        '',
        '[profile dev]',
        `vault = ${ws.path('relative/vault')}`,
        '',
      ].join('\n'),
    );
    const get = (...args: string[]) => ws.run(['configure', 'get', ...args], env);
    expect(await get('region')).toMatchObject({ code: 0, stdout: 'eu-2\n' });
    expect(await get('output')).toMatchObject({ code: 0, stdout: 'table\n' });
    expect(await get('user', '--profile', 'staging')).toMatchObject({ code: 0, stdout: 'bob\n' });
    expect(await get('profile.ops.vault')).toMatchObject({ code: 0, stdout: '/srv/vaults/ops\n' });
    // get reads the file only: the environment does not answer it; an unset key exits 1, printing nothing
    expect(await ws.run(['configure', 'get', 'user'], { ...env, STRONGROOM_USER: 'eve' })).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect(await ws.run(['configure', 'list-profiles'], env)).toMatchObject({ code: 0, stdout: 'default\nstaging\nops\ndev\n' });
  });

  test('configure set makes the file (0600) and its directory (0700) where the OS keeps config, and a CRLF file stays CRLF', async () => {
    const home = ws.path('home');
    const xdg = await ws.run(['configure', 'set', 'user', 'alice'], { STRONGROOM_CONFIG_FILE: undefined, XDG_CONFIG_HOME: join(home, 'xdg'), HOME: home });
    expect(xdg).toMatchObject({ code: 0, stderr: '' });
    const file = join(home, 'xdg', 'strongroom', 'config');
    expect(readFileSync(file, 'utf8')).toBe('[default]\nuser = alice\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'xdg', 'strongroom')).mode & 0o777).toBe(0o700);
    // without XDG_CONFIG_HOME: ~/.config/strongroom/config
    await ws.run(['configure', 'set', 'region', 'r-1'], { STRONGROOM_CONFIG_FILE: undefined, XDG_CONFIG_HOME: undefined, HOME: home });
    expect(readFileSync(join(home, '.config', 'strongroom', 'config'), 'utf8')).toBe('[default]\nregion = r-1\n');
    const crlf = fresh('[default]\r\nuser = a\r\n');
    await ws.run(['configure', 'set', 'region', 'r-2'], crlf.env);
    expect(readFileSync(crlf.path, 'utf8')).toBe('[default]\r\nuser = a\r\nregion = r-2\r\n');
  });

  test('configure set refuses a passphrase, an unknown key, a bad value or profile name (exit 252), and leaves the file alone', async () => {
    const original = '[default]\nuser = a\n';
    const { path, env } = fresh(original);
    for (const [args, message] of [
      [['passphrase', 'hunter2'], "argument KEY: 'passphrase': passphrases are never kept in the config file"],
      [['vault_passphrase', 'hunter2'], "argument KEY: 'vault_passphrase': passphrases are never kept"],
      [['regoin', 'x'], "argument KEY: unknown setting 'regoin'; the settings are vault, tenant, user, region, output"],
      [['output', 'xml'], "argument VALUE: output: Invalid choice 'xml'"],
      [['user', ' '], 'argument VALUE: user has no value'],
      [['profile.a b.user', 'x'], "argument KEY: 'a b' is not a profile name"],
      [['user', 'x', '--profile', 'a b'], "argument --profile (or STRONGROOM_PROFILE): 'a b' is not a profile name"],
      [['user'], 'the following arguments are required: VALUE'],
      [['user', 'x', 'y'], 'Unknown options: y'],
    ] as const) {
      const r = await ws.run(['configure', 'set', ...args], env);
      expect(r.code, args.join(' ')).toBe(252);
      expect(r.stderr).toContain(`strongroom: error: ${message}`);
      expect(r.stderr).not.toContain('hunter2');
    }
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  test('a write that fails (file size limit) leaves the old file and no temporary file', async () => {
    const original = '# keep me\n[default]\nregion = eu-1\n';
    const { path, env } = fresh(original);
    // SIGXFSZ ignored, so the write fails with EFBIG instead of killing the process
    const r = await ws.sh(`trap '' XFSZ; ulimit -f 0; strongroom configure set user bob`, env);
    expect(r.code).toBe(255);
    expect(r.stderr).toBe(`\nUnable to write config file: ${path}: EFBIG: file too large, write\n`);
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(readdirSync(join(path, '..'))).toEqual(['config']);
  });

  test('configure alone asks for each setting at the terminal, keeps what Enter keeps, and writes the answers at once', async () => {
    const original = '# mine\n[profile ops]\nuser = carol\nregion = eu-1\n';
    const { path, env } = fresh(original);
    /** run() in-process, the terminal's questions answered in turn */
    const configure = async (answers: string[], argv = ['--profile', 'ops', 'configure']) => {
      const asked: string[] = [];
      let err = '';
      const code = await run(argv, {
        env,
        cwd: ws.dir,
        stdout: () => undefined,
        stderr: (t) => (err += t),
        promptLine: async (question) => {
          asked.push(question);
          return answers.shift() ?? '';
        },
      });
      return { code, asked, err };
    };
    const r = await configure(['v', '', '', 'eu-2', 'yaml']);
    expect(r.code, r.err).toBe(0);
    expect(r.asked).toEqual(['Vault directory [None]: ', 'Tenant (account id or name) [None]: ', 'User name [carol]: ', 'Region [eu-1]: ', 'Default output format [None]: ']);
    expect(readFileSync(path, 'utf8')).toBe(`# mine\n[profile ops]\nuser = carol\nregion = eu-2\nvault = ${ws.path('v')}\noutput = yaml\n`);
    // one answer refused: nothing is written
    const before = readFileSync(path, 'utf8');
    const bad = await configure(['', 'acme', '', '', 'xml']);
    expect(bad.code).toBe(252);
    expect(bad.err).toContain("output: Invalid choice 'xml', valid choices are: json, text, table, yaml, yaml-stream; nothing was written");
    expect(readFileSync(path, 'utf8')).toBe(before);
    // the binary has no terminal here: it says what to do instead
    const none = await ws.run(['configure'], env);
    expect(none.code).toBe(252);
    expect(none.stderr).toContain('configure asks its questions at a terminal; without one, use `configure set KEY VALUE`');
  });

  test('a malformed file is not rewritten by configure set', async () => {
    const original = '[default]\nregion eu-1\n';
    const { path, env } = fresh(original);
    const r = await ws.run(['configure', 'set', 'region', 'eu-2'], env);
    expect(r).toMatchObject({ code: 255, stderr: `\nUnable to parse config file: ${path}, line 2: expected "key = value", a [section] header or a # comment\n` });
    expect(readFileSync(path, 'utf8')).toBe(original);
  });

  test('configure and --profile are documented, and complete', async () => {
    const help = await ws.run(['configure', 'help']);
    expect(help.stdout).toContain('strongroom configure set KEY VALUE [--profile NAME]');
    expect(help.stdout).toContain('[profile NAME]');
    const general = await ws.run(['help']);
    expect(general.stdout).toMatch(/--profile NAME +The profile of the config file/);
    expect(general.stdout).toContain('STRONGROOM_CONFIG_FILE');
    expect((await ws.run(['export-public-key', 'help'])).stdout).toMatch(/--out \(string\) \[optional\]\n +Writes the key to this file/);
    expect(CONFIG_KEYS).toEqual(SETTINGS);
    expect(HAND_WRITTEN_COMMANDS['configure set']?.positional).toEqual(SETTINGS);
    const complete = (line: string) => completeWords(lineWords(line), ws.dir).sort();
    expect(complete('strongroom configure ')).toEqual(['get', 'list', 'list-profiles', 'set']);
    expect(complete('strongroom configure set re')).toEqual(['region']);
    expect(complete('strongroom export-public-key --ou')).toEqual(['--out', '--output']);
  });
});

describe('config-file.ts', () => {
  test('the per-user config directory of each OS', () => {
    expect(configFilePath({ HOME: '/home/u' }, '/cwd', 'linux')).toBe('/home/u/.config/strongroom/config');
    expect(configFilePath({ HOME: '/home/u', XDG_CONFIG_HOME: '/x' }, '/cwd', 'linux')).toBe('/x/strongroom/config');
    expect(configFilePath({ HOME: '/Users/u' }, '/cwd', 'darwin')).toBe('/Users/u/Library/Application Support/Strongroom/config');
    expect(configFilePath({ APPDATA: '/appdata' }, '/cwd', 'win32')).toBe(join('/appdata', 'Strongroom', 'config'));
    expect(configFilePath({ HOME: '/home/u', STRONGROOM_CONFIG_FILE: '~/my.ini' }, '/cwd', 'linux')).toBe('/home/u/my.ini');
    expect(configFilePath({ STRONGROOM_CONFIG_FILE: 'rel.ini' }, '/cwd', 'linux')).toBe('/cwd/rel.ini');
  });

  test('[profile default] is the default profile; ~ in a vault path is the home directory; a BOM is skipped', () => {
    const c = parseConfig('f', '\uFEFF[profile default]\nvault = ~/v\n[profile x]\n', { HOME: '/home/u' });
    expect(c.profiles.get('default')?.settings.get('vault')).toEqual({ value: '/home/u/v', line: 2 });
    expect([...c.profiles.keys()]).toEqual(['default', 'x']);
    // a setting added to an empty section goes right after its header
    expect(withSetting(c, 'x', 'user', 'u')).toBe('[profile default]\nvault = ~/v\n[profile x]\nuser = u\n');
  });
});
