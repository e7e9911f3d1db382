// run(argv, io) in-process against a stand-in vault and a small operation
// table: the plumbing of the CLI (options anywhere, exit codes, error text,
// prompts, closing the vault) without Argon2 or SQLite. The built binary
// against a real vault is tested in cli-binary.test.ts.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { CliIo } from '../../main/cli/cli-io.js';
import { run } from '../../main/cli/run.js';
import { NoTerminalError } from '../../main/cli/terminal-prompt.js';
import type { VaultApi } from '../../main/cli/vault-api.js';
import { KmsError } from '../../main/core/errors.js';
import { operation, type OperationSpec } from '../../main/api/operation.js';
import { blob, CurrentPassphrase, EncryptionContext, KeyId, NewPassphrase, TagList } from '../../main/api/fields.js';
import { CONTRACT } from '../../main/api/index.js';

// Declarations only: the stand-in service below answers the calls.
const OPS: OperationSpec[] = [
  operation({
    name: 'Encrypt',
    action: 'kms:Encrypt',
    summary: 'Encrypts plaintext.',
    input: () => z.object({ KeyId, Plaintext: blob('The data to encrypt.', 4096), EncryptionContext: EncryptionContext.optional() }).strict(),
    output: () => z.object({ CiphertextBlob: z.custom<Uint8Array>().meta({ blob: true }), KeyId: z.string(), EncryptionAlgorithm: z.string() }),
  }),
  operation({
    name: 'CreateKey',
    action: 'kms:CreateKey',
    summary: 'Creates a key.',
    input: () => z
      .object({
        Description: z.string().optional().meta({ description: 'A description.' }),
        Tags: TagList.optional(),
        MultiRegion: z.boolean().optional().meta({ description: 'Multi-Region or not.' }),
        NumberOfBytes: z.number().int().min(1).max(1024).optional().meta({ description: 'How many bytes.' }),
      })
      .strict(),
    output: () => z.object({ KeyMetadata: z.object({ KeyId: z.string(), CreationDate: z.date() }) }),
  }),
  operation({
    name: 'EnableKey',
    action: 'kms:EnableKey',
    summary: 'Enables a key.',
    input: () => z.object({ KeyId }).strict(),
    output: () => z.object({}),
  }),
  operation({
    name: 'ChangePassword',
    action: 'iam:ChangePassword',
    summary: 'Changes the passphrase.',
    input: () => z.object({ OldPassword: CurrentPassphrase, NewPassword: NewPassphrase }).strict(),
    output: () => z.object({}),
  }),
  // the contract's own: its Password is an optional new passphrase, set only when asked for
  CONTRACT.UpdateLoginProfile,
  operation({
    name: 'ListKeys',
    action: 'kms:ListKeys',
    summary: 'Lists keys.',
    input: () => z.object({ Limit: z.number().int().optional(), Marker: z.string().optional() }).strict(),
    output: () => z.object({ Keys: z.array(z.object({ KeyId: z.string(), KeyArn: z.string() })), NextMarker: z.string().optional(), Truncated: z.boolean() }),
  }),
];
const TABLE = new Map(OPS.map((o) => [o.name, o]));
const PASS = 'correct horse battery staple';

interface Harness {
  io: CliIo;
  out: () => string;
  err: () => string;
  calls: { name: string; input: Record<string, unknown> }[];
  signIns: Record<string, unknown>[];
  opened: string[];
  closed: () => number;
  prompts: string[];
  inits: unknown[];
}

