// The decision procedure of "Determining access to an AWS KMS key".
import { describe, expect, it } from 'vitest';
import { parseIdentityPolicy, parseKeyPolicy } from '../../../main/core/policy/document.js';
import { evaluate, type IdentityPolicy } from '../../../main/core/policy/evaluate.js';
import { accessMatrix, explain } from '../../../main/core/policy/explain.js';
import { defaultKeyPolicy } from '../../../main/core/policy/key-policies.js';
import { MANAGED_POLICIES } from '../../../main/core/policy/managed-policies.js';
import { ACCOUNT, KEY_ARN, OTHER, OTHER_KEY_ARN, policy, request, root, user } from './helpers.js';

const ALICE = user('alice'); // key user in the default policy
const ADMIN = user('keyadmin'); // key administrator in the default policy
const BOB = user('bob'); // named nowhere
const MALLORY = user('mallory', OTHER);

const DEFAULT = parseKeyPolicy(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [ADMIN], keyUsers: [ALICE], keyUsage: 'ENCRYPT_DECRYPT' }));
const ROOT_ONLY = parseKeyPolicy(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [], keyUsers: [], keyUsage: 'ENCRYPT_DECRYPT' }));

const identity = (name: string, ...statements: unknown[]): IdentityPolicy => ({ name, document: parseIdentityPolicy(policy(...statements)) });
const managed = (name: keyof typeof MANAGED_POLICIES): IdentityPolicy => ({ name: MANAGED_POLICIES[name].arn, document: MANAGED_POLICIES[name].document });
const allowAll = identity('AllowAll', { Sid: 'All', Effect: 'Allow', Action: 'kms:*', Resource: '*' });

describe('key policy and identity policies', () => {
  it('a key policy naming the user directly allows without any identity policy', () => {
    const d = evaluate(request(ALICE, 'kms:Encrypt'), DEFAULT, []);
    expect(d).toMatchObject({ effect: 'Allow', source: 'key-policy', policyName: 'default', sid: 'Allow use of the key', statementIndex: 2 });
    expect(evaluate(request(ADMIN, 'kms:PutKeyPolicy'), DEFAULT, [])).toMatchObject({ effect: 'Allow', sid: 'Allow access for Key Administrators' });
  });

  it('the root statement plus an identity policy allows, naming both', () => {
    const d = evaluate(request(BOB, 'kms:Decrypt'), DEFAULT, [managed('KeyUser')]);
    expect(d).toMatchObject({
      effect: 'Allow',
      source: 'identity-policy',
      policyName: MANAGED_POLICIES.KeyUser.arn,
      sid: 'KeyUse',
      statementIndex: 0,
      delegatedBy: { sid: 'Enable IAM User Permissions', statementIndex: 0 },
    });
  });

  it('the root statement without an identity policy allowing it is an implicit deny', () => {
    const d = evaluate(request(BOB, 'kms:Decrypt'), DEFAULT, [managed('AuditReader')]);
    expect(d.effect).toBe('ImplicitDeny');
    expect(d.reason).toContain('delegates to account 111122223333');
    expect(evaluate(request(BOB, 'kms:Decrypt'), DEFAULT, []).effect).toBe('ImplicitDeny');
  });

  it('an identity policy is useless when the key policy neither names the user nor delegates to the account', () => {
    const keyPolicy = parseKeyPolicy(policy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' }));
    const d = evaluate(request(BOB, 'kms:Encrypt'), keyPolicy, [allowAll]);
    expect(d.effect).toBe('ImplicitDeny');
    expect(d.reason).toContain('neither allows it nor delegates');
  });

  it('key administrators get no cryptographic use, key users no administration', () => {
    expect(evaluate(request(ADMIN, 'kms:Encrypt'), DEFAULT, []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ADMIN, 'kms:GenerateDataKey'), DEFAULT, []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ALICE, 'kms:ScheduleKeyDeletion'), DEFAULT, []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ALICE, 'kms:PutKeyPolicy'), DEFAULT, []).effect).toBe('ImplicitDeny');
  });

  it('the account root user is allowed by the root statement itself', () => {
    expect(evaluate(request(root(), 'kms:ScheduleKeyDeletion'), ROOT_ONLY, [])).toMatchObject({ effect: 'Allow', source: 'key-policy', sid: 'Enable IAM User Permissions' });
  });

  it('a bare account id in Principal is the account principal', () => {
    const keyPolicy = parseKeyPolicy(policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' }));
    expect(evaluate(request(BOB, 'kms:Encrypt'), keyPolicy, []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(BOB, 'kms:Encrypt'), keyPolicy, [allowAll]).effect).toBe('Allow');
  });

  it('action names are case-insensitive, wildcards included', () => {
    expect(evaluate(request(ALICE, 'KMS:encrypt'), DEFAULT, []).effect).toBe('Allow');
    expect(evaluate(request(ALICE, 'kms:GENERATEDATAKEYWITHOUTPLAINTEXT'), DEFAULT, []).effect).toBe('Allow');
    expect(evaluate(request(ALICE, 'kms:GenerateMac'), DEFAULT, []).effect).toBe('ImplicitDeny');
  });
});

