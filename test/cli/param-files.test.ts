// file:// and fileb:// values are read only up to one byte past what their
// parameter may hold (main/cli/param-files.ts), with the limit taken from the
// operation's own schema (parse-values.ts readLimitOf): devices, FIFOs and
// huge files are refused without being read whole.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileAtMost } from '../../main/cli/param-files.js';
import { parseOptionValue, readLimitOf } from '../../main/cli/parse-values.js';
import { fieldsOf, type Field } from '../../main/cli/schema-shapes.js';
import { MAX_JSON_BYTES } from '../../main/core/service/input-bounds.js';
import { CONTRACT, type OperationName } from '../../main/api/index.js';
import { MAX_PLAINTEXT } from '../../main/api/limits.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-param-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const field = (operation: OperationName, name: string): Field => {
  const f = fieldsOf(CONTRACT[operation].input).find((x) => x.name === name);
  if (!f) throw new Error(`${operation}.${name}`);
  return f;
};

describe('readFileAtMost', () => {
  test('returns a file of up to the limit, and nothing for one byte more', () => {
    const path = join(dir, 'ten.bin');
    writeFileSync(path, Buffer.alloc(10, 7));
    expect(readFileAtMost(path, 10)).toEqual(Buffer.alloc(10, 7));
    expect(readFileAtMost(path, 9)).toBeUndefined();
    writeFileSync(join(dir, 'empty'), '');
    expect(readFileAtMost(join(dir, 'empty'), 0)).toEqual(Buffer.alloc(0));
  });

  test('stops at one byte past the limit on a device that never ends', () => {
    const started = Date.now();
    expect(readFileAtMost('/dev/zero', 1_000_000)).toBeUndefined();
    expect(readFileAtMost('/dev/zero', 0)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('refuses a 64 GiB sparse file by its size, without reading it', () => {
    const path = join(dir, 'huge.bin');
    writeFileSync(path, '');
    truncateSync(path, 64 * 1024 ** 3);
    const started = Date.now();
    expect(readFileAtMost(path, MAX_JSON_BYTES)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(100);
  });

  test('stops on a FIFO whose writer never stops', async () => {
    const fifo = join(dir, 'fifo');
    const made = spawn('mkfifo', [fifo]);
    await new Promise((done) => made.on('close', done));
    // the writer dies of SIGPIPE once the reader has closed the FIFO
    const writer = spawn('sh', ['-c', `exec cat /dev/zero > '${fifo}'`], { stdio: 'ignore' });
    const ended = new Promise((done) => writer.on('close', done));
    expect(readFileAtMost(fifo, 100_000)).toBeUndefined();
    await ended;
  });

  test('passes on the file system error of a missing file or a directory', () => {
    expect(() => readFileAtMost(join(dir, 'missing'), 10)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => readFileAtMost(dir, 10)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});

describe('the limit of each parameter comes from its schema', () => {
  test('a blob: its byte limit (Encrypt Plaintext: MAX_PLAINTEXT, GenerateMac Message: 4096)', () => {
    expect(readLimitOf(field('Encrypt', 'Plaintext')).maxBytes).toBe(MAX_PLAINTEXT);
    expect(readLimitOf(field('GenerateMac', 'Message')).maxBytes).toBe(4096);
  });

  test('a string of at most n characters: 3n bytes; anything else: the JSON input limit', () => {
    expect(readLimitOf(field('Encrypt', 'KeyId')).maxBytes).toBe(3 * 2048);
    expect(readLimitOf(field('PutKeyPolicy', 'Policy')).maxBytes).toBe(MAX_JSON_BYTES);
    expect(readLimitOf(field('CreateKey', 'Tags')).maxBytes).toBe(MAX_JSON_BYTES);
  });

  test('a file one byte over is a ValidationException naming the member and its limit; one at the limit is read', () => {
    const opts = { cwd: dir, binaryFormat: 'base64' as const };
    writeFileSync(join(dir, 'mac-max.bin'), Buffer.alloc(4096, 1));
    writeFileSync(join(dir, 'mac-over.bin'), Buffer.alloc(4097, 1));
    const message = field('GenerateMac', 'Message');
    expect(parseOptionValue(message, ['fileb://mac-max.bin'], opts)).toHaveLength(4096);
    expect(() => parseOptionValue(message, ['fileb://mac-over.bin'], opts)).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: 'Message (--message) takes at most 4096 bytes; fileb://mac-over.bin holds more.' }),
    );
    expect(() => parseOptionValue(field('Encrypt', 'KeyId'), ['file:///dev/zero'], opts)).toThrow(
      expect.objectContaining({ name: 'ValidationException', message: 'KeyId (--key-id) takes at most 2048 characters; file:///dev/zero holds more than 6144 bytes.' }),
    );
  });
});