function harness(env: NodeJS.ProcessEnv = { STRONGROOM_PASSPHRASE: PASS }, answers: string[] | 'no-terminal' = 'no-terminal'): Harness {
  let out = '';
  let err = '';
  let closed = 0;
  const calls: Harness['calls'] = [];
  const signIns: Record<string, unknown>[] = [];
  const opened: string[] = [];
  const prompts: string[] = [];
  const inits: unknown[] = [];
  const caller = { account: '111122223333', region: 'local-1', userName: 'admin', arn: 'arn', source: 'cli' as const };
  const vault: VaultApi = {
    defaultVaultDir: () => '/default/vault',
    async initVault(dir, opts) {
      inits.push({ dir, ...opts });
      if (dir.endsWith('exists')) throw new KmsError('AlreadyExistsException', `A vault already exists in ${dir}.`);
      return { vaultId: 'v', account: '111122223333' };
    },
    async openVault(dir, opts) {
      opened.push(dir);
      if (dir.endsWith('missing')) throw new KmsError('NotFoundException', `There is no vault in ${dir}.`);
      if (dir.endsWith('locked')) await opts?.vaultPassphrase?.();
      return {
        vaultId: '3f1c2a9e-5b7d-4e0f-9a8b-6c5d4e3f2a1b',
        service: {
          async signIn(req) {
            signIns.push({ ...req });
            if (req.passphrase !== PASS) throw new KmsError('AccessDeniedException', 'Sign-in failed.');
            return caller;
          },
          // the CLI's operation commands send what the user typed through dispatch (it validates)
          async dispatch(_caller, name, input) {
            const op = TABLE.get(name);
            if (!op) throw new KmsError('ValidationException', 'no op');
            const parsed = op.input.safeParse(input);
            if (!parsed.success) throw new KmsError('ValidationException', `1 validation error detected: ${parsed.error.issues[0]?.message}`);
            calls.push({ name, input: structuredClone(input) as Record<string, unknown> }); // the CLI wipes its buffers afterwards
            const i = parsed.data as Record<string, unknown>;
            switch (name) {
              case 'Encrypt':
                if (i['KeyId'] !== 'alias/x') throw new KmsError('NotFoundException', `Alias ${String(i['KeyId'])} does not exist.`);
                return { CiphertextBlob: Uint8Array.from(i['Plaintext'] as Uint8Array).reverse(), KeyId: 'arn:k', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };
              case 'CreateKey':
                return { KeyMetadata: { KeyId: 'k1', CreationDate: new Date('2026-11-28T13:18:31.123Z') } };
              case 'ListKeys': {
                const start = Number(i['Marker'] ?? 0);
                const limit = Number(i['Limit'] ?? 2);
                const all = ['k0', 'k1', 'k2', 'k3', 'k4'];
                const page = all.slice(start, start + limit).map((k) => ({ KeyId: k, KeyArn: `arn:${k}` }));
                const more = start + limit < all.length;
                return { Keys: page, Truncated: more, ...(more ? { NextMarker: String(start + limit) } : {}) };
              }
              default:
                return {};
            }
          },
          async call(): Promise<never> {
            throw new Error('the CLI calls operations by dispatch');
          },
          async callInternal(): Promise<never> {
            throw new Error('no command of these tests runs an internal operation');
          },
          // login sessions need a keychain: this stand-in vault has none (sessionTokens absent), so these are never reached
          async startSession(): Promise<never> {
            throw new Error('no login session without a keychain');
          },
          async resumeSession(): Promise<never> {
            throw new Error('no login session without a keychain');
          },
          async endSession(): Promise<never> {
            throw new Error('no login session without a keychain');
          },
          async accountOf(): Promise<never> {
            throw new Error('no login session without a keychain');
          },
        },
        async close() {
          closed++;
        },
      };
    },
  };
  const io: CliIo = {
    env,
    cwd: '/work',
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    promptSecret: async (p) => {
      prompts.push(p);
      if (answers === 'no-terminal') throw new NoTerminalError('no terminal');
      const a = answers.shift();
      if (a === undefined) throw new Error('unexpected prompt');
      return a;
    },
    vault,
    operations: TABLE,
  };
  return { io, out: () => out, err: () => err, calls, signIns, opened, closed: () => closed, prompts, inits };
}

