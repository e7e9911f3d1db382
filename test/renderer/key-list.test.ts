// The key list's logic without a browser (renderer/src/screens/keys/key-list.ts,
// screens/aliases/alias-list.ts): rows from ListKeyDetails and aliases, the
// search and filters, and which keys an alias may be created on or moved to.
import { describe, expect, it } from 'vitest';
import type { OutputOf } from '../../main/api/index.js';
import { aliasTargets, keyLabel, retargetChoices } from '../../renderer/src/screens/aliases/alias-list.js';
import { filterKeys, NO_FILTERS, sameRows, toRows } from '../../renderer/src/screens/keys/key-list.js';

type Listed = OutputOf<'ListKeyDetails'>['Keys'][number];
type Metadata = NonNullable<Listed['KeyMetadata']>;

const ACCOUNT = '111122223333';
function key(id: string, m: Partial<Metadata> = {}): Listed {
  const KeyId = `${id}-0000-4000-8000-000000000000`;
  const Arn = `arn:strongroom:kms:local-1:${ACCOUNT}:key/${KeyId}`;
  return {
    KeyId,
    KeyArn: Arn,
    KeyMetadata: {
      AWSAccountId: ACCOUNT,
      KeyId,
      Arn,
      CreationDate: new Date(0),
      Enabled: true,
      Description: '',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      MultiRegion: false,
      ...m,
    },
  };
}

const listed = [
  key('aaaaaaaa', { Description: 'Payroll exports' }),
  key('bbbbbbbb', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Description: 'Release signing' }),
  key('cccccccc', { KeyState: 'Disabled', Enabled: false }),
  key('dddddddd', { Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false }),
  key('eeeeeeee', { KeyState: 'PendingDeletion', Enabled: false }),
  key('ffffffff', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
  { KeyId: '99999999-0000-4000-8000-000000000000', KeyArn: `arn:strongroom:kms:local-1:${ACCOUNT}:key/99999999-0000-4000-8000-000000000000` },
];
const aliases = new Map([[listed[0]!.KeyId, ['alias/Salaries', 'alias/payroll']]]);
const rows = toRows(listed, aliases);
const ids = (r: readonly { KeyId: string }[]) => r.map((k) => k.KeyId.slice(0, 8));

describe('the key list', () => {
  it('rows carry their aliases; a key the caller may not describe has no metadata', () => {
    expect(rows[0]!.Aliases).toEqual(['alias/Salaries', 'alias/payroll']);
    expect(rows[1]!.Aliases).toEqual([]);
    expect(rows[6]!.Summary).toBeUndefined();
    // the row keeps what the list shows, not the whole KeyMetadata
    expect(rows[1]!.Summary).toEqual({ KeyState: 'Enabled', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY', Origin: 'AWS_KMS', Description: 'Release signing', Created: listed[1]!.KeyMetadata!.CreationDate.getTime() });
    expect(rows[6]!.Arn).toBe(listed[6]!.KeyArn);
  });

  it('no filter is every row, the same array', () => {
    expect(filterKeys(rows, NO_FILTERS)).toBe(rows);
    expect(filterKeys(rows, { ...NO_FILTERS, search: '   ' })).toBe(rows);
  });

  it('search: any part of an alias, the key id or the description, ignoring case and surrounding spaces', () => {
    expect(ids(filterKeys(rows, { ...NO_FILTERS, search: 'SALARIES' }))).toEqual(['aaaaaaaa']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, search: ' signing ' }))).toEqual(['bbbbbbbb']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, search: 'DDDD' }))).toEqual(['dddddddd']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, search: '-4000-' }))).toHaveLength(7);
    // the search does not look at fields it does not name (the spec, the ARN's account)
    expect(filterKeys(rows, { ...NO_FILTERS, search: 'rsa_2048' })).toEqual([]);
    expect(filterKeys(rows, { ...NO_FILTERS, search: ACCOUNT })).toEqual([]);
  });

  it('filters by state, spec, usage and origin, together; a key without metadata matches none', () => {
    expect(ids(filterKeys(rows, { ...NO_FILTERS, state: 'Disabled' }))).toEqual(['cccccccc']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, spec: 'RSA_2048' }))).toEqual(['bbbbbbbb', 'ffffffff']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, usage: 'SIGN_VERIFY', search: 'release' }))).toEqual(['bbbbbbbb']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, origin: 'EXTERNAL' }))).toEqual(['dddddddd']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, state: 'Enabled', spec: 'SYMMETRIC_DEFAULT' }))).toEqual(['aaaaaaaa']);
    expect(ids(filterKeys(rows, { ...NO_FILTERS, origin: 'AWS_KMS' }))).not.toContain('99999999');
  });
});

describe('sameRows: a list read again keeps its rows when nothing changed', () => {
  const again = () => toRows(structuredClone(listed), new Map(aliases));
  it('equal reads are the same; a change of state, description, origin, creation date, alias or order is not', () => {
    expect(sameRows(rows, again())).toBe(true);
    const changed = (f: (l: Listed[]) => void, a = aliases) => {
      const l = structuredClone(listed);
      f(l);
      return toRows(l, a);
    };
    expect(sameRows(rows, changed((l) => (l[2]!.KeyMetadata!.KeyState = 'Enabled')))).toBe(false);
    expect(sameRows(rows, changed((l) => (l[1]!.KeyMetadata!.Description = 'other')))).toBe(false);
    expect(sameRows(rows, changed((l) => (l[3]!.KeyMetadata!.Origin = 'AWS_KMS')))).toBe(false);
    expect(sameRows(rows, changed((l) => (l[4]!.KeyMetadata!.CreationDate = new Date(7 * 86_400_000))))).toBe(false);
    expect(sameRows(rows, changed(() => {}, new Map([[listed[0]!.KeyId, ['alias/payroll']]])))).toBe(false);
    expect(sameRows(rows, changed((l) => l.reverse()))).toBe(false);
    expect(sameRows(rows, changed((l) => l.pop()))).toBe(false);
    expect(sameRows(rows, changed((l) => delete l[0]!.KeyMetadata))).toBe(false);
  });
});

describe('alias targets', () => {
  it('a new alias may name any key the caller can describe that is not pending deletion', () => {
    expect(ids(aliasTargets(rows))).toEqual(['aaaaaaaa', 'bbbbbbbb', 'cccccccc', 'dddddddd', 'ffffffff']);
  });

  it('an alias moves only to another key of the same spec and usage', () => {
    expect(ids(retargetChoices(rows, listed[1]!.KeyId))).toEqual(['ffffffff']);
    expect(ids(retargetChoices(rows, listed[0]!.KeyId))).toEqual(['cccccccc', 'dddddddd']);
    expect(retargetChoices(rows, 'not-a-listed-key')).toEqual([]);
  });

  it('a key is named by its id, spec and usage, and its description or aliases', () => {
    expect(keyLabel(rows[1]!)).toBe(`${listed[1]!.KeyId} (RSA_2048, SIGN_VERIFY) — Release signing`);
    expect(keyLabel(rows[2]!)).toBe(`${listed[2]!.KeyId} (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)`);
    expect(keyLabel(toRows([listed[2]!], new Map([[listed[2]!.KeyId, ['alias/x']]]))[0]!)).toBe(`${listed[2]!.KeyId} (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT) — alias/x`);
  });
});
