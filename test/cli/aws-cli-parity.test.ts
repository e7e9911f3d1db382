// The command line read as the AWS CLI reads it: option prefixes (argparse's
// allow_abbrev) and botocore's client-side parameter validation, compared
// with the real AWS CLI v2 (/usr/bin/aws, Debian's awscli 2.9.19) on the same
// arguments. Each compared case fails before aws sends anything, so aws gets
// an endpoint nobody listens on (a parse that passes ends in its connection
// error, exit 255). Strongroom runs in-process over the real contract with a
// stand-in vault that records what reaches it.
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import type { CliIo } from '../../main/cli/cli-io.js';
import { run } from '../../main/cli/run.js';
import type { VaultApi } from '../../main/cli/vault-api.js';

const AWS = '/usr/bin/aws';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  /** the operations that reached the vault, with their input */
  calls: { name: string; input: Record<string, unknown> }[];
  opened: number;
}

async function strongroom(argv: readonly string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  let opened = 0;
  const calls: Outcome['calls'] = [];
  const caller = { account: '111122223333', region: 'local-1', userName: 'admin', arn: 'arn', source: 'cli' as const };
  const vault: VaultApi = {
    defaultVaultDir: () => '/nowhere',
    initVault: () => Promise.reject(new Error('not in these tests')),
    openVault: async () => {
      opened++;
      return {
        vaultId: 'v',
        service: {
          signIn: async () => caller,
          dispatch: async (_c, name, input) => {
            calls.push({ name, input: input as Record<string, unknown> });
            return {};
          },
          call: () => Promise.reject(new Error('the CLI dispatches')),
          callInternal: () => Promise.reject(new Error('the CLI dispatches')),
          // this stand-in vault has no keychain, so no login session: these are never reached
          startSession: () => Promise.reject(new Error('no login session without a keychain')),
          resumeSession: () => Promise.reject(new Error('no login session without a keychain')),
          endSession: () => Promise.reject(new Error('no login session without a keychain')),
          accountOf: () => Promise.reject(new Error('no login session without a keychain')),
        },
        close: async () => undefined,
      };
    },
  };
  const io: CliIo = {
    env: { STRONGROOM_PASSPHRASE: 'p' },
    cwd: '/tmp',
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    vault,
    interactive: false,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr, calls, opened };
}

function aws(args: readonly string[]): { code: number | null; stderr: string } {
  const r = spawnSync(AWS, ['--endpoint-url', 'http://127.0.0.1:9', 'kms', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: '/tmp',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: '1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    },
  });
  if (r.error) throw r.error;
  return { code: r.status, stderr: r.stderr };
}

describe('client-side parameter validation, as botocore words it (exit 252, nothing sent)', () => {
  test.each([
    [['describe-key', '--key-id', ''], 'Invalid length for parameter KeyId, value: 0, valid min length: 1'],
    [['generate-data-key', '--key-id', 'k', '--number-of-bytes', '0'], 'Invalid value for parameter NumberOfBytes, value: 0, valid min value: 1'],
    [['list-keys', '--limit', '0'], 'Invalid value for parameter Limit, value: 0, valid min value: 1'],
    [['encrypt', '--key-id', 'k', '--plaintext', 'aGk=', '--grant-tokens', ''], 'Invalid length for parameter GrantTokens[0], value: 0, valid min length: 1'],
    [['encrypt', '--cli-input-json', '{}'], 'Missing required parameter in input: "KeyId"\nMissing required parameter in input: "Plaintext"'],
    [['encrypt', '--cli-input-json', '{"KeyId":"k"}'], 'Missing required parameter in input: "Plaintext"'],
    [['describe-key', '--cli-input-json', '{"KeyId":"a","Foo":1}'], 'Unknown parameter in input: "Foo", must be one of: KeyId, GrantTokens'],
    [['describe-key', '--cli-input-json', '{"KeyId":5}'], "Invalid type for parameter KeyId, value: 5, type: <class 'int'>, valid types: <class 'str'>"],
    [['describe-key', '--cli-input-json', '{"KeyId":null}'], "Invalid type for parameter KeyId, value: None, type: <class 'NoneType'>, valid types: <class 'str'>"],
    [
      ['describe-key', '--cli-input-json', '{"KeyId":"k","GrantTokens":["a",["b"]]}'],
      "Invalid type for parameter GrantTokens[1], value: ['b'], type: <class 'list'>, valid types: <class 'str'>",
    ],
    [
      ['list-keys', '--cli-input-json', '{"Limit":0,"Marker":""}'],
      'Invalid value for parameter Limit, value: 0, valid min value: 1\nInvalid length for parameter Marker, value: 0, valid min length: 1',
    ],
  ])('%j', async (argv, report) => {
    const expected = `\nParameter validation failed:\n${report}\n`;
    const s = await strongroom(argv);
    expect(s.stderr).toBe(expected);
    expect(s.code).toBe(252);
    expect(s.opened).toBe(0);
    const a = aws(argv);
    expect(a.stderr).toBe(expected);
    expect(a.code).toBe(252);
  });

  test('a maximum, an enum value or a pattern is not checked client-side: the service answers (as botocore leaves them)', async () => {
    for (const argv of [
      ['generate-data-key', '--key-id', 'k', '--number-of-bytes', '5000'],
      ['generate-data-key', '--key-id', 'k', '--key-spec', 'AES_999'],
      ['create-alias', '--alias-name', 'not-an-alias', '--target-key-id', 'k'],
    ]) {
      const s = await strongroom(argv);
      expect(s.code, argv.join(' ')).toBe(0); // the stand-in vault answers everything
      expect(s.calls).toHaveLength(1);
      expect(aws(argv).code, argv.join(' ')).toBe(255); // aws parsed and validated it, then failed to connect
    }
  });

  test('a nested required member, and every problem at once', async () => {
    const s = await strongroom(['create-key', '--tags', 'TagKey=a,TagValue=b', 'TagKey=c', '--cli-input-json', '{"Policy":"","Bogus":true}']);
    expect(s.code).toBe(252);
    const lines = s.stderr.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('Parameter validation failed:');
    expect(lines[2]).toMatch(/^Unknown parameter in input: "Bogus", must be one of: Description, .*Tags, MultiRegion, Policy, /);
    expect(lines.slice(3)).toEqual(['Invalid length for parameter Policy, value: 0, valid min length: 1', 'Missing required parameter in Tags[1]: "TagValue"', '']);
  });

  test('without --cli-input-json a missing option is the parser\'s error, with the usage', async () => {
    const s = await strongroom(['encrypt', '--key-id', 'k']);
    expect(s.code).toBe(252);
    expect(s.stderr).toMatch(/usage: strongroom[^]*strongroom: error: the following arguments are required: --plaintext\n$/);
    const a = aws(['encrypt', '--key-id', 'k']);
    expect(a.code).toBe(252);
    expect(a.stderr).toMatch(/aws: error: the following arguments are required: --plaintext\n/);
  });

  test('a blob of the wrong type is named without echoing its value', async () => {
    const s = await strongroom(['encrypt', '--cli-input-json', '{"KeyId":"k","Plaintext":[115,101,99,114,101,116]}']);
    expect(s.code).toBe(252);
    expect(s.stderr).toContain("Invalid type for parameter Plaintext, value: (not shown), type: <class 'list'>, valid types: <class 'bytes'>, <class 'bytearray'>, file-like object");
    expect(s.stderr).not.toContain('115');
  });
});

