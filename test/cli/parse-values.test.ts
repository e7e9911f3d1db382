import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { decodeBase64, parseOptionValue, type ParseOptions } from '../../main/cli/parse-values.js';
import { fieldsOf, type Field } from '../../main/cli/schema-shapes.js';
import { UsageError } from '../../main/cli/usage-error.js';
import { blob, EncryptionContext, KeyId, TagList } from '../../main/api/fields.js';

// The field schemas the operations use (main/core/operations/fields.ts), in one object.
const input = z
  .object({
    KeyId,
    Plaintext: blob('The data.', 100),
    EncryptionContext: EncryptionContext.optional(),
    NumberOfBytes: z.number().int().min(1).optional().meta({ description: 'How many.' }),
    Tags: TagList.optional(),
    TagKeys: z.array(z.string()).optional(),
    MultiRegion: z.boolean().optional(),
    KeySpec: z.enum(['AES_128', 'AES_256']).optional().meta({ description: 'The spec.' }),
    ValidTo: z.date().optional(),
    Constraints: z.object({ EncryptionContextSubset: EncryptionContext.optional(), EncryptionContextEquals: EncryptionContext.optional() }).strict().optional(),
  })
  .strict();
const fields = new Map(fieldsOf(input).map((f) => [f.name, f]));
const field = (name: string): Field => {
  const f = fields.get(name);
  if (!f) throw new Error(name);
  return f;
};

