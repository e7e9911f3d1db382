// Condition operators as the IAM User Guide documents them: missing keys,
// set operators, IfExists, Null, wildcards, case rules, policy variables.
import { describe, expect, it } from 'vitest';
import { evaluateConditionElement as holds, type RequestContext } from '../../../main/core/policy/conditions.js';
import { ACCOUNT, OTHER, user } from './helpers.js';

const ec = (pairs: Record<string, string>): RequestContext => {
  const out: Record<string, string | string[]> = { 'kms:encryptioncontextkeys': Object.keys(pairs) };
  for (const [k, v] of Object.entries(pairs)) out[`kms:encryptioncontext:${k}`] = v;
  return out;
};

describe('string operators', () => {
  it('StringEquals is exact; several values are ORed', () => {
    const c = { StringEquals: { 'kms:CallerAccount': [ACCOUNT, '999999999999'] } };
    expect(holds(c, { 'kms:calleraccount': ACCOUNT })).toBe(true);
    expect(holds(c, { 'kms:calleraccount': OTHER })).toBe(false);
    expect(holds({ StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' })).toBe(false);
  });

  it('several keys under one operator and several operators are ANDed', () => {
    const c = {
      StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' },
      StringLike: { 'aws:username': 'a*' },
    };
    expect(holds(c, { ...ec({ Department: 'IT', Project: 'Alpha' }), 'aws:username': 'alice' })).toBe(true);
    expect(holds(c, { ...ec({ Department: 'IT' }), 'aws:username': 'alice' })).toBe(false);
    expect(holds(c, { ...ec({ Department: 'IT', Project: 'Alpha' }), 'aws:username': 'bob' })).toBe(false);
  });

  it('StringNotEquals with several values is a NOR', () => {
    const c = { StringNotEquals: { 'kms:EncryptionContext:Stage': ['Restricted', 'Production'] } };
    expect(holds(c, ec({ Stage: 'Test' }))).toBe(true);
    expect(holds(c, ec({ Stage: 'Production' }))).toBe(false);
    expect(holds(c, ec({ Stage: 'Restricted' }))).toBe(false);
  });

  it('IgnoreCase variants', () => {
    expect(holds({ StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' })).toBe(true);
    expect(holds({ StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JOHNDOE' })).toBe(false);
    expect(holds({ StringNotEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'jane' })).toBe(true);
  });

  it('StringLike: * is any run (also empty), ? exactly one character; other characters are literal', () => {
    const like = (pattern: string, value: string) => holds({ StringLike: { 'kms:RequestAlias': pattern } }, { 'kms:requestalias': value });
    expect(like('alias/ProjectAlpha*', 'alias/ProjectAlpha')).toBe(true);
    expect(like('alias/ProjectAlpha*', 'alias/ProjectAlphaTest/x')).toBe(true);
    expect(like('alias/ProjectAlpha*', 'alias/projectalpha')).toBe(false);
    expect(like('alias/Team?', 'alias/TeamA')).toBe(true);
    expect(like('alias/Team?', 'alias/Team')).toBe(false);
    expect(like('alias/Team?', 'alias/TeamAB')).toBe(false);
    expect(like('alias/a.b(c)+', 'alias/a.b(c)+')).toBe(true);
    expect(like('alias/a.b', 'alias/aXb')).toBe(false);
    expect(holds({ StringNotLike: { 'kms:RequestAlias': ['alias/prod-*', 'alias/live-*'] } }, { 'kms:requestalias': 'alias/dev-1' })).toBe(true);
    expect(holds({ StringNotLike: { 'kms:RequestAlias': ['alias/prod-*', 'alias/live-*'] } }, { 'kms:requestalias': 'alias/live-1' })).toBe(false);
  });
});

describe('a key missing from the request', () => {
  const none: RequestContext = {};
  it('makes a positive operator false and a negated operator true', () => {
    expect(holds({ StringEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, none)).toBe(false);
    expect(holds({ StringLike: { 'kms:EncryptionAlgorithm': '*' } }, none)).toBe(false);
    expect(holds({ NumericLessThan: { 'kms:RotationPeriodInDays': 100 } }, none)).toBe(false);
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': true } }, none)).toBe(false);
    expect(holds({ StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } }, none)).toBe(true);
    expect(holds({ StringNotLike: { 'kms:EncryptionAlgorithm': 'RSA*' } }, none)).toBe(true);
    expect(holds({ NumericNotEquals: { 'kms:RotationPeriodInDays': 100 } }, none)).toBe(true);
  });

  it('…IfExists is true when the key is missing and otherwise the plain operator', () => {
    const c = { StringEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } };
    expect(holds(c, none)).toBe(true);
    expect(holds(c, { 'kms:encryptionalgorithm': 'SYMMETRIC_DEFAULT' })).toBe(true);
    expect(holds(c, { 'kms:encryptionalgorithm': 'RSAES_OAEP_SHA_256' })).toBe(false);
    expect(holds({ StringNotEqualsIfExists: { 'kms:EncryptionAlgorithm': 'X' } }, none)).toBe(true);
  });

  it('Null: true means absent, false means present; an empty list counts as absent', () => {
    expect(holds({ Null: { 'kms:EncryptionContextKeys': 'true' } }, none)).toBe(true);
    expect(holds({ Null: { 'kms:EncryptionContextKeys': true } }, { 'kms:encryptioncontextkeys': [] })).toBe(true);
    expect(holds({ Null: { 'kms:EncryptionContextKeys': false } }, none)).toBe(false);
    expect(holds({ Null: { 'kms:EncryptionContextKeys': false } }, ec({ AppName: 'x' }))).toBe(true);
    expect(holds({ Null: { 'kms:EncryptionContextKeys': 'true' } }, ec({ AppName: 'x' }))).toBe(false);
  });
});

describe('set operators on multi-valued keys', () => {
  const keysOnly = (c: unknown, keys: string[] | undefined) => holds(c, keys === undefined ? {} : { 'kms:encryptioncontextkeys': keys });

  it('ForAllValues: every request value must match; true on a missing or empty set', () => {
    const c = { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName', 'FilePath'] } };
    expect(keysOnly(c, ['AppName'])).toBe(true);
    expect(keysOnly(c, ['AppName', 'FilePath'])).toBe(true);
    expect(keysOnly(c, ['AppName', 'Stage'])).toBe(false);
    expect(keysOnly(c, ['appname'])).toBe(false); // StringEquals is case-sensitive on the value
    expect(keysOnly(c, undefined)).toBe(true);
    expect(keysOnly(c, [])).toBe(true);
  });

  it('ForAnyValue: some request value must match; false on a missing or empty set', () => {
    const c = { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' } };
    expect(keysOnly(c, ['Stage', 'AppName'])).toBe(true);
    expect(keysOnly(c, ['Stage'])).toBe(false);
    expect(keysOnly(c, undefined)).toBe(false);
    expect(keysOnly(c, [])).toBe(false);
  });

  it('negated operators under set operators', () => {
    const all = { 'ForAllValues:StringNotEquals': { 'kms:GrantOperations': ['Decrypt', 'ReEncryptFrom'] } };
    expect(holds(all, { 'kms:grantoperations': ['Encrypt', 'DescribeKey'] })).toBe(true);
    expect(holds(all, { 'kms:grantoperations': ['Encrypt', 'Decrypt'] })).toBe(false);
    expect(holds(all, {})).toBe(true);
    const any = { 'ForAnyValue:StringNotEquals': { 'kms:GrantOperations': 'Decrypt' } };
    expect(holds(any, { 'kms:grantoperations': ['Decrypt', 'Encrypt'] })).toBe(true);
    expect(holds(any, { 'kms:grantoperations': ['Decrypt'] })).toBe(false);
    expect(holds(any, {})).toBe(false);
  });

  it('ForAllValues with IfExists and with StringLike', () => {
    expect(holds({ 'ForAllValues:StringLike': { 'kms:GrantOperations': ['Encrypt', 'ReEncrypt*', 'GenerateDataKey*'] } }, { 'kms:grantoperations': ['Encrypt', 'ReEncryptTo', 'GenerateDataKeyWithoutPlaintext'] })).toBe(true);
    expect(holds({ 'ForAnyValue:StringEqualsIfExists': { 'kms:GrantOperations': 'Decrypt' } }, {})).toBe(true);
  });

  it('without a set operator, a multi-valued request needs every value to satisfy the operator', () => {
    const c = { StringEquals: { 'kms:EncryptionContextKeys': 'AppName' } };
    expect(keysOnly(c, ['AppName'])).toBe(true);
    expect(keysOnly(c, ['AppName', 'Stage'])).toBe(false);
  });
});

describe('Bool and numeric operators', () => {
  it('Bool compares true/false, either spelling', () => {
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }, { 'kms:grantisforawsresource': 'true' })).toBe(true);
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': true } }, { 'kms:grantisforawsresource': 'True' })).toBe(true);
    expect(holds({ Bool: { 'kms:GrantIsForAWSResource': 'true' } }, { 'kms:grantisforawsresource': 'false' })).toBe(false);
    expect(holds({ Bool: { 'kms:MultiRegion': 'false' } }, { 'kms:multiregion': 'false' })).toBe(true);
  });

  it('numeric comparisons', () => {
    const n = (op: string, policyValue: number | string, requestValue: string) => holds({ [op]: { 'kms:RotationPeriodInDays': policyValue } }, { 'kms:rotationperiodindays': requestValue });
    expect(n('NumericEquals', 90, '90')).toBe(true);
    expect(n('NumericEquals', '90', '90.0')).toBe(true);
    expect(n('NumericNotEquals', 90, '91')).toBe(true);
    expect(n('NumericNotEquals', 90, '90')).toBe(false);
    expect(n('NumericLessThan', 180, '90')).toBe(true);
    expect(n('NumericLessThan', 90, '90')).toBe(false);
    expect(n('NumericLessThanEquals', 90, '90')).toBe(true);
    expect(n('NumericGreaterThan', 90, '365')).toBe(true);
    expect(n('NumericGreaterThan', 90, '90')).toBe(false);
    expect(n('NumericGreaterThanEquals', 90, '90')).toBe(true);
    // A request value that is not a number satisfies no positive comparison.
    expect(n('NumericLessThan', 90, 'soon')).toBe(false);
    expect(n('NumericNotEquals', 90, 'soon')).toBe(true);
  });
});

describe('case rules', () => {
  it('condition key names are case-insensitive, in the policy and in the request', () => {
    expect(holds({ StringEquals: { 'KMS:CALLERACCOUNT': ACCOUNT } }, { 'kms:calleraccount': ACCOUNT })).toBe(true);
    // A caller that forgot to lower-case its keys is still matched, so a Deny cannot be dodged by spelling.
    expect(holds({ StringEquals: { 'kms:CallerAccount': ACCOUNT } }, { 'kms:CallerAccount': ACCOUNT })).toBe(true);
  });

  it('kms:EncryptionContext:<key>: the key part is case-insensitive, the value follows the operator', () => {
    // KMS guide, "Case sensitivity of the encryption context condition".
    const c = { StringEquals: { 'kms:EncryptionContext:Appname': 'ExampleApp' } };
    expect(holds(c, ec({ AppName: 'ExampleApp' }))).toBe(true);
    expect(holds(c, ec({ APPNAME: 'ExampleApp' }))).toBe(true);
    expect(holds(c, ec({ AppName: 'exampleapp' }))).toBe(false);
    expect(holds({ StringEqualsIgnoreCase: { 'kms:EncryptionContext:Appname': 'ExampleApp' } }, ec({ AppName: 'exampleapp' }))).toBe(true);
    // …while kms:EncryptionContextKeys checks the key's case, because there the key is the value.
    const both = { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'AppName' }, StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } };
    expect(holds(both, ec({ AppName: 'ExampleApp' }))).toBe(true);
    expect(holds(both, ec({ appname: 'ExampleApp' }))).toBe(false);
  });

  it('two request keys differing only by case both answer, and both must satisfy a single-valued operator', () => {
    const ctx = ec({ AppName: 'ExampleApp', appname: 'Other' });
    expect(holds({ StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' } }, ctx)).toBe(false);
    expect(holds({ StringEquals: { 'kms:EncryptionContext:AppName': ['ExampleApp', 'Other'] } }, ctx)).toBe(true);
    expect(holds({ StringNotEquals: { 'kms:EncryptionContext:AppName': 'Restricted' } }, ctx)).toBe(true);
  });
});

describe('ARN operators', () => {
  it('ArnLike matches component by component; ArnNotLike is its negation', () => {
    const c = { ArnLike: { 'aws:PrincipalArn': `arn:strongroom:iam::${ACCOUNT}:user/ops-*` } };
    expect(holds(c, { 'aws:principalarn': user('ops-alice') })).toBe(true);
    expect(holds(c, { 'aws:principalarn': user('dev-alice') })).toBe(false);
    expect(holds(c, { 'aws:principalarn': user('ops-alice', OTHER) })).toBe(false);
    expect(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:strongroom:iam::*:root' } }, { 'aws:principalarn': `arn:strongroom:iam::${ACCOUNT}:root` })).toBe(true);
    expect(holds({ ArnNotEquals: { 'aws:PrincipalArn': user('alice') } }, { 'aws:principalarn': user('bob') })).toBe(true);
    expect(holds({ ArnNotLike: { 'aws:PrincipalArn': user('*') } }, { 'aws:principalarn': user('bob') })).toBe(false);
  });
});

describe('policy variables (Version 2012-10-17)', () => {
  it('${aws:username} takes the caller\'s name (KMS guide, "Using variables in an encryption context condition")', () => {
    const c = { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } };
    expect(holds(c, { ...ec({ user: 'bob' }), 'aws:username': 'bob' })).toBe(true);
    expect(holds(c, { ...ec({ user: 'bob' }), 'aws:username': 'alice' })).toBe(false);
    // No value for the variable and no default: matches nothing.
    expect(holds(c, ec({ user: 'bob' }))).toBe(false);
    expect(holds({ StringEquals: { 'kms:EncryptionContext:user': "${aws:username, 'nobody'}" } }, ec({ user: 'nobody' }))).toBe(true);
  });

  it('in StringLike, substituted text and ${*} are literal while the policy\'s own * stays a wildcard', () => {
    const c = { StringLike: { 'kms:EncryptionContext:path': 'home/${aws:username}/*' } };
    expect(holds(c, { ...ec({ path: 'home/bob/notes' }), 'aws:username': 'bob' })).toBe(true);
    expect(holds(c, { ...ec({ path: 'home/bobby/notes' }), 'aws:username': 'bob' })).toBe(false);
    expect(holds(c, { ...ec({ path: 'home/bobby/notes' }), 'aws:username': 'b*' })).toBe(false);
    expect(holds({ StringLike: { 'kms:EncryptionContext:tag': 'star-${*}' } }, ec({ tag: 'star-*' }))).toBe(true);
    expect(holds({ StringLike: { 'kms:EncryptionContext:tag': 'star-${*}' } }, ec({ tag: 'star-x' }))).toBe(false);
  });

  it('Version 2008-10-17 treats ${…} as literal text', () => {
    const c = { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } };
    expect(holds(c, { ...ec({ user: '${aws:username}' }), 'aws:username': 'bob' }, false)).toBe(true);
    expect(holds(c, { ...ec({ user: 'bob' }), 'aws:username': 'bob' }, false)).toBe(false);
  });
});
