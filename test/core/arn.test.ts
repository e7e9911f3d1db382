// Key ARNs: built from the scope and the key id asked for, whatever else
// the scope object holds (a key record has a keyId of its own).
import { describe, expect, it } from 'vitest';
import { keyArn, keyArnIn, parseKeyRef } from '../../main/core/codecs/arn.js';

const ID_A = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ID_B = '0987dcba-09ba-87dc-65fe-0987654321ba';

describe('keyArn', () => {
  it('gives a key record its own ARN, the same string each time', () => {
    const key = { account: '111122223333', region: 'local-1', keyId: ID_A };
    const arn = keyArn(key);
    expect(arn).toBe(`arn:strongroom:kms:local-1:111122223333:key/${ID_A}`);
    expect(keyArn(key)).toBe(arn);
  });

  it('builds the ARN asked for when the id is not the record’s own, or the scope is not a key', () => {
    const key = { account: '111122223333', region: 'local-1', keyId: ID_A };
    keyArn(key);
    expect(keyArnIn(key, ID_B)).toBe(`arn:strongroom:kms:local-1:111122223333:key/${ID_B}`);
    const scope = { account: '444455556666', region: 'local-2' };
    expect(keyArnIn(scope, ID_A)).toBe(`arn:strongroom:kms:local-2:444455556666:key/${ID_A}`);
    expect(keyArnIn(scope, ID_B)).toBe(`arn:strongroom:kms:local-2:444455556666:key/${ID_B}`);
  });

  it('another record with the same id in another account has its own ARN', () => {
    const a = { account: '111122223333', region: 'local-1', keyId: ID_A };
    const b = { account: '444455556666', region: 'local-1', keyId: ID_A };
    expect(keyArnIn(a, ID_A)).not.toBe(keyArnIn(b, ID_A));
    expect(keyArnIn(b, ID_A)).toBe(`arn:strongroom:kms:local-1:444455556666:key/${ID_A}`);
  });

  it('round-trips through parseKeyRef in its own scope', () => {
    const key = { account: '111122223333', region: 'local-1', keyId: ID_A };
    expect(parseKeyRef(key, keyArn(key))).toEqual({ kind: 'key', keyId: ID_A });
  });
});
