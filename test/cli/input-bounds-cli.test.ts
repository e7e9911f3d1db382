// Bad input through the built `strongroom` binary (issue 9, "Bad input"):
// JSON and shorthand nested thousands deep, file arguments that never end
// or are huge, an audit export to a destination that cannot be written, an
// oversized --query. Each is refused quickly with a named error that states
// the limit (exit 254 for a ValidationException, 252 for a bad --query, as
// main/cli/run.ts maps them), before the vault is opened or anything written.
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from './binary.js';

beforeAll(() => ensureBuilt(), 180_000);

const DEEP = 100_000;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const TOO_DEEP = /is nested more than 64 levels deep, Strongroom's limit/;
/** a refusal must come long before this; a read that never ends is killed here */
const BOUND = 20;

describe.concurrent('bad input through the binary', () => {
  const ws = new Workspace();
  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    writeFileSync(ws.path('deep-request.json'), `{"Tags":${deepArray}}`);
    writeFileSync(ws.path('deep-list.json'), deepArray);
    writeFileSync(ws.path('deep-policy.json'), `{"Version":"2012-10-17","Statement":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
  }, 60_000);
  afterAll(() => ws.remove());

  test.each([
    ['--cli-input-json from a file', ['create-key', '--cli-input-json', 'file://deep-request.json'], /The JSON of --cli-input-json/],
    ['--cli-input-json inline', ['create-key', '--cli-input-json', `{"Description":${'['.repeat(5000)}${']'.repeat(5000)}}`], /The JSON of --cli-input-json/],
    ['a JSON option value', ['create-key', '--tags', 'file://deep-list.json'], /The JSON value of --tags/],
    ['a shorthand option value', ['create-key', '--tags', `TagKey=${'['.repeat(60_000)}`], /The value of --tags/],
  ])('%s nested thousands deep: ValidationException naming the limit (254)', async (_, args, what) => {
    const r = await ws.run(args);
    expect(r.stderr).toMatch(/^\nAn error occurred \(ValidationException\) when calling the CreateKey operation: /);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).toMatch(TOO_DEEP);
    expect(r.code).toBe(254);
  });

  test('a policy document nested thousands deep: MalformedPolicyDocumentException naming the limit (254)', async () => {
    const r = await ws.run(['create-key', '--policy', 'file://deep-policy.json']);
    expect(r.stderr).toMatch(/\(MalformedPolicyDocumentException\) when calling the CreateKey operation: the policy document is nested more than 64 levels deep/);
    expect(r.code).toBe(254);
  });

  test('--plaintext fileb:///dev/zero: refused after one byte past the limit, quickly (254)', async () => {
    const started = Date.now();
    const r = await ws.sh(`timeout -s KILL ${BOUND} strongroom encrypt --key-id alias/none --plaintext fileb:///dev/zero`);
    expect(r.stderr).toBe('\nAn error occurred (ValidationException) when calling the Encrypt operation: Plaintext (--plaintext) takes at most 4194304 bytes; fileb:///dev/zero holds more.\n');
    expect(r.code).toBe(254);
    expect(Date.now() - started).toBeLessThan(BOUND * 1000);
  });

  test('a FIFO that never ends, and a 64 GiB file, are refused the same way (254)', async () => {
    const fifo = await ws.sh(`rm -f zeros; mkfifo zeros; (cat /dev/zero > zeros 2>/dev/null &); timeout -s KILL ${BOUND} strongroom sign --key-id alias/none --signing-algorithm ECDSA_SHA_256 --message fileb://zeros`);
    expect(fifo.stderr).toMatch(/\(ValidationException\) when calling the Sign operation: Message \(--message\) takes at most \d+ bytes; fileb:\/\/zeros holds more\.\n$/);
    expect(fifo.code).toBe(254);
    writeFileSync(ws.path('huge.bin'), '');
    truncateSync(ws.path('huge.bin'), 64 * 1024 ** 3);
    const huge = await ws.run(['encrypt', '--key-id', 'alias/none', '--plaintext', 'fileb://huge.bin']);
    expect(huge.stderr).toMatch(/Plaintext \(--plaintext\) takes at most 4194304 bytes; fileb:\/\/huge\.bin holds more/);
    expect(huge.code).toBe(254);
    const verify = await ws.run(['audit', 'verify', '--file', 'huge.bin']);
    expect(verify.stderr).toMatch(/\(ValidationException\) when calling the VerifyEvents operation: .*huge\.bin is more than \d+ bytes, larger than any audit export can be/);
    expect(verify.code).toBe(254);
  });

  test('a text parameter from file:///dev/zero is limited by its schema too (254)', async () => {
    const r = await ws.sh(`timeout -s KILL ${BOUND} strongroom describe-key --key-id file:///dev/zero`);
    expect(r.stderr).toMatch(/\(ValidationException\) when calling the DescribeKey operation: KeyId \(--key-id\) takes at most 2048 characters; file:\/\/\/dev\/zero holds more than 6144 bytes\./);
    expect(r.code).toBe(254);
  });

  test('an oversized or deeply nested --query is a usage error naming the limit (252)', async () => {
    const long = await ws.run(['list-keys', '--query', `${'('.repeat(5000)}Keys${')'.repeat(5000)}`]);
    expect(long.stderr).toMatch(/Bad value for --query: it has 10001 tokens \(names, operators, literals\); the limit is 500\./);
    expect(long.code).toBe(252);
    const literal = await ws.run(['list-keys', '--query', `\`${'['.repeat(3000)}${']'.repeat(3000)}\``]);
    expect(literal.stderr).toMatch(/Bad value for --query: A JSON literal in --query is nested more than 64 levels deep/);
    expect(literal.code).toBe(252);
  });

  // one after the other: the trail must show no export until the one that succeeds
  describe.sequential('audit export --out', () => {
    const exportsRecorded = async (): Promise<number> =>
      (await ws.json<{ Events: unknown[] }>(['audit', 'lookup-events', '--event-name', 'ExportEvents'])).Events.length;

    test.each([
      ['in a missing directory', 'missing-dir/x.jsonl', /Cannot write .*\/missing-dir\/x\.jsonl: its directory .*\/missing-dir does not exist\./],
      ['under a regular file', 'plain-file/x.jsonl', /Cannot write .*\/plain-file\/x\.jsonl: a part of the path is not a directory\./],
      ['that is a directory', 'a-directory', /The destination .*\/a-directory is a directory/],
    ])('to a path %s: a named error before the export runs, nothing created (254)', async (_, out, message) => {
      writeFileSync(ws.path('plain-file'), 'not a directory');
      mkdirSync(ws.path('a-directory'), { recursive: true });
      const r = await ws.run(['audit', 'export', '--out', out]);
      expect(r.stderr).toMatch(/^\nAn error occurred \(ValidationException\) when calling the ExportEvents operation: /);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(254);
      expect(existsSync(ws.path('missing-dir'))).toBe(false);
      expect(readFileSync(ws.path('plain-file'), 'utf8')).toBe('not a directory');
      expect(readdirSync(ws.path('a-directory'))).toEqual([]);
      expect(readdirSync(ws.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });

    test('the refused exports never opened the vault: no ExportEvents call reached the trail', async () => {
      expect(await exportsRecorded()).toBe(0);
    });

    test('to a writable path: the export, and no temporary file left beside it', async () => {
      mkdirSync(ws.path('exports'));
      const r = await ws.run(['audit', 'export', '--out', 'exports/trail.jsonl']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(readdirSync(ws.path('exports'))).toEqual(['trail.jsonl']);
      const verify = await ws.run(['audit', 'verify', '--file', 'exports/trail.jsonl', '--query', 'Valid']);
      expect(verify.stdout.trim()).toBe('true');
      expect(await exportsRecorded()).toBe(1);
    });
  });
});
