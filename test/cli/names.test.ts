import { describe, expect, test } from 'vitest';
import { closeMatches, commandName, kebabCase, negatedOptionName, optionName } from '../../main/cli/names.js';

describe('AWS CLI names (botocore xform_name)', () => {
  test.each([
    ['CreateKey', 'create-key'],
    ['ReEncrypt', 're-encrypt'],
    ['GenerateDataKeyWithoutPlaintext', 'generate-data-key-without-plaintext'],
    ['GenerateDataKeyPairWithoutPlaintext', 'generate-data-key-pair-without-plaintext'],
    ['ListKeyRotations', 'list-key-rotations'],
    ['RotateKeyOnDemand', 'rotate-key-on-demand'],
    ['GetKeyRotationStatus', 'get-key-rotation-status'],
    ['GenerateMac', 'generate-mac'],
    ['DeriveSharedSecret', 'derive-shared-secret'],
    ['UpdateKeyDescription', 'update-key-description'],
  ])('operation %s → command %s', (op, cmd) => expect(commandName(op)).toBe(cmd));

  test.each([
    ['KeyId', '--key-id'],
    ['CiphertextBlob', '--ciphertext-blob'],
    ['NumberOfBytes', '--number-of-bytes'],
    ['PendingWindowInDays', '--pending-window-in-days'],
    ['RotationPeriodInDays', '--rotation-period-in-days'],
    ['EncryptionContext', '--encryption-context'],
    ['SourceEncryptionContext', '--source-encryption-context'],
    ['TagKeys', '--tag-keys'],
    ['CustomerMasterKeySpec', '--customer-master-key-spec'],
    ['GrantTokens', '--grant-tokens'],
  ])('field %s → option %s', (field, option) => expect(optionName(field)).toBe(option));

  test('acronyms split as botocore does', () => {
    expect(kebabCase('AWSAccountId')).toBe('aws-account-id');
    expect(kebabCase('HMACKey')).toBe('hmac-key');
    expect(kebabCase('KeyARN')).toBe('key-arn');
    expect(kebabCase('XksProxyUriPath')).toBe('xks-proxy-uri-path');
  });

  test('booleans have a --no- form', () => {
    expect(optionName('MultiRegion')).toBe('--multi-region');
    expect(negatedOptionName('MultiRegion')).toBe('--no-multi-region');
  });

  test('close matches for "did you mean"', () => {
    const cmds = ['encrypt', 'decrypt', 're-encrypt', 'create-key', 'list-keys', 'describe-key'];
    expect(closeMatches('encrpyt', cmds)[0]).toBe('encrypt');
    expect(closeMatches('list-key', cmds)).toContain('list-keys');
    expect(closeMatches('zzzzzzzzzzzz', cmds)).toEqual([]);
  });
});
