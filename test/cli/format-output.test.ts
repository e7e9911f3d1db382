import { describe, expect, test } from 'vitest';
import { applyQuery, checkQuery, formatJson, formatText, isoTimestamp, toJson } from '../../main/cli/format-output.js';
import { wipeBytes } from '../../main/core/crypto/wipe.js';
import { UsageError } from '../../main/cli/usage-error.js';

describe('response → JSON values', () => {
  test('bytes as base64, dates as ISO 8601 with +00:00, undefined dropped', () => {
    const v = toJson({
      CiphertextBlob: new Uint8Array([1, 2, 3]),
      CreationDate: new Date('2026-11-28T13:18:31.123Z'),
      DeletionDate: undefined,
      Nested: [{ B: Buffer.from('hi') }],
    });
    expect(v).toEqual({ CiphertextBlob: 'AQID', CreationDate: '2026-11-28T13:18:31.123000+00:00', Nested: [{ B: 'aGk=' }] });
  });
  test('whole seconds print without a fraction, like Python isoformat()', () => {
    expect(isoTimestamp(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05+00:00');
    expect(isoTimestamp(new Date('2026-01-02T03:04:05.007Z'))).toBe('2026-01-02T03:04:05.007000+00:00');
  });
  test('a subarray prints only its own bytes', () => {
    const buf = new Uint8Array([9, 9, 1, 2, 3, 9]);
    expect(toJson(buf.subarray(2, 5))).toBe('AQID');
  });
  test('wipeBytes zeroes every byte array', () => {
    const r = { Plaintext: new Uint8Array([1, 2]), L: [{ X: new Uint8Array([3]) }] };
    wipeBytes(r);
    expect([...r.Plaintext, ...(r.L[0]?.X ?? [])]).toEqual([0, 0, 0]);
  });
});

describe('JSON output (AWS CLI v2)', () => {
  test('4-space indent and a trailing newline', () => {
    expect(formatJson({ KeyId: 'k', Keys: [{ A: 1 }], Empty: [] })).toBe(
      '{\n    "KeyId": "k",\n    "Keys": [\n        {\n            "A": 1\n        }\n    ],\n    "Empty": []\n}\n',
    );
  });
  test('an empty response prints nothing; scalars and null print as JSON', () => {
    expect(formatJson({})).toBe('');
    expect(formatJson('abc')).toBe('"abc"\n');
    expect(formatJson(null)).toBe('null\n');
    expect(formatJson(['a', 'b'])).toBe('[\n    "a",\n    "b"\n]\n');
  });
});

describe('text output (awscli/text.py)', () => {
  test('a scalar prints bare, so `| base64 --decode` works', () => {
    expect(formatText('AQID')).toBe('AQID\n');
    expect(formatText(42)).toBe('42\n');
  });
  test("an object's scalars on one line, tab-separated, in sorted key order", () => {
    expect(formatText({ KeyId: 'arn:k', CiphertextBlob: 'AQID', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })).toBe(
      'AQID\tSYMMETRIC_DEFAULT\tarn:k\n',
    );
  });
  test('a list of scalars on one line', () => {
    expect(formatText(['k1', 'k2', 'k3'])).toBe('k1\tk2\tk3\n');
    expect(formatText([])).toBe('');
  });
  test('lists of objects: one row per element, prefixed by the upper-cased key (list-keys)', () => {
    const listKeys = { Keys: [{ KeyId: 'k1', KeyArn: 'a1' }, { KeyId: 'k2', KeyArn: 'a2' }] };
    expect(formatText(listKeys)).toBe('KEYS\ta1\tk1\nKEYS\ta2\tk2\n');
  });
  test('nested structures and lists on their own lines (describe-key)', () => {
    const describeKey = {
      KeyMetadata: { KeyId: 'k', Enabled: true, MultiRegion: false, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], Description: '' },
    };
    expect(formatText(describeKey)).toBe('KEYMETADATA\t\tTrue\tk\tFalse\nENCRYPTIONALGORITHMS\tSYMMETRIC_DEFAULT\n');
  });
  test('rows of a list share the union of scalar keys; missing ones print empty', () => {
    expect(formatText({ L: [{ A: 1 }, { B: 2 }] })).toBe('L\t1\t\nL\t\t2\n');
  });
  test('lists of lists', () => {
    expect(formatText([['a', 'b'], ['c']])).toBe('a\tb\nc\n');
    expect(formatText({ X: [['a', 'b'], 'c'] })).toBe('X\tc\nX\ta\nX\tb\n');
  });
  test('null prints None and an empty response nothing', () => {
    expect(formatText(null)).toBe('None\n');
    expect(formatText({})).toBe('');
  });
});

describe('--query (JMESPath)', () => {
  const response = { Keys: [{ KeyId: 'k1', KeyArn: 'a1' }, { KeyId: 'k2', KeyArn: 'a2' }], Truncated: false };
  test('selects before formatting', () => {
    expect(applyQuery(response, 'Keys[].KeyId')).toEqual(['k1', 'k2']);
    expect(formatText(applyQuery(response, 'Keys[].KeyId'))).toBe('k1\tk2\n');
    expect(applyQuery(response, 'Keys[?KeyId==`k2`].KeyArn | [0]')).toBe('a2');
    expect(applyQuery(response, 'Missing')).toBeNull();
    expect(applyQuery(response, undefined)).toBe(response);
  });
  test('a syntax error is a usage error', () => {
    expect(() => checkQuery('Keys[')).toThrow(UsageError);
    expect(() => checkQuery('Keys[].KeyId')).not.toThrow();
  });
});
