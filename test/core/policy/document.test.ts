// Parser: AWS documentation example policies (partition changed to
// strongroom, roles to users) parse; each malformation names its path.
import { describe, expect, it } from 'vitest';
import { MAX_POLICY_BYTES, parseIdentityPolicy, parseKeyPolicy } from '../../../main/core/policy/document.js';
import { ACCOUNT, expectMalformed, OTHER, policy, root, user } from './helpers.js';

// KMS Developer Guide, "Default key policy" → "Example key policy".
const CONSOLE_EXAMPLE = JSON.stringify({
  Version: '2012-10-17',
  Id: 'key-consolepolicy-2',
  Statement: [
    { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: [user('ExampleAdminUser'), user('ExampleAdminUser2')] },
      Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: [user('ExampleKeyUser'), root(OTHER)] },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    },
    {
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: { AWS: [user('ExampleKeyUser'), root(OTHER)] },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ],
});

describe('AWS documentation examples parse', () => {
  it('the console default key policy example', () => {
    const doc = parseKeyPolicy(CONSOLE_EXAMPLE);
    expect(doc.kind).toBe('key');
    expect(doc.version).toBe('2012-10-17');
    expect(doc.id).toBe('key-consolepolicy-2');
    expect(doc.statements.map((s) => s.sid)).toEqual([
      'Enable IAM policies',
      'Allow access for Key Administrators',
      'Allow use of the key',
      'Allow attachment of persistent resources',
    ]);
    expect([...doc.statements[0]!.principal!.accounts]).toEqual([ACCOUNT]);
    expect([...doc.statements[2]!.principal!.accounts]).toEqual([OTHER]);
    expect([...doc.statements[2]!.principal!.users]).toEqual([user('ExampleKeyUser')]);
    expect(doc.statements[3]!.condition!.clauses).toHaveLength(1);
  });

  it('kms:EncryptionContext with StringEquals and ForAllValues:StringEquals on kms:EncryptionContextKeys', () => {
    // KMS guide, kms:EncryptionContext:context-key: require a pair and forbid all others.
    const doc = parseKeyPolicy(
      policy({
        Effect: 'Allow',
        Principal: { AWS: user('alice') },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: {
          StringEquals: { 'kms:EncryptionContext:Department': 'IT', 'kms:EncryptionContext:Project': 'Alpha' },
          'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] },
        },
      }),
    );
    const clauses = doc.statements[0]!.condition!.clauses;
    expect(clauses.map((c) => [c.operator, c.lowerKey, c.set])).toEqual([
      ['StringEquals', 'kms:encryptioncontext:department', undefined],
      ['StringEquals', 'kms:encryptioncontext:project', undefined],
      ['ForAllValues:StringEquals', 'kms:encryptioncontextkeys', 'all'],
    ]);
  });

  it('kms:CallerAccount with Principal "*" (AWS managed key policy shape)', () => {
    const doc = parseKeyPolicy(
      policy({
        Sid: 'Allow access through EBS for all principals in the account that are authorized to use EBS',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
      }),
    );
    expect(doc.statements[0]!.principal!.any).toBe(true);
    // Principal "*" as a bare string too.
    expect(parseKeyPolicy(policy({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' })).statements[0]!.principal!.any).toBe(true);
  });

  it('Deny with NotPrincipal, and Deny with StringNotEquals', () => {
    const doc = parseKeyPolicy(
      policy(
        { Sid: 'OnlyAdminDeletes', Effect: 'Deny', NotPrincipal: { AWS: [user('Admin'), root()] }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
        { Sid: 'OnlySymmetricDefault', Effect: 'Deny', Principal: '*', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringNotEquals: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } },
      ),
    );
    expect(doc.statements[0]!.notPrincipal).toBe(true);
    expect(doc.statements[1]!.condition!.clauses[0]!.negated).toBe(true);
  });

  it('Null, Bool with a JSON boolean, IfExists, policy variables, grant condition keys', () => {
    const doc = parseKeyPolicy(
      policy(
        { Sid: 'RequireContext', Effect: 'Allow', Principal: { AWS: user('app') }, Action: ['kms:Encrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': false } } },
        { Sid: 'PerUser', Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } },
        {
          Sid: 'Grants',
          Effect: 'Allow',
          Principal: { AWS: user('ops') },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: {
            'ForAllValues:StringEquals': { 'kms:GrantOperations': ['Decrypt', 'Encrypt'] },
            StringEquals: { 'kms:GranteePrincipal': user('app'), 'kms:RetiringPrincipal': user('ops') },
            Bool: { 'kms:GrantIsForAWSResource': true },
            StringEqualsIfExists: { 'kms:RequestAlias': 'alias/ProjectAlpha' },
            StringLike: { 'aws:PrincipalArn': `arn:strongroom:iam::${ACCOUNT}:user/ops*` },
            NumericLessThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 30 },
          },
        },
      ),
    );
    expect(doc.statements[1]!.principal!.accounts.has(ACCOUNT)).toBe(true);
    expect(doc.statements[2]!.condition!.clauses).toHaveLength(7);
  });

  it('an identity policy: no Principal, Action/NotAction and NotResource, key ARN resources with wildcards', () => {
    const doc = parseIdentityPolicy(
      policy(
        { Sid: 'UseProjectKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: [`arn:strongroom:kms:*:${ACCOUNT}:key/*`] },
        { Sid: 'NoDeletion', Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
        { Effect: 'Allow', NotAction: ['kms:Decrypt', 'iam:*'], NotResource: `arn:strongroom:kms:us-east-1:${ACCOUNT}:key/*` },
      ),
    );
    expect(doc.kind).toBe('identity');
    expect(doc.statements[2]!.notAction).toBe(true);
    expect(doc.statements[2]!.notResource).toBe(true);
  });

  it('a single statement object, Version 2008-10-17 and a missing Version', () => {
    expect(parseIdentityPolicy(JSON.stringify({ Version: '2008-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })).statements[0]!.path).toBe('Statement');
    expect(parseIdentityPolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })).version).toBe('2008-10-17');
  });

  it('all service prefixes and wildcards in actions', () => {
    const doc = parseIdentityPolicy(policy({ Effect: 'Allow', Action: ['*', 'kms:*', 'iam:Get*', 'sts:GetCallerIdentity', 'audit:*Events', 'tenant:List?enants', 'KMS:Encrypt'], Resource: '*' }));
    expect(doc.statements[0]!.actionPatterns).toHaveLength(7);
  });
});

describe('malformed documents name the offending path', () => {
  const ok = { Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' };
  const key = (...statements: unknown[]) => () => parseKeyPolicy(policy(...statements));
  const identity = (...statements: unknown[]) => () => parseIdentityPolicy(policy(...statements));

  it('document level', () => {
    expectMalformed(() => parseKeyPolicy('{"Version": '), 'not valid JSON');
    expectMalformed(() => parseKeyPolicy('[]'), 'must be a JSON object, got an array');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [ok], Extra: 1 })), 'Extra: unknown policy element');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-18', Statement: [ok] })), 'Version: expected "2012-10-17" or "2008-10-17", got "2012-10-18"');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: null, Statement: [ok] })), 'Version: expected "2012-10-17" or "2008-10-17", got null');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-17', Id: 7, Statement: [ok] })), 'Id: expected a string');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-17' })), 'Statement: required element is missing');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-17', Statement: 'Allow' })), 'Statement: expected a statement object');
    expectMalformed(() => parseKeyPolicy(JSON.stringify({ Version: '2012-10-17', Statement: [ok, 'x'] })), 'Statement[1]: expected a statement object');
  });

  it('Effect', () => {
    expectMalformed(key(ok, { ...ok, Effect: 'allow' }), 'Statement[1].Effect: expected "Allow" or "Deny", got "allow"');
    const { Effect: _e, ...noEffect } = ok;
    expectMalformed(key(noEffect), 'Statement[0].Effect: required element is missing');
  });

  it('unknown statement elements', () => {
    expectMalformed(key({ ...ok, Actions: 'kms:Encrypt' }), 'Statement[0].Actions: unknown statement element');
  });

  it('Sid', () => {
    expectMalformed(key({ ...ok, Sid: 'A' }, { ...ok, Sid: 'A' }), 'Statement[1].Sid: duplicate Sid "A" (also at Statement[0])');
    expectMalformed(key({ ...ok, Sid: 3 }), 'Statement[0].Sid: expected a string, got 3');
    expectMalformed(key({ ...ok, Principal: null }), 'Statement[0].Principal: expected "*" or {"AWS": …}, got null');
    expectMalformed(key({ ...ok, Condition: null }), 'Statement[0].Condition: expected an object of condition operators, got null');
    expectMalformed(identity({ Sid: 'Has spaces', Effect: 'Allow', Action: '*', Resource: '*' }), 'Statement[0].Sid: in an identity policy a Sid may hold only');
  });

  it('Action / NotAction', () => {
    expectMalformed(key({ ...ok, NotAction: 'kms:Decrypt' }), 'Statement[0].NotAction: a statement may have Action or NotAction, not both');
    const { Action: _a, ...noAction } = ok;
    expectMalformed(key(noAction), 'Statement[0].Action: required element is missing (give Action or NotAction)');
    expectMalformed(key({ ...ok, Action: ['kms:Encrypt', 'kms Decrypt'] }), 'Statement[0].Action[1]: expected "*" or "service:Action"');
    expectMalformed(key({ ...ok, Action: 's3:GetObject' }), 'Statement[0].Action: unknown service prefix "s3"');
    expectMalformed(key({ ...ok, Action: [] }), 'Statement[0].Action: expected at least one entry');
    expectMalformed(key({ ...ok, Action: ['kms:Encrypt', 7] }), 'Statement[0].Action[1]: expected a string, got 7');
  });

  it('Resource / NotResource', () => {
    const { Resource: _r, ...noResource } = ok;
    expectMalformed(key(noResource), 'Statement[0].Resource: required element is missing');
    expectMalformed(key({ ...ok, Resource: ['*', 'arn:aws:s3:::bucket'] }), 'Statement[0].Resource[1]: expected "*" or an ARN');
    expectMalformed(key({ ...ok, Resource: `key/abc` }), 'Statement[0].Resource: expected "*" or an ARN');
    expectMalformed(key({ ...ok, Resource: `arn:strongroom:kms:us-east-1:\${aws:PrincipalAccount}:key/*` }), 'Statement[0].Resource: policy variables are not supported');
  });

  it('Principal / NotPrincipal', () => {
    const { Principal: _p, ...noPrincipal } = ok;
    expectMalformed(key(noPrincipal), 'Statement[0].Principal: required element is missing (give Principal or NotPrincipal)');
    expectMalformed(identity(ok), 'Statement[0].Principal: Principal is not allowed in an identity policy');
    expectMalformed(key({ ...ok, Principal: { Service: 'ec2.amazonaws.com' } }), 'Statement[0].Principal.Service: principal type "Service" is not supported');
    expectMalformed(key({ ...ok, Principal: { AWS: [root(), 'arn:strongroom:iam::1111:user/x'] } }), 'Statement[0].Principal.AWS[1]: expected "*", a 12-digit account id');
    expectMalformed(key({ ...ok, Principal: { AWS: `arn:strongroom:iam::${ACCOUNT}:role/Admin` } }), 'Statement[0].Principal.AWS: expected');
    expectMalformed(key({ ...ok, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }), 'Statement[0].Principal.AWS: expected');
    expectMalformed(key({ ...ok, Principal: 'everyone' }), 'Statement[0].Principal: expected "*" or {"AWS": …}, got "everyone"');
    const { Principal: _q, ...rest } = ok;
    expectMalformed(key({ ...rest, NotPrincipal: { AWS: root() } }), 'Statement[0].NotPrincipal: NotPrincipal may only be used with "Effect": "Deny"');
    expectMalformed(key({ ...ok, NotPrincipal: { AWS: root() }, Effect: 'Deny' }), 'Statement[0].NotPrincipal: a statement may have Principal or NotPrincipal');
  });

  it('Condition', () => {
    const withCondition = (Condition: unknown) => key({ ...ok, Condition });
    expectMalformed(withCondition('x'), 'Statement[0].Condition: expected an object of condition operators');
    expectMalformed(withCondition({ StringEqualz: { 'kms:CallerAccount': ACCOUNT } }), 'Statement[0].Condition.StringEqualz: "StringEqualz" is not a known condition operator');
    expectMalformed(withCondition({ toString: { 'kms:CallerAccount': ACCOUNT } }), 'Statement[0].Condition.toString: "toString" is not a known condition operator');
    expectMalformed(withCondition({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }), 'Statement[0].Condition.DateLessThan: "DateLessThan" is not supported by Strongroom');
    expectMalformed(withCondition({ 'ForSomeValues:StringEquals': { 'kms:CallerAccount': ACCOUNT } }), 'is not a known condition operator');
    expectMalformed(withCondition({ StringEquals: { 'kms:EncryptionContex:AppName': 'x' } }), 'Statement[0].Condition.StringEquals["kms:EncryptionContex:AppName"]: "kms:EncryptionContex:AppName" is not a known condition key');
    expectMalformed(withCondition({ StringEquals: { 'kms:EncryptionContext:': 'x' } }), 'is not a known condition key');
    expectMalformed(withCondition({ StringEquals: { 'kms:CallerAccount': [ACCOUNT, { a: 1 }] } }), 'Statement[0].Condition.StringEquals["kms:CallerAccount"][1]: expected a string, number or boolean, got an object');
    expectMalformed(withCondition({ StringEquals: { 'kms:CallerAccount': [] } }), 'expected at least one value');
    expectMalformed(withCondition({ StringEquals: {} }), 'Statement[0].Condition.StringEquals: expected at least one condition key');
    expectMalformed(withCondition({ StringEquals: 'kms:CallerAccount' }), 'Statement[0].Condition.StringEquals: expected an object of condition keys');
    expectMalformed(withCondition({ NumericLessThan: { 'kms:RotationPeriodInDays': 'ninety' } }), 'Statement[0].Condition.NumericLessThan["kms:RotationPeriodInDays"]: expected a number, got "ninety"');
    expectMalformed(withCondition({ Bool: { 'kms:GrantIsForAWSResource': 'yes' } }), 'expected true or false, got "yes"');
    expectMalformed(withCondition({ NullIfExists: { 'kms:EncryptionContextKeys': 'true' } }), 'the Null operator takes neither');
    expectMalformed(withCondition({ ArnLike: { 'aws:PrincipalArn': 'alice' } }), 'expected an ARN');
    expectMalformed(withCondition({ StringEquals: { 'kms:EncryptionContext:user': '${aws:nosuchkey}' } }), '"${aws:nosuchkey}" is not a valid policy variable');
    // AWS KMS refuses ForAllValues with the single-valued kms:EncryptionContext:<key>.
    expectMalformed(withCondition({ 'ForAllValues:StringEquals': { 'kms:EncryptionContext:AppName': 'ExampleApp' } }), 'OverlyPermissiveCondition:EncryptionContext');
  });

  it('over 32 KiB (32,768 bytes of UTF-8) is rejected; exactly 32 KiB is not', () => {
    const make = (sid: string) => policy({ ...ok, Sid: sid });
    const base = Buffer.byteLength(make(''));
    expect(parseKeyPolicy(make('x'.repeat(MAX_POLICY_BYTES - base))).statements).toHaveLength(1);
    expectMalformed(() => parseKeyPolicy(make('x'.repeat(MAX_POLICY_BYTES - base + 1))), 'the policy document is 32769 bytes; the limit is 32768 bytes');
    // Counted in bytes, not characters: 'é' is two bytes.
    const wide = make('é'.repeat(Math.ceil((MAX_POLICY_BYTES - base) / 2) + 1));
    expect(wide.length).toBeLessThan(MAX_POLICY_BYTES);
    expectMalformed(() => parseKeyPolicy(wide), 'the limit is 32768 bytes');
  });
});