describe('operations', () => {
  test('options are derived from the schema and the response is printed as AWS CLI JSON', async () => {
    const h = harness();
    const code = await run(['encrypt', '--key-id', 'alias/x', '--plaintext', 'AQID', '--encryption-context', 'a=b'], h.io);
    expect(h.err()).toBe('');
    expect(code).toBe(0);
    expect(h.calls).toEqual([{ name: 'Encrypt', input: { KeyId: 'alias/x', Plaintext: new Uint8Array([1, 2, 3]), EncryptionContext: { a: 'b' } } }]);
    expect(h.out()).toBe('{\n    "CiphertextBlob": "AwIB",\n    "KeyId": "arn:k",\n    "EncryptionAlgorithm": "SYMMETRIC_DEFAULT"\n}\n');
    expect(h.closed()).toBe(1);
  });

  test('global options anywhere, environment defaults, --option=value', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS, STRONGROOM_USER: 'alice', STRONGROOM_TENANT: 'acme', STRONGROOM_VAULT: 'envvault' });
    const code = await run(['encrypt', '--region', 'eu-1', '--key-id=alias/x', '--output', 'text', '--plaintext', 'AQID', '--query', 'CiphertextBlob'], h.io);
    expect(code).toBe(0);
    expect(h.out()).toBe('AwIB\n');
    expect(h.opened).toEqual(['/work/envvault']);
    expect(h.signIns).toEqual([{ tenant: 'acme', userName: 'alice', passphrase: PASS, region: 'eu-1', source: 'cli' }]);
  });

  test('defaults: vault dir from the vault module, user admin, region local-1, first tenant', async () => {
    const h = harness();
    await run(['enable-key', '--key-id', 'k'], h.io);
    expect(h.opened).toEqual(['/default/vault']);
    expect(h.signIns[0]).toEqual({ userName: 'admin', passphrase: PASS, region: 'local-1', source: 'cli' });
    expect(h.out()).toBe(''); // an empty response prints nothing
  });

  test('booleans, lists of structures, integers, timestamps', async () => {
    const h = harness();
    const code = await run(
      ['create-key', '--no-multi-region', '--tags', 'TagKey=a,TagValue=b', 'TagKey=c,TagValue=d', '--number-of-bytes', '7', '--description', 'x y'],
      h.io,
    );
    expect(code).toBe(0);
    expect(h.calls[0]?.input).toEqual({
      MultiRegion: false,
      Tags: [
        { TagKey: 'a', TagValue: 'b' },
        { TagKey: 'c', TagValue: 'd' },
      ],
      NumberOfBytes: 7,
      Description: 'x y',
    });
    expect(JSON.parse(h.out())).toEqual({ KeyMetadata: { KeyId: 'k1', CreationDate: '2026-11-28T13:18:31.123000+00:00' } });
  });

  test('--cli-input-json, with command-line options winning', async () => {
    const h = harness();
    const code = await run(['encrypt', '--cli-input-json', '{"KeyId":"alias/other","Plaintext":"AQID"}', '--key-id', 'alias/x'], h.io);
    expect(code).toBe(0);
    expect(h.calls[0]?.input).toEqual({ KeyId: 'alias/x', Plaintext: new Uint8Array([1, 2, 3]) });
  });

  test('--generate-cli-skeleton prints a template and opens nothing', async () => {
    const h = harness();
    expect(await run(['encrypt', '--generate-cli-skeleton'], h.io)).toBe(0);
    expect(JSON.parse(h.out())).toEqual({ KeyId: '', Plaintext: '', EncryptionContext: { KeyName: '' } });
    expect(h.opened).toEqual([]);
  });

  test('paginated operations fetch every page; --limit turns that off', async () => {
    const h = harness();
    expect(await run(['list-keys', '--query', 'Keys[].KeyId', '--output', 'text'], h.io)).toBe(0);
    expect(h.out()).toBe('k0\tk1\nk2\tk3\nk4\n'); // text output formats page by page, as the AWS CLI does
    const j = harness();
    expect(await run(['list-keys'], j.io)).toBe(0);
    expect(JSON.parse(j.out()).Keys).toHaveLength(5);
    expect(JSON.parse(j.out()).Truncated).toBeUndefined();
    const one = harness();
    expect(await run(['list-keys', '--limit', '2'], one.io)).toBe(0);
    expect(JSON.parse(one.out())).toMatchObject({ Truncated: true, NextMarker: '2' });
  });

  test('--output yaml and table print the merged pages; yaml-stream prints each page as it came, --query applied to each', async () => {
    const y = harness();
    expect(await run(['list-keys', '--output', 'yaml', '--query', 'Keys[:2]'], y.io)).toBe(0);
    expect(y.out()).toBe('- KeyArn: arn:k0\n  KeyId: k0\n- KeyArn: arn:k1\n  KeyId: k1\n');
    const s = harness();
    expect(await run(['list-keys', '--output', 'yaml-stream', '--query', '[Keys[].KeyId, Truncated]'], s.io)).toBe(0);
    expect(s.out()).toBe('- - - k0\n    - k1\n  - true\n- - - k2\n    - k3\n  - true\n- - - k4\n  - false\n');
    const t = harness();
    expect(await run(['list-keys', '--output', 'table', '--query', 'Keys[0]'], t.io)).toBe(0);
    expect(t.out()).toBe(
      // as awscli's TableFormatter prints {"KeyArn": "arn:k0", "KeyId": "k0"} under ListKeys
      ['---------------------', '|     ListKeys      |', '+---------+---------+', '| KeyArn  |  KeyId  |', '+---------+---------+', '|  arn:k0 |  k0     |', '+---------+---------+', ''].join('\n'),
    );
  });
});

