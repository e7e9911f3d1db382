// `strongroom encrypt-file` / `decrypt-file` end to end: the built binary on
// a fresh passphrase-only vault, run as a shell runs it — files, `-` for
// stdin/stdout in a pipeline, --out-dir for several files and directories,
// the AWS CLI's error lines and exit codes (254 service error, 252 usage,
// 130 interrupted), and nothing left behind when a run fails or is stopped.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, Workspace } from '../cli/binary.js';

beforeAll(() => ensureBuilt(), 180_000);

describe.concurrent('encrypt-file and decrypt-file', () => {
  const ws = new Workspace();
  let keyId = '';
  let arn = '';
  const data = randomBytes(3 * 1024 * 1024 + 123);

  beforeAll(async () => {
    const r = await ws.run(['init', '--passphrase-only']);
    expect(r.code, r.stderr).toBe(0);
    const key = (await ws.json<{ KeyMetadata: { KeyId: string; Arn: string } }>(['create-key', '--description', 'files'])).KeyMetadata;
    keyId = key.KeyId;
    arn = key.Arn;
    writeFileSync(ws.path('data.bin'), data);
  }, 60_000);
  afterAll(() => ws.remove());

  test('a file round trip, printing what was done', async () => {
    const enc = await ws.run(['encrypt-file', '--key-id', keyId, '--in', 'data.bin', '--out', 'data.bin.sr', '--encryption-context', 'purpose=cli-test,team=ops']);
    expect(enc.stderr).toBe('');
    expect(enc.code).toBe(0);
    expect(JSON.parse(enc.stdout)).toEqual({
      InPath: ws.path('data.bin'),
      OutPath: ws.path('data.bin.sr'),
      KeyId: arn,
      SegmentSize: 1048576,
      Segments: 4,
      BytesRead: data.length,
      BytesWritten: readFileSync(ws.path('data.bin.sr')).length,
    });
    const dec = await ws.run(['decrypt-file', '--in', 'data.bin.sr', '--out', 'data.out', '--output', 'text', '--query', 'EncryptionContext.purpose']);
    expect(dec).toMatchObject({ code: 0, stderr: '', stdout: 'cli-test\n' });
    expect(readFileSync(ws.path('data.out')).equals(data)).toBe(true);
  });

  test('- for stdin and stdout, in a pipeline', async () => {
    const r = await ws.sh(`strongroom encrypt-file --key-id ${keyId} --in - --out - < data.bin | strongroom decrypt-file --in - --out - > piped.out`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(ws.path('piped.out')).equals(data)).toBe(true);
    // a file from stdin opens from a path, and the other way round
    const mixed = await ws.sh(`strongroom encrypt-file --key-id ${keyId} --in - --out mixed.sr < data.bin && strongroom decrypt-file --in mixed.sr --out - | cmp - data.bin`);
    expect(mixed.code, mixed.stderr).toBe(0);
  });

  test('--out-dir: several --in files, and a directory', async () => {
    mkdirSync(ws.path('many'));
    writeFileSync(ws.path('many/a.txt'), 'alpha');
    writeFileSync(ws.path('many/b.txt'), 'bravo');
    writeFileSync(ws.path('many/empty'), '');
    const dir = await ws.run(['encrypt-file', '--key-id', keyId, '--in', 'many', '--out-dir', 'sealed']);
    expect(dir.code, dir.stderr).toBe(0);
    expect((JSON.parse(dir.stdout) as { Files: { OutPath: string }[] }).Files.map((f) => f.OutPath)).toEqual(['a.txt.sr', 'b.txt.sr', 'empty.sr'].map((n) => ws.path(`sealed/${n}`)));
    expect(readdirSync(ws.path('sealed')).sort()).toEqual(['a.txt.sr', 'b.txt.sr', 'empty.sr']);
    const back = await ws.run(['decrypt-file', '--in', 'sealed', '--out-dir', 'opened']);
    expect(back.code, back.stderr).toBe(0);
    expect(readFileSync(ws.path('opened/a.txt'), 'utf8')).toBe('alpha');
    expect(readFileSync(ws.path('opened/b.txt'), 'utf8')).toBe('bravo');
    expect(readFileSync(ws.path('opened/empty'), 'utf8')).toBe('');
    const two = await ws.run(['decrypt-file', '--in', 'sealed/a.txt.sr', '--in', 'sealed/b.txt.sr', '--out-dir', 'two']);
    expect(two.code, two.stderr).toBe(0);
    expect(readdirSync(ws.path('two')).sort()).toEqual(['a.txt', 'b.txt']);
  });

  test('service errors: exit 254 with the AWS CLI\'s line, and no output file', async () => {
    const enc = await ws.run(['encrypt-file', '--key-id', keyId, '--in', 'data.bin', '--out', 'err.sr']);
    expect(enc.code, enc.stderr).toBe(0);
    const damaged = readFileSync(ws.path('err.sr'));
    damaged[damaged.length - 20]! ^= 1;
    writeFileSync(ws.path('damaged.sr'), damaged);
    const bad = await ws.run(['decrypt-file', '--in', 'damaged.sr', '--out', 'damaged.out']);
    expect(bad.code).toBe(254);
    expect(bad.stderr).toMatch(/^\nAn error occurred \(InvalidCiphertextException\) when calling the DecryptFile operation: /);
    expect(existsSync(ws.path('damaged.out'))).toBe(false);
    // only this run's temporary file: the tests here run concurrently in one directory, and another may be mid-write
    expect(readdirSync(ws.dir).filter((n) => n.startsWith('.damaged.out.') && n.endsWith('.tmp'))).toEqual([]);

    const missing = await ws.run(['encrypt-file', '--key-id', 'alias/nope', '--in', 'data.bin', '--out', 'nope.sr']);
    expect(missing.code).toBe(254);
    expect(missing.stderr).toMatch(/^\nAn error occurred \(NotFoundException\) when calling the EncryptFile operation: /);
    expect(existsSync(ws.path('nope.sr'))).toBe(false);

    const notOurs = await ws.run(['decrypt-file', '--in', 'data.bin', '--out', 'x.out']);
    expect(notOurs.code).toBe(254);
    expect(notOurs.stderr).toContain('(InvalidCiphertextException) when calling the DecryptFile operation: The input is not a Strongroom encrypted file');

    const same = await ws.run(['encrypt-file', '--key-id', keyId, '--in', 'data.bin', '--out', './data.bin']);
    expect(same.code).toBe(254);
    expect(same.stderr).toContain('(ValidationException)');
    expect(readFileSync(ws.path('data.bin')).equals(data)).toBe(true);
  });

  test('the wrong encryption context is refused', async () => {
    const enc = await ws.run(['encrypt-file', '--key-id', keyId, '--in', 'data.bin', '--out', 'ctx.sr', '--encryption-context', '{"purpose":"a"}']);
    expect(enc.code, enc.stderr).toBe(0);
    const wrong = await ws.run(['decrypt-file', '--in', 'ctx.sr', '--out', 'ctx.out', '--encryption-context', 'purpose=b']);
    expect(wrong.code).toBe(254);
    expect(wrong.stderr).toContain('(InvalidCiphertextException)');
    expect(existsSync(ws.path('ctx.out'))).toBe(false);
    const right = await ws.run(['decrypt-file', '--in', 'ctx.sr', '--out', 'ctx.out', '--encryption-context', 'purpose=a', '--key-id', keyId]);
    expect(right.code, right.stderr).toBe(0);
  });

  test('usage errors: exit 252 with the command\'s usage', async () => {
    for (const args of [
      ['encrypt-file', '--in', 'data.bin', '--out', 'x'],
      ['encrypt-file', '--key-id', 'k', '--out', 'x'],
      ['encrypt-file', '--key-id', 'k', '--in', 'data.bin'],
      ['encrypt-file', '--key-id', 'k', '--in', 'a', '--in', 'b', '--out', 'x'],
      ['encrypt-file', '--key-id', 'k', '--in', 'many', '--out', 'x'],
      ['decrypt-file', '--in', 'data.bin', '--out-dir', 'd'],
      ['decrypt-file', '--in', '-', '--out-dir', 'd'],
      ['decrypt-file', '--in', 'x', '--out', 'y', '--bogus'],
      ['encrypt-file', '--key-id', 'k', '--in', 'x', '--out', 'y', '--encryption-context', 'a=b,c'],
    ]) {
      const r = await ws.run(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(252);
      expect(r.stderr).toContain(`usage: strongroom [global options] ${args[0]}`);
      expect(r.stderr).toMatch(/\nstrongroom: error: .+\n$/);
    }
  });

  test('help for both commands', async () => {
    for (const args of [['encrypt-file', 'help'], ['help', 'decrypt-file'], ['decrypt-file', '--help']]) {
      const r = await ws.run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^NAME\n {2}(en|de)crypt-file -/);
      expect(r.stdout).toContain('--out-dir');
    }
  });

  test('stopped mid-stream (SIGTERM): exit 130, nothing left behind', async () => {
    const r = await ws.sh(
      [
        // a FIFO as --in: data arrives, then the writer keeps it open without ending it
        'mkfifo feed',
        `strongroom encrypt-file --key-id ${keyId} --in feed --out stopped.sr & pid=$!`,
        'exec 3>feed; cat data.bin >&3',
        // wait for the temporary file to appear: the encryption is under way
        'for i in $(seq 1 100); do ls -a | grep -q "^\\.stopped\\.sr\\..*\\.tmp$" && break; sleep 0.1; done',
        'ls -a | grep -c "^\\.stopped\\.sr\\..*\\.tmp$"',
        'kill -TERM $pid; rc=0; wait $pid || rc=$?; exec 3>&-; rm feed; echo "rc=$rc"; ls -a',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/^1\nrc=130\n/);
    expect(r.stdout).not.toContain('stopped.sr');
  }, 60_000);
});
