// --output table, yaml and yaml-stream against the AWS CLI v2: byte for byte
// against output the real `aws` printed (fixtures/aws-cli-v2, how they were
// made in its README), and against the AWS CLI's own formatter code run on
// many shapes and awkward strings (aws-formatters.ts: Debian's awscli).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatOutput, OUTPUT_FORMATS } from '../../main/cli/format-output.js';
import { formatTable } from '../../main/cli/format-table.js';
import { formatYaml, formatYamlStreamPage } from '../../main/cli/format-yaml.js';
import { GLOBAL_OPTIONS, splitGlobalOptions } from '../../main/cli/global-options.js';
import { awsTable, awsYaml } from './aws-formatters.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'aws-cli-v2');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

describe('the same output as the real aws CLI v2 (moto_server, captured)', () => {
  const cases: [string, string][] = [
    ['describe-key', 'DescribeKey'],
    ['list-keys', 'ListKeys'],
    ['encrypt', 'Encrypt'],
    ['describe-key-query', 'DescribeKey'],
    ['list-aliases-3', 'ListAliases'],
  ];
  for (const [name, title] of cases) {
    test(`${name}: table and yaml`, () => {
      const data = JSON.parse(fixture(`${name}.json`));
      expect(formatOutput(data, 'table', { title })).toBe(fixture(`${name}.table`));
      expect(formatOutput(data, 'yaml', { title })).toBe(fixture(`${name}.yaml`));
    });
  }
});

const KEY_METADATA = {
  AWSAccountId: '111122223333',
  KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
  Arn: 'arn:aws:kms:local-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  CreationDate: '2026-11-28T13:18:31.123000+00:00',
  Enabled: true,
  MultiRegion: false,
  Description: '',
  KeyUsage: 'ENCRYPT_DECRYPT',
  EncryptionAlgorithms: ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256'],
  SigningAlgorithms: [],
  MultiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: 'arn:p', Region: 'local-1' }, ReplicaKeys: [{ Arn: 'arn:r', Region: 'local-2' }, { Arn: 'arn:s', Region: 'local-3' }] },
};
const SHAPES: [string, unknown][] = [
  ['describe-key', { KeyMetadata: KEY_METADATA }],
  ['list-keys', { Keys: [{ KeyId: 'k1', KeyArn: 'arn:k1' }, { KeyId: 'k2', KeyArn: 'arn:k2' }], Truncated: false }],
  ['one key', { Keys: [{ KeyId: 'k1', KeyArn: 'arn:k1' }] }],
  ['list of dicts with lists inside', { Grants: [{ GrantId: 'g1', Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { dept: 'a b', 'true': 'yes' } } }, { GrantId: 'g2', Name: 'n' }] }],
  ['differing keys', { L: [{ A: 1 }, { B: 2, C: null }] }],
  ['list of scalars', ['a', 'b', 'c']],
  ['list of lists', [['a', 'b'], ['c', 'd']]],
  ['scalar', 'just a string'],
  ['number', 42],
  ['empty', {}],
  ['false', false],
  ['unicode widths', { Description: 'Schlüssel für Ω — 鍵の説明', Other: 'x' }],
  ['long values', { Plaintext: 'QUJD'.repeat(60), Description: 'word '.repeat(40).trim() }],
];

describe('table: the AWS CLI v2 TableFormatter on the same values', () => {
  for (const [name, data] of SHAPES) {
    for (const width of [80, 250]) {
      test(`${name}, ${width} columns`, () => {
        expect(formatTable(data as never, 'Op', width)).toBe(awsTable('Op', data, width));
      });
    }
  }
});

const AWKWARD = [
  'true', 'True', 'yes', 'no', 'on', 'null', 'Null', '~', '', '1.5', '0x1F', '0o17', '012', '1_000', '1e3', '.nan', 'NaN', '.inf', '+1', '-',
  '- x', 'a: b', 'a:b', '#c', 'a #b', 'a#b', 'x\ny', 'x\n\ny\n', 'y\n', ' lead', 'trail ', 'tab\there', 'ünï', 'é\u0001', '2026-01-01',
  '2026-11-28T13:18:31.123000+00:00', "'q'", '"dq', "it's", '@at', '`bt', '%p', '!t', '&a', '*a', '|', '>', '?', '? x', 'a,b', '[x]', '{x}',
  '<<', '=', '---', '...x', 'back\\slash', '\u2028', '\ufeff', 'a\u00a0b', '😀', 'CR\r', 'x'.repeat(100),
  'a long plain sentence that keeps going well past the eightieth column so that it must fold somewhere',
  "a long 'quoted' sentence that keeps going well past the eightieth column: so it folds in quotes",
  'a long sentence with a \t tab that keeps going well past the eightieth column so it folds in double quotes',
];

describe('yaml: the AWS CLI v2 YAMLDumper (ruamel.yaml, libyaml) on the same values', () => {
  for (const [name, data] of SHAPES) {
    test(name, () => {
      const expected = typeof data === 'object' && data !== null && !Array.isArray(data) && Object.keys(data).length === 0 ? '' : awsYaml(data);
      expect(formatYaml(data as never)).toBe(expected);
    });
  }
  test('strings that need quoting, escaping or folding, as values, keys and list items', () => {
    const data = { Values: Object.fromEntries(AWKWARD.map((s, i) => [`v${String(i).padStart(2, '0')}`, s])), Items: AWKWARD, Keys: Object.fromEntries([...AWKWARD, 'k'.repeat(129), 'ü'.repeat(65)].map((s) => [s, 1])) };
    expect(formatYaml(data)).toBe(awsYaml(data));
  });
  test('nested sequences and mappings, empty ones, numbers, booleans, null', () => {
    const data = { A: [[1, [2, []]], { B: {}, C: [{ D: null, E: [true] }] }], F: { G: { H: [] } } };
    expect(formatYaml(data)).toBe(awsYaml(data));
  });
  test('yaml-stream: each page is a one-item sequence', () => {
    const page = { Keys: [{ KeyId: 'k1' }], Truncated: true, NextMarker: 'm' };
    expect(formatYamlStreamPage(page)).toBe(awsYaml([page]));
    expect(formatYamlStreamPage('scalar')).toBe(awsYaml(['scalar']));
    expect(formatYamlStreamPage({})).toBe('');
  });
});

describe('--output choices', () => {
  test('every AWS CLI v2 format is accepted and listed in help', () => {
    expect(OUTPUT_FORMATS).toEqual(['json', 'text', 'table', 'yaml', 'yaml-stream']);
    for (const f of OUTPUT_FORMATS) expect(splitGlobalOptions(['--output', f], {}).globals.output).toBe(f);
    expect(GLOBAL_OPTIONS.find((o) => o.option === '--output')?.help).toMatch(/json \(default\), text, table, yaml or yaml-stream/);
    expect(() => splitGlobalOptions(['--output', 'xml'], {})).toThrow("valid choices are: json, text, table, yaml, yaml-stream");
  });
});