describe('passphrase fields', () => {
  test('the current passphrase is the sign-in one; the new one comes from STRONGROOM_NEW_PASSPHRASE', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS, STRONGROOM_NEW_PASSPHRASE: 'a brand new passphrase' });
    expect(await run(['change-password'], h.io)).toBe(0);
    expect(h.calls).toEqual([{ name: 'ChangePassword', input: { OldPassword: PASS, NewPassword: 'a brand new passphrase' } }]);
  });

  test('or the new one is asked twice on the terminal', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS }, ['new one!', 'new one!']);
    expect(await run(['change-password'], h.io)).toBe(0);
    expect(h.prompts).toEqual(['New passphrase (NewPassword): ', 'Repeat the passphrase (NewPassword): ']);
    expect(h.calls[0]?.input['NewPassword']).toBe('new one!');
  });

  test('never from the command line', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS, STRONGROOM_NEW_PASSPHRASE: 'x' });
    expect(await run(['change-password', '--new-password', 'visible-in-ps'], h.io)).toBe(252);
    expect(h.err()).toMatch(/--new-password: passphrases are never given on the command line; set STRONGROOM_NEW_PASSPHRASE/);
    expect(await run(['change-password', '--cli-input-json', '{"NewPassword":"x"}'], h.io)).toBe(252);
    expect(h.calls).toEqual([]);
  });
});