describe('explicit deny wins', () => {
  const withDeny = JSON.parse(defaultKeyPolicy(ACCOUNT, { keyAdministrators: [ADMIN], keyUsers: [ALICE], keyUsage: 'ENCRYPT_DECRYPT' }));
  withDeny.Statement.push({ Sid: 'NoDecryptForAlice', Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' });
  const denyDecryptKey = parseKeyPolicy(JSON.stringify(withDeny));

  it('a Deny in the key policy beats an Allow in the key policy and in identity policies, and names the statement', () => {
    const d = evaluate(request(ALICE, 'kms:Decrypt'), denyDecryptKey, [allowAll]);
    expect(d).toMatchObject({ effect: 'Deny', source: 'key-policy', policyName: 'default', sid: 'NoDecryptForAlice', statementIndex: 4 });
    expect(d.reason).toContain('statement "NoDecryptForAlice" (Statement[4])');
    expect(evaluate(request(ALICE, 'kms:Encrypt'), denyDecryptKey, []).effect).toBe('Allow');
  });

  it('a Deny in an identity policy beats a key policy that names the user, even without delegation', () => {
    const keyPolicy = parseKeyPolicy(policy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' }));
    const deny = identity('NoDecrypt', { Sid: 'NoDecrypt', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    expect(evaluate(request(ALICE, 'kms:Decrypt'), keyPolicy, [deny])).toMatchObject({ effect: 'Deny', source: 'identity-policy', policyName: 'NoDecrypt', sid: 'NoDecrypt', statementIndex: 0 });
    expect(evaluate(request(ALICE, 'kms:Encrypt'), keyPolicy, [deny]).effect).toBe('Allow');
  });

  it('a Deny beats a grant; without a Deny a grant alone allows', () => {
    expect(evaluate(request(ALICE, 'kms:Decrypt'), denyDecryptKey, [], true).effect).toBe('Deny');
    expect(evaluate(request(BOB, 'kms:Decrypt'), DEFAULT, [], true)).toMatchObject({ effect: 'Allow', source: 'grant' });
  });

  it('a Deny naming the account covers every user of it', () => {
    const keyPolicy = parseKeyPolicy(policy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }, { Effect: 'Deny', Principal: { AWS: root() }, Action: 'kms:Decrypt', Resource: '*' }));
    expect(evaluate(request(BOB, 'kms:Decrypt'), keyPolicy, []).effect).toBe('Deny');
    expect(evaluate(request(BOB, 'kms:Encrypt'), keyPolicy, []).effect).toBe('Allow');
  });

  it('a Deny whose condition does not hold does not apply', () => {
    const keyPolicy = parseKeyPolicy(
      policy(
        { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' },
        { Sid: 'DenyRestricted', Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:Stage': 'Restricted' } } },
      ),
    );
    const ctx = (stage: string) => ({ context: { 'kms:encryptioncontextkeys': ['Stage'], 'kms:encryptioncontext:Stage': stage } });
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey', ctx('Restricted')), keyPolicy, [])).toMatchObject({ effect: 'Deny', sid: 'DenyRestricted' });
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey', ctx('Test')), keyPolicy, []).effect).toBe('Allow');
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey'), keyPolicy, []).effect).toBe('Allow');
  });
});

describe('tenant isolation', () => {
  it('a user of another account is never allowed: not by root, "*", its own ARN, its account, a grant or identity policies', () => {
    const keyPolicy = parseKeyPolicy(
      policy(
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: root() }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' },
        { Sid: 'Mallory', Effect: 'Allow', Principal: { AWS: [MALLORY, OTHER, root(OTHER)] }, Action: 'kms:*', Resource: '*' },
      ),
    );
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:PutKeyPolicy', 'kms:DescribeKey']) {
      const d = evaluate({ principalArn: MALLORY, account: OTHER, action, resourceArn: KEY_ARN, context: {} }, keyPolicy, [allowAll], true);
      expect(d.effect).toBe('ImplicitDeny');
      expect(d.reason).toContain('tenants are isolated');
    }
  });

  it('a principal claimed for the wrong account, or not a principal ARN at all, is denied', () => {
    expect(evaluate({ principalArn: MALLORY, account: ACCOUNT, action: 'kms:Encrypt', resourceArn: KEY_ARN, context: {} }, DEFAULT, [allowAll], true).effect).toBe('ImplicitDeny');
    expect(evaluate({ principalArn: 'anonymous', account: ACCOUNT, action: 'kms:Encrypt', resourceArn: KEY_ARN, context: {} }, DEFAULT, [allowAll], true).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ALICE, 'kms:Encrypt', { resourceArn: OTHER_KEY_ARN }), DEFAULT, [allowAll], true).effect).toBe('ImplicitDeny');
  });

  it('Principal "*" restricted with kms:CallerAccount (AWS managed key policy pattern)', () => {
    const keyPolicy = (account: string) =>
      parseKeyPolicy(policy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': account } } }));
    expect(evaluate(request(BOB, 'kms:Encrypt'), keyPolicy(ACCOUNT), [])).toMatchObject({ effect: 'Allow', source: 'key-policy' });
    expect(evaluate(request(BOB, 'kms:Encrypt'), keyPolicy(OTHER), []).effect).toBe('ImplicitDeny');
  });
});

describe('NotAction, NotResource, NotPrincipal', () => {
  it('NotAction in an Allow allows everything else', () => {
    const p = identity('AllButDecrypt', { Effect: 'Allow', NotAction: ['kms:Decrypt', 'kms:ReEncrypt*'], Resource: '*' });
    expect(evaluate(request(BOB, 'kms:Encrypt'), DEFAULT, [p]).effect).toBe('Allow');
    expect(evaluate(request(BOB, 'kms:Decrypt'), DEFAULT, [p]).effect).toBe('ImplicitDeny');
    expect(evaluate(request(BOB, 'kms:ReEncryptFrom'), DEFAULT, [p]).effect).toBe('ImplicitDeny');
  });

  it('NotAction in a Deny denies everything else', () => {
    const p = identity('ReadOnly', { Sid: 'OnlyRead', Effect: 'Deny', NotAction: ['kms:Describe*', 'kms:List*', 'kms:Get*'], Resource: '*' });
    expect(evaluate(request(ALICE, 'kms:Encrypt'), DEFAULT, [p])).toMatchObject({ effect: 'Deny', sid: 'OnlyRead' });
    expect(evaluate(request(ALICE, 'kms:DescribeKey'), DEFAULT, [p]).effect).toBe('Allow');
  });

  it('Resource and NotResource match key ARNs with wildcards', () => {
    const thisKey = identity('ThisKey', { Effect: 'Allow', Action: 'kms:Encrypt', Resource: `arn:strongroom:kms:*:${ACCOUNT}:key/1234abcd-*` });
    expect(evaluate(request(BOB, 'kms:Encrypt'), DEFAULT, [thisKey]).effect).toBe('Allow');
    const elsewhere = identity('Elsewhere', { Effect: 'Allow', Action: 'kms:Encrypt', Resource: `arn:strongroom:kms:eu-west-1:${ACCOUNT}:key/*` });
    expect(evaluate(request(BOB, 'kms:Encrypt'), DEFAULT, [elsewhere]).effect).toBe('ImplicitDeny');
    const notThis = identity('NotThis', { Effect: 'Allow', Action: 'kms:Encrypt', NotResource: KEY_ARN });
    expect(evaluate(request(BOB, 'kms:Encrypt'), DEFAULT, [notThis]).effect).toBe('ImplicitDeny');
    // A request without a resource ("*") matches Resource "*" only.
    expect(evaluate(request(BOB, 'kms:CreateKey', { resourceArn: '*' }), undefined, [thisKey, identity('Create', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: KEY_ARN })]).effect).toBe('ImplicitDeny');
  });

  it('Deny with NotPrincipal spares only principals whose user ARN and account are both listed', () => {
    const keyPolicy = (spared: string[]) =>
      parseKeyPolicy(
        policy(
          { Effect: 'Allow', Principal: { AWS: [ALICE, BOB] }, Action: 'kms:*', Resource: '*' },
          { Sid: 'OnlyAliceDeletes', Effect: 'Deny', NotPrincipal: { AWS: spared }, Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
        ),
      );
    const withAccount = keyPolicy([ALICE, root()]);
    expect(evaluate(request(ALICE, 'kms:ScheduleKeyDeletion'), withAccount, []).effect).toBe('Allow');
    expect(evaluate(request(BOB, 'kms:ScheduleKeyDeletion'), withAccount, [])).toMatchObject({ effect: 'Deny', sid: 'OnlyAliceDeletes' });
    expect(evaluate(request(BOB, 'kms:Encrypt'), withAccount, []).effect).toBe('Allow');
    // IAM "NotPrincipal": without the account ARN the whole account is denied, Alice included.
    expect(evaluate(request(ALICE, 'kms:ScheduleKeyDeletion'), keyPolicy([ALICE]), []).effect).toBe('Deny');
    // Listing the account alone spares the account principal (root) but not its users.
    expect(evaluate(request(root(), 'kms:ScheduleKeyDeletion'), keyPolicy([root()]), [allowAll]).effect).not.toBe('Deny');
    expect(evaluate(request(ALICE, 'kms:ScheduleKeyDeletion'), keyPolicy([root()]), []).effect).toBe('Deny');
  });
});

describe('conditions from the AWS documentation, through evaluate', () => {
  const ctx = (pairs: Record<string, string>) => {
    const context: Record<string, string | string[]> = { 'kms:encryptioncontextkeys': Object.keys(pairs) };
    for (const [k, v] of Object.entries(pairs)) context[`kms:encryptioncontext:${k}`] = v;
    return { context };
  };

  it('require one pair and forbid all others: StringEquals + ForAllValues on kms:EncryptionContextKeys', () => {
    const keyPolicy = parseKeyPolicy(
      policy({
        Effect: 'Allow',
        Principal: { AWS: ALICE },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:AppName': 'ExampleApp' }, 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['AppName'] } },
      }),
    );
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey', ctx({ AppName: 'ExampleApp' })), keyPolicy, []).effect).toBe('Allow');
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey', ctx({ AppName: 'ExampleApp', Stage: 'Test' })), keyPolicy, []).effect).toBe('ImplicitDeny');
    // ForAllValues alone would allow an empty context; the StringEquals does not.
    expect(evaluate(request(ALICE, 'kms:GenerateDataKey'), keyPolicy, []).effect).toBe('ImplicitDeny');
  });

  it('ForAnyValue vs ForAllValues on an empty encryption context', () => {
    const keyPolicy = (operator: string) =>
      parseKeyPolicy(policy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*', Condition: { [operator]: { 'kms:EncryptionContextKeys': 'AppName' } } }));
    expect(evaluate(request(ALICE, 'kms:Encrypt'), keyPolicy('ForAllValues:StringEquals'), []).effect).toBe('Allow');
    expect(evaluate(request(ALICE, 'kms:Encrypt'), keyPolicy('ForAnyValue:StringEquals'), []).effect).toBe('ImplicitDeny');
    expect(evaluate(request(ALICE, 'kms:Encrypt', ctx({ AppName: 'x' })), keyPolicy('ForAnyValue:StringEquals'), []).effect).toBe('Allow');
  });

  it('IfExists, Null and StringLike', () => {
    const keyPolicy = parseKeyPolicy(
      policy(
        { Sid: 'Use', Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { Null: { 'kms:EncryptionContextKeys': 'false' } } },
        { Sid: 'Alg', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringNotEqualsIfExists: { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' } } },
        { Sid: 'Admins', Effect: 'Allow', Principal: '*', Action: 'kms:DescribeKey', Resource: '*', Condition: { StringLike: { 'aws:PrincipalArn': `arn:strongroom:iam::${ACCOUNT}:user/a*` } } },
      ),
    );
    expect(evaluate(request(ALICE, 'kms:Decrypt'), keyPolicy, []).effect).toBe('ImplicitDeny'); // no context at all
    expect(evaluate(request(ALICE, 'kms:Decrypt', ctx({ a: 'b' })), keyPolicy, []).effect).toBe('Allow');
    const enc = (alg?: string) => request(ALICE, 'kms:Encrypt', { context: { ...ctx({ a: 'b' }).context, ...(alg ? { 'kms:encryptionalgorithm': alg } : {}) } });
    // …IfExists is true when the key is absent, so this Deny also covers a request without an algorithm.
    expect(evaluate(enc(), keyPolicy, [])).toMatchObject({ effect: 'Deny', sid: 'Alg' });
    expect(evaluate(enc('SYMMETRIC_DEFAULT'), keyPolicy, []).effect).toBe('Allow');
    expect(evaluate(enc('RSAES_OAEP_SHA_256'), keyPolicy, [])).toMatchObject({ effect: 'Deny', sid: 'Alg' });
    // aws:PrincipalArn comes from the request when the context omits it.
    expect(evaluate(request(ALICE, 'kms:DescribeKey'), keyPolicy, []).effect).toBe('Allow');
    expect(evaluate(request(BOB, 'kms:DescribeKey'), keyPolicy, []).effect).toBe('ImplicitDeny');
  });

  it('${aws:username} in an identity policy condition', () => {
    const p = identity('OwnData', { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:user': '${aws:username}' } } });
    expect(evaluate(request(BOB, 'kms:Decrypt', ctx({ user: 'bob' })), DEFAULT, [p]).effect).toBe('Allow');
    expect(evaluate(request(BOB, 'kms:Decrypt', ctx({ user: 'alice' })), DEFAULT, [p]).effect).toBe('ImplicitDeny');
  });
});

describe('requests without a key', () => {
  const keyless = (principal: string, action: string, policies: IdentityPolicy[]) => evaluate(request(principal, action, { resourceArn: '*' }), undefined, policies);

  it('identity policies alone decide', () => {
    expect(keyless(BOB, 'kms:CreateKey', [managed('KeyAdministrator')])).toMatchObject({ effect: 'Allow', source: 'identity-policy', policyName: MANAGED_POLICIES.KeyAdministrator.arn });
    expect(keyless(BOB, 'kms:CreateKey', [managed('KeyUser')]).effect).toBe('ImplicitDeny');
    expect(keyless(BOB, 'iam:CreateUser', [managed('StrongroomAdministrator')]).effect).toBe('Allow');
    expect(keyless(BOB, 'iam:CreateUser', [managed('KeyAdministrator')]).effect).toBe('ImplicitDeny');
    expect(keyless(BOB, 'audit:LookupEvents', [managed('AuditReader')]).effect).toBe('Allow');
    expect(keyless(BOB, 'tenant:CreateTenant', []).reason).toContain('No identity policy allows');
  });

  it('a Deny still wins', () => {
    const deny = identity('NoIam', { Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', Resource: '*' });
    expect(keyless(BOB, 'iam:CreateUser', [managed('StrongroomAdministrator'), deny])).toMatchObject({ effect: 'Deny', policyName: 'NoIam', sid: 'NoIam' });
  });
});

describe('explain and the access matrix', () => {
  it('explain lists every statement that applied with how it matched', () => {
    const e = explain(request(BOB, 'kms:Encrypt'), DEFAULT, [managed('KeyUser'), allowAll]);
    expect(e.decision.effect).toBe('Allow');
    expect(e.matches).toEqual([
      { source: 'key-policy', policyName: 'default', sid: 'Enable IAM User Permissions', statementIndex: 0, effect: 'Allow', principalMatch: 'account' },
      { source: 'identity-policy', policyName: MANAGED_POLICIES.KeyUser.arn, sid: 'KeyUse', statementIndex: 0, effect: 'Allow', principalMatch: 'direct' },
      { source: 'identity-policy', policyName: 'AllowAll', sid: 'All', statementIndex: 0, effect: 'Allow', principalMatch: 'direct' },
    ]);
    expect(explain(request(MALLORY, 'kms:Encrypt'), DEFAULT, []).matches).toEqual([]);
  });

  it('accessMatrix evaluates principals × actions', () => {
    const cells = accessMatrix(
      ACCOUNT,
      KEY_ARN,
      DEFAULT,
      [
        { arn: ALICE, identityPolicies: [] },
        { arn: ADMIN, identityPolicies: [] },
        { arn: BOB, identityPolicies: [managed('AuditReader')] },
        { arn: MALLORY, identityPolicies: [allowAll] },
      ],
      ['kms:Encrypt', 'kms:PutKeyPolicy', 'kms:DescribeKey'],
    );
    const grid = Object.fromEntries(cells.map((c) => [`${c.principalArn.split('/')[1]} ${c.action}`, c.decision.effect]));
    expect(grid).toEqual({
      'alice kms:Encrypt': 'Allow',
      'alice kms:PutKeyPolicy': 'ImplicitDeny',
      'alice kms:DescribeKey': 'Allow',
      'keyadmin kms:Encrypt': 'ImplicitDeny',
      'keyadmin kms:PutKeyPolicy': 'Allow',
      'keyadmin kms:DescribeKey': 'Allow',
      'bob kms:Encrypt': 'ImplicitDeny',
      'bob kms:PutKeyPolicy': 'ImplicitDeny',
      'bob kms:DescribeKey': 'Allow',
      'mallory kms:Encrypt': 'ImplicitDeny',
      'mallory kms:PutKeyPolicy': 'ImplicitDeny',
      'mallory kms:DescribeKey': 'ImplicitDeny',
    });
  });
});