let dir = '';
let opts: ParseOptions;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'strongroom-cli-values-'));
  writeFileSync(join(dir, 'bin.dat'), Buffer.from([0, 1, 2, 255, 254]));
  writeFileSync(join(dir, 'text.txt'), 'héllo\n');
  writeFileSync(join(dir, 'ctx.json'), '{"purpose":"test","team":"ops"}');
  writeFileSync(join(dir, 'tags.json'), '[{"TagKey":"a","TagValue":"b"}]');
  writeFileSync(join(dir, 'key-id.txt'), 'alias/from-file');
  opts = { cwd: dir, binaryFormat: 'base64' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const parse = (name: string, ...tokens: string[]) => parseOptionValue(field(name), tokens, opts);
const usageError = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('shapes read from the zod schemas', () => {
  test('kinds, options, required, descriptions', () => {
    expect(field('KeyId')).toMatchObject({ option: '--key-id', required: true, shape: { kind: 'string' } });
    expect(field('KeyId').description).toMatch(/alias/);
    expect(field('Plaintext')).toMatchObject({ option: '--plaintext', required: true, shape: { kind: 'blob' }, description: 'The data.' });
    expect(field('EncryptionContext')).toMatchObject({ required: false, shape: { kind: 'map', value: { kind: 'string' } } });
    expect(field('EncryptionContext').description).toMatch(/Key-value pairs/);
    expect(field('NumberOfBytes')).toMatchObject({ option: '--number-of-bytes', shape: { kind: 'integer' }, description: 'How many.' });
    expect(field('Tags').shape).toMatchObject({ kind: 'list', element: { kind: 'structure' } });
    expect(field('TagKeys').shape).toEqual({ kind: 'list', element: { kind: 'string' } });
    expect(field('MultiRegion')).toMatchObject({ option: '--multi-region', negatedOption: '--no-multi-region', shape: { kind: 'boolean' } });
    expect(field('KeySpec').shape).toEqual({ kind: 'string', choices: ['AES_128', 'AES_256'] });
  });
});

describe('blob values', () => {
  test('fileb:// is the raw bytes', () => {
    expect(parse('Plaintext', 'fileb://bin.dat')).toEqual(new Uint8Array([0, 1, 2, 255, 254]));
    expect(parse('Plaintext', `fileb://${join(dir, 'bin.dat')}`)).toEqual(new Uint8Array([0, 1, 2, 255, 254]));
  });
  test('file:// is the UTF-8 text', () => {
    expect(Buffer.from(parse('Plaintext', 'file://text.txt') as Uint8Array).toString('utf8')).toBe('héllo\n');
  });
  test('file:// refuses a file that is not UTF-8 and points at fileb://', () => {
    expect(usageError(() => parse('Plaintext', 'file://bin.dat'))).toMatch(/fileb:\/\/bin\.dat/);
  });
  test('otherwise base64', () => {
    expect(parse('Plaintext', 'AAEC/w==')).toEqual(new Uint8Array([0, 1, 2, 255]));
    expect(parse('Plaintext', 'AAEC\n/w==')).toEqual(new Uint8Array([0, 1, 2, 255]));
  });
  test.each(['hello world', 'AAE', 'AA=C', '!!!!', 'AAEC/w==='])('bad base64 %j is a usage error', (v) => {
    expect(usageError(() => parse('Plaintext', v))).toMatch(/Invalid base64/);
  });
  test('raw-in-base64-out takes the text itself', () => {
    expect(parseOptionValue(field('Plaintext'), ['hello'], { ...opts, binaryFormat: 'raw-in-base64-out' })).toEqual(new Uint8Array(Buffer.from('hello')));
  });
  test('an unreadable file is a usage error naming it', () => {
    expect(usageError(() => parse('Plaintext', 'fileb://missing.bin'))).toMatch(/Unable to load paramfile fileb:\/\/missing\.bin: No such file/);
    expect(usageError(() => parse('Plaintext', 'fileb://'))).toMatch(/needs a path/);
  });
  test('decodeBase64 is strict', () => {
    expect(decodeBase64('')).toEqual(new Uint8Array());
    expect(decodeBase64('YQ')).toBeUndefined();
    expect(decodeBase64('YQ-_')).toBeUndefined();
  });
});

describe('scalars', () => {
  test('strings are literal or file://', () => {
    expect(parse('KeyId', 'alias/x')).toBe('alias/x');
    expect(parse('KeyId', 'file://key-id.txt')).toBe('alias/from-file');
  });
  test('integers', () => {
    expect(parse('NumberOfBytes', '32')).toBe(32);
    expect(parse('NumberOfBytes', '-1')).toBe(-1); // range is the service's to check
    expect(usageError(() => parse('NumberOfBytes', '3.5'))).toMatch(/expected an integer/);
    expect(usageError(() => parse('NumberOfBytes', 'ten'))).toMatch(/expected an integer/);
  });
  test('timestamps: ISO 8601 or epoch seconds', () => {
    expect(parse('ValidTo', '2026-12-31T23:59:59Z')).toEqual(new Date('2026-12-31T23:59:59Z'));
    expect(parse('ValidTo', '1798761599')).toEqual(new Date('2026-12-31T23:59:59Z'));
    expect(usageError(() => parse('ValidTo', 'tomorrow'))).toMatch(/expected a timestamp/);
  });
  test('enums are passed on for the service to check', () => {
    expect(parse('KeySpec', 'AES_512')).toBe('AES_512');
  });
  test('one value only', () => {
    expect(usageError(() => parse('KeyId', 'a', 'b'))).toMatch(/expected one value/);
  });
});

describe('maps', () => {
  test('shorthand', () => {
    expect(parse('EncryptionContext', 'purpose=test,team=ops')).toEqual({ purpose: 'test', team: 'ops' });
  });
  test('JSON', () => {
    expect(parse('EncryptionContext', '{"purpose":"test","a,b":"c=d"}')).toEqual({ purpose: 'test', 'a,b': 'c=d' });
  });
  test('file:// holding JSON', () => {
    expect(parse('EncryptionContext', 'file://ctx.json')).toEqual({ purpose: 'test', team: 'ops' });
  });
  test('__proto__ reaches the service as a key (for its schema to refuse), never as a prototype', () => {
    for (const text of ['__proto__=x', '{"__proto__":"x"}']) {
      const v = parse('EncryptionContext', text) as object;
      expect(Object.prototype.hasOwnProperty.call(v, '__proto__')).toBe(true);
      expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    }
  });
  test('bad JSON and bad shorthand are usage errors', () => {
    expect(usageError(() => parse('EncryptionContext', '{"a":'))).toMatch(/Invalid JSON/);
    expect(usageError(() => parse('EncryptionContext', 'justtext'))).toMatch(/--encryption-context/);
    expect(usageError(() => parse('EncryptionContext', 'k=a,b'))).toMatch(/expected a single string/);
  });
});

describe('structures', () => {
  test('shorthand with a nested hash, or JSON', () => {
    expect(parse('Constraints', 'EncryptionContextSubset={Department=IT,team=ops}')).toEqual({ EncryptionContextSubset: { Department: 'IT', team: 'ops' } });
    expect(parse('Constraints', '{"EncryptionContextEquals":{"a":"b"}}')).toEqual({ EncryptionContextEquals: { a: 'b' } });
  });
});

describe('lists', () => {
  test('lists of structures: one shorthand value per element', () => {
    expect(parse('Tags', 'TagKey=a,TagValue=b', 'TagKey=c,TagValue=d')).toEqual([
      { TagKey: 'a', TagValue: 'b' },
      { TagKey: 'c', TagValue: 'd' },
    ]);
  });
  test('lists of structures: JSON list, JSON element, file://', () => {
    expect(parse('Tags', '[{"TagKey":"a","TagValue":"b"},{"TagKey":"c","TagValue":"d"}]')).toHaveLength(2);
    expect(parse('Tags', '{"TagKey":"a","TagValue":"b"}')).toEqual([{ TagKey: 'a', TagValue: 'b' }]);
    expect(parse('Tags', 'file://tags.json')).toEqual([{ TagKey: 'a', TagValue: 'b' }]);
  });
  test('a misspelt member is a usage error listing the valid ones', () => {
    expect(usageError(() => parse('Tags', 'Tagkey=a,TagValue=b'))).toMatch(/Unknown key 'Tagkey', valid keys are: TagKey, TagValue/);
  });
  test('lists of strings: separate values, commas, or JSON', () => {
    expect(parse('TagKeys', 'a', 'b')).toEqual(['a', 'b']);
    expect(parse('TagKeys', 'a,b')).toEqual(['a', 'b']);
    expect(parse('TagKeys', '["a","b"]')).toEqual(['a', 'b']);
  });
});