describe('an optional new passphrase (iam update-login-profile --password)', () => {
  const NEW = { STRONGROOM_PASSPHRASE: PASS, STRONGROOM_NEW_PASSPHRASE: 'a brand new passphrase' };

  test('left out unless the command says --password: STRONGROOM_NEW_PASSPHRASE alone sets nothing, and nothing is asked', async () => {
    const h = harness(NEW, []);
    expect(await run(['iam', 'update-login-profile', '--user-name', 'bob', '--password-reset-required'], h.io)).toBe(0);
    expect(h.calls).toEqual([{ name: 'UpdateLoginProfile', input: { UserName: 'bob', PasswordResetRequired: true } }]);
    expect(h.prompts).toEqual([]);
  });

  test('--password alone: from STRONGROOM_NEW_PASSPHRASE, or asked twice on the terminal', async () => {
    const fromEnv = harness(NEW);
    expect(await run(['iam', 'update-login-profile', '--password', '--user-name', 'bob'], fromEnv.io)).toBe(0);
    expect(fromEnv.calls).toEqual([{ name: 'UpdateLoginProfile', input: { UserName: 'bob', Password: 'a brand new passphrase' } }]);
    const asked = harness({ STRONGROOM_PASSPHRASE: PASS }, ['typed twice', 'typed twice']);
    expect(await run(['iam', 'update-login-profile', '--user-name', 'bob', '--password', '--no-password-reset-required'], asked.io)).toBe(0);
    expect(asked.prompts).toEqual(['New passphrase (Password): ', 'Repeat the passphrase (Password): ']);
    expect(asked.calls).toEqual([{ name: 'UpdateLoginProfile', input: { UserName: 'bob', Password: 'typed twice', PasswordResetRequired: false } }]);
  });

  test('--password with no terminal and no STRONGROOM_NEW_PASSPHRASE: ValidationException, nothing called', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS });
    expect(await run(['iam', 'update-login-profile', '--user-name', 'bob', '--password'], h.io)).toBe(254);
    expect(h.err()).toMatch(/\(ValidationException\) when calling the UpdateLoginProfile operation: No passphrase \(Password\): set STRONGROOM_NEW_PASSPHRASE/);
    expect(h.calls).toEqual([]);
  });

  test('never with a value on the command line, nor in --cli-input-json', async () => {
    for (const args of [
      ['--user-name', 'bob', '--password', 'visible-in-ps'],
      ['--user-name', 'bob', '--password=visible-in-ps'],
      ['--password', 'visible-in-ps', '--user-name', 'bob'],
    ]) {
      const h = harness(NEW);
      expect(await run(['iam', 'update-login-profile', ...args], h.io), args.join(' ')).toBe(252);
      expect(h.err()).toMatch(/--password: passphrases are never given on the command line; give --password alone and set STRONGROOM_NEW_PASSPHRASE or answer the prompt/);
      expect(h.calls).toEqual([]);
    }
    const json = harness(NEW);
    expect(await run(['iam', 'update-login-profile', '--cli-input-json', '{"UserName":"bob","Password":"x"}'], json.io)).toBe(252);
    expect(json.calls).toEqual([]);
  });

  test('its help says how it is set', async () => {
    const h = harness();
    expect(await run(['iam', 'update-login-profile', 'help'], h.io)).toBe(0);
    expect(h.out()).toMatch(/^ {6}\[--password\]$/m);
    expect(h.out().replace(/\s+/g, ' ')).toContain('Set only when the command says --password, which takes no value; without it, the passphrase is left as it is.');
  });
});