describe('option prefixes (argparse allow_abbrev)', () => {
  test('an unambiguous prefix of an operation option, also as --prefix=value', async () => {
    const s = await strongroom(['untag-resource', '--key', 'k', '--tag-key', 'a', 'b']);
    expect(s.stderr).toBe('');
    expect(s.calls).toEqual([{ name: 'UntagResource', input: { KeyId: 'k', TagKeys: ['a', 'b'] } }]);
    const e = await strongroom(['describe-key', '--key=abc']);
    expect(e.calls).toEqual([{ name: 'DescribeKey', input: { KeyId: 'abc' } }]);
    // aws took both too: it parsed them and failed only to connect
    expect(aws(['untag-resource', '--key', 'k', '--tag-key', 'a', 'b']).code).toBe(255);
    expect(aws(['describe-key', '--key=abc']).code).toBe(255);
  });

  test('an ambiguous prefix is a usage error naming the candidates in order, with the token as typed', async () => {
    for (const argv of [
      ['re-encrypt', '--ciphertext-blob', 'aGk=', '--destination-key-id', 'k', '--source-e', 'a=b'],
      ['re-encrypt', '--source-e=1'],
    ]) {
      const s = await strongroom(argv);
      const a = aws(argv);
      const line = (t: string) => t.match(/error: (ambiguous option: .*)\n/)?.[1];
      expect(s.code).toBe(252);
      expect(a.code).toBe(252);
      expect(line(s.stderr)).toBe(line(a.stderr));
      expect(line(s.stderr)).toMatch(/^ambiguous option: --source-e(=1)? could match --source-encryption-context, --source-encryption-algorithm$/);
      expect(s.opened).toBe(0);
    }
  });

  test('global options take prefixes too, before the command\'s (so --de is --debug, as in aws)', async () => {
    const s = await strongroom(['describe-key', '--key-id', 'k', '--out', 'text', '--reg=eu-1', '--que', 'KeyId']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.calls).toHaveLength(1);
    const d = await strongroom(['create-key', '--de', 'x']);
    expect(d.code).toBe(252);
    expect(d.stderr).toMatch(/error: Unknown options: x\n$/);
    expect(aws(['create-key', '--de', 'x']).stderr).toMatch(/\nUnknown options: x\n/);
    expect(aws(['list-keys', '--out', 'text', '--reg=us-west-2']).code).toBe(255);
  });

  test('an unknown option is named as typed, =value and all', async () => {
    const s = await strongroom(['list-keys', '--source-e=1']);
    expect(s.code).toBe(252);
    expect(s.stderr).toMatch(/strongroom: error: Unknown options: --source-e=1\n$/);
    expect(aws(['list-keys', '--source-e=1']).stderr).toMatch(/\nUnknown options: --source-e=1\n/);
  });

  test('an ambiguous global prefix names the global options it could be', async () => {
    const s = await strongroom(['create-key', '--no']);
    expect(s.code).toBe(252);
    expect(s.stderr).toMatch(/error: ambiguous option: --no could match --no-paginate, --no-cli-pager/);
    expect(aws(['create-key', '--no']).stderr).toMatch(/aws: error: ambiguous option: --no could match --no-verify-ssl, --no-paginate,/);
  });

  test('an exact option wins over a longer one it prefixes, and a command\'s exact option over a global prefix', async () => {
    // --user is global and a prefix of iam create-user's --user-name; --out is encrypt-file's own option and a prefix of --output
    const s = await strongroom(['iam', 'create-user', '--user-name', 'bob', '--user', 'admin']);
    expect(s.calls).toEqual([{ name: 'CreateUser', input: { UserName: 'bob' } }]);
    const f = await strongroom(['encrypt-file', '--out', '/tmp/x', '--nope']);
    expect(f.code).toBe(252);
    expect(f.stderr).toMatch(/Unknown options: --nope/); // --out was taken as encrypt-file's, not as --output with an invalid choice
  });
});