describe('errors', () => {
  test('a service error: AWS text on stderr, exit 254, vault closed', async () => {
    const h = harness();
    const code = await run(['encrypt', '--key-id', 'alias/nope', '--plaintext', 'AQID'], h.io);
    expect(code).toBe(254);
    expect(h.err()).toBe('\nAn error occurred (NotFoundException) when calling the Encrypt operation: Alias alias/nope does not exist.\n');
    expect(h.out()).toBe('');
    expect(h.closed()).toBe(1);
  });

  test('a schema violation is the service ValidationException (254), not a usage error', async () => {
    const h = harness();
    expect(await run(['create-key', '--number-of-bytes', '5000'], h.io)).toBe(254);
    expect(h.err()).toMatch(/^\nAn error occurred \(ValidationException\) when calling the CreateKey operation: /);
  });

  test.each([
    [['encrypt', '--key-id', 'alias/x', '--plaintext', 'AQID', '--bogus', 'v'], /Unknown options: --bogus, v/],
    [['encrypt', '--key-id'], /argument --key-id: expected one argument/],
    [['encrypt', '--key-id', 'alias/x'], /the following arguments are required: --plaintext/],
    [['encrypt', '--key-id', 'alias/x', '--plaintext', 'not base64!'], /Invalid base64/],
    [['encrypt', '--key-id', 'alias/x', '--plaintext', 'fileb:///no/such/file'], /Unable to load paramfile/],
    [['create-key', '--number-of-bytes', 'many'], /expected an integer/],
    [['create-key', '--multi-region=yes'], /--multi-region/],
    [['encrypt', '--key-id', 'alias/x', '--plaintext', 'AQID', '--output', 'xml'], /Invalid choice 'xml', valid choices are: json, text, table, yaml, yaml-stream/],
    [['encrypt', '--key-id', 'alias/x', '--plaintext', 'AQID', '--query', 'Keys['], /Bad value for --query/],
  ])('usage error %j → 252 with the usage, and the vault is not opened', async (argv, message) => {
    const h = harness();
    expect(await run(argv, h.io)).toBe(252);
    expect(h.err()).toMatch(message);
    expect(h.err()).toMatch(/usage: strongroom/);
    expect(h.opened).toEqual([]);
  });

  test('an operation usage error prints that operation\'s usage', async () => {
    const h = harness();
    await run(['encrypt', '--nope'], h.io);
    expect(h.err()).toContain('strongroom [global options] encrypt');
    expect(h.err()).toContain('--plaintext');
    expect(h.err()).toContain('strongroom encrypt help');
  });

  test('an unknown command suggests the close ones', async () => {
    const h = harness();
    expect(await run(['encrpyt'], h.io)).toBe(252);
    expect(h.err()).toMatch(/Invalid choice: 'encrpyt', maybe you meant:\n\n {2}\* encrypt/);
    const none = harness();
    expect(await run([], none.io)).toBe(252);
  });

  test('no passphrase and no terminal: AccessDeniedException naming STRONGROOM_PASSPHRASE', async () => {
    const h = harness({});
    expect(await run(['enable-key', '--key-id', 'k'], h.io)).toBe(254);
    expect(h.err()).toMatch(/An error occurred \(AccessDeniedException\) when calling the EnableKey operation: .*STRONGROOM_PASSPHRASE/);
    expect(h.closed()).toBe(1);
  });

  test('the passphrase is asked on the terminal when not in the environment', async () => {
    const h = harness({}, [PASS]);
    expect(await run(['enable-key', '--key-id', 'k'], h.io)).toBe(0);
    expect(h.prompts).toEqual(['Passphrase for admin: ']);
  });

  test('a wrong passphrase is AccessDeniedException', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: 'wrong' });
    expect(await run(['enable-key', '--key-id', 'k'], h.io)).toBe(254);
    expect(h.err()).toMatch(/\(AccessDeniedException\) when calling the EnableKey operation/);
  });

  test('the vault passphrase comes from STRONGROOM_VAULT_PASSPHRASE or the terminal', async () => {
    const noTerm = harness({ STRONGROOM_PASSPHRASE: PASS });
    expect(await run(['--vault', 'locked', 'enable-key', '--key-id', 'k'], noTerm.io)).toBe(254);
    expect(noTerm.err()).toMatch(/STRONGROOM_VAULT_PASSPHRASE/);
    const asked = harness({ STRONGROOM_PASSPHRASE: PASS }, ['vault secret']);
    expect(await run(['--vault', 'locked', 'enable-key', '--key-id', 'k'], asked.io)).toBe(0);
    expect(asked.prompts).toEqual(['Vault passphrase: ']);
  });

  test('no vault: NotFoundException from open', async () => {
    const h = harness();
    expect(await run(['--vault', '/tmp/missing', 'enable-key', '--key-id', 'k'], h.io)).toBe(254);
    expect(h.err()).toBe('\nAn error occurred (NotFoundException) when calling the EnableKey operation: There is no vault in /tmp/missing.\n');
  });
});

describe('help', () => {
  test('`help` lists every command with its summary', async () => {
    const h = harness();
    expect(await run(['help'], h.io)).toBe(0);
    // summaries wrap in the table's column
    for (const op of OPS) expect(h.out().replace(/\s+/g, ' ')).toContain(op.summary);
    for (const c of ['init', 'start', 'encrypt', 'create-key', 'enable-key', 'list-keys']) expect(h.out()).toMatch(new RegExp(`^  ${c}( |$)`, 'm'));
    expect(h.out()).toContain('/default/vault');
  });

  test('`<command> help` and `help <command>` describe every option', async () => {
    for (const argv of [['create-key', 'help'], ['help', 'create-key'], ['create-key', '--help']]) {
      const h = harness();
      expect(await run(argv, h.io)).toBe(0);
      for (const s of ['--description (string) [optional]', '--tags (list of structures) [optional]', '--multi-region | --no-multi-region (boolean)', '--number-of-bytes (integer) [optional]', 'How many bytes.', 'TagKey=string,TagValue=string']) {
        expect(h.out()).toContain(s);
      }
    }
    const e = harness();
    await run(['encrypt', 'help'], e.io);
    expect(e.out()).toContain('--plaintext (blob) [required]');
    expect(e.out()).toContain('The data to encrypt.');
    expect(e.out()).toContain('fileb://');
  });

  test('start explains the CLI; --version prints the version', async () => {
    const h = harness();
    expect(await run(['start'], h.io)).toBe(0);
    expect(h.out()).toMatch(/strongroom init/);
    expect(h.out()).toMatch(/encrypt --key-id/);
    const v = harness();
    expect(await run(['--version'], v.io)).toBe(0);
    expect(v.out()).toMatch(/^strongroom\/\d+\.\d+\.\d+ node\//);
  });
});

describe('init', () => {
  test('passphrase-only custody from the environment', async () => {
    const h = harness({ STRONGROOM_PASSPHRASE: PASS, STRONGROOM_VAULT_PASSPHRASE: 'vault secret' });
    expect(await run(['init', '--passphrase-only', '--tenant-name', 'acme', '--vault', 'v1'], h.io)).toBe(0);
    expect(h.inits).toEqual([{ dir: '/work/v1', custody: { kind: 'passphrase', passphrase: 'vault secret' }, adminPassphrase: PASS, tenantName: 'acme' }]);
    expect(JSON.parse(h.out())).toEqual({ VaultDirectory: '/work/v1', AccountId: '111122223333', Custody: 'passphrase' });
  });

  test('keychain custody by default; passphrases asked twice on the terminal', async () => {
    const h = harness({}, [PASS, PASS]);
    expect(await run(['init'], h.io)).toBe(0);
    expect(h.inits).toEqual([{ dir: '/default/vault', custody: { kind: 'keychain' }, adminPassphrase: PASS }]);
    expect(h.prompts).toHaveLength(2);
    expect(JSON.parse(h.out()).Custody).toBe('keychain');
  });

  test('typed passphrases that differ create nothing', async () => {
    const h = harness({}, [PASS, 'other']);
    expect(await run(['init'], h.io)).toBe(254);
    expect(h.inits).toEqual([]);
    expect(h.err()).toMatch(/differ/);
  });

  test('no terminal and no environment: a clear error', async () => {
    const h = harness({});
    expect(await run(['init'], h.io)).toBe(254);
    expect(h.err()).toMatch(/STRONGROOM_PASSPHRASE/);
  });

  test('an existing vault: AlreadyExistsException; a bad option: usage', async () => {
    const h = harness();
    expect(await run(['init', '--vault', '/x/exists'], h.io)).toBe(254);
    expect(h.err()).toBe('\nAn error occurred (AlreadyExistsException) when calling the Init operation: A vault already exists in /x/exists.\n');
    const u = harness();
    expect(await run(['init', '--tenant-named', 'x'], u.io)).toBe(252);
    expect(u.err()).toMatch(/usage: strongroom \[global options\] init/);
  });
});
