// The permission matrix (issue 3): every operation × every principal ×
// every key-policy scenario, each cell's outcome written down here and
// checked by really calling the service with a valid input. A cell allowed
// here must succeed; every other in-tenant cell must be AccessDenied; a
// principal of another tenant never succeeds on acme's resources. An
// operation added to the contract without a row here fails this file.
//
// Roles (all in tenant "acme" unless said):
//   admin            acme's admin, StrongroomAdministrator
//   keyAdmin         KeyAdministrator managed policy (IAM, via the key policy's root statement)
//   namedKeyAdmin    no identity policy; named in the key policy as key administrator
//   keyUser          KeyUser managed policy
//   namedKeyUser     no identity policy; named in the key policy as key user
//   auditor          AuditReader managed policy
//   grantee          no policy at all; in the grant scenario, a grant for Encrypt/Decrypt
//   otherTenant      globex's admin (StrongroomAdministrator there), passing acme's ARNs and names
//   operator         the operator tenant's admin, passing acme's ARNs and names
//   unauthenticated  a copy of acme admin's caller object, never signed in
// keyAdmin and keyUser are also acme's approvers: acme's one approval rule
// holds PutApprovalRules until one of them approves (permission-world.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOperationName, SERVICE_OPERATION_NAMES } from '../../main/api/index.js';
import { AFTER_SUCCESS, INPUTS, SERIAL, type Cell, type Input } from '../support/permission-inputs.js';
import { makeScenario, makeWorld, ROLES, SCENARIOS, type Role, type Scenario, type ScenarioWorld, type World } from '../support/permission-world.js';

type InTenantRole = Exclude<Role, 'otherTenant' | 'operator' | 'unauthenticated'>;
/** 'ok': succeeds; 'own': succeeds inside the caller's own tenant and returns nothing of acme; else the AWS error name */
type Outcome = 'ok' | 'own' | string;

// ---- op groups ------------------------------------------------------------

/** Every signed-in user may do these for themselves, without a policy (IAM, STS; the approval requests they made or may decide). */
const SELF = ['ChangePassword', 'GetCallerIdentity', 'ListApprovalRequests'];
/** Operations that take an encryption context, on the symmetric key. */
const ENCRYPTION = ['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];
/** Cryptographic use without an encryption context, on the signing, HMAC and key agreement keys. */
const OTHER_USE = ['Sign', 'Verify', 'GetPublicKey', 'ExportPublicKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret'];
/** The key administrator statement's actions (Create* Describe* Enable* List* Put* Update* Revoke* Disable* Get* Delete* …) on one key. */
const KEY_ADMINISTRATION = [
  'DescribeKey',
  'UpdateKeyDescription',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'ListAliases',
  'TagResource',
  'UntagResource',
  'ListResourceTags',
  'EnableKeyRotation',
  'DisableKeyRotation',
  'GetKeyRotationStatus',
  'RotateKeyOnDemand',
  'ListKeyRotations',
  // kms:Get*
  'GetKeyLastUsage',
  'GetKeyPolicy',
  'PutKeyPolicy',
  'ListKeyPolicies',
  'GetKeyAccessMatrix',
  'CreateGrant',
  'ListGrants',
  'RevokeGrant',
  // kms:Get* covers kms:GetPublicKey, as in AWS's console policy
  'GetPublicKey',
  'ExportPublicKey',
  // kms:Get* and kms:Delete*; ImportKeyMaterial is in neither (DESIGN §5's administrator actions)
  'GetParametersForImport',
  'DeleteImportedKeyMaterial',
];
const IAM = [
  'CreateUser',
  'GetUser',
  'ListUsers',
  'DeleteUser',
  'CreateLoginProfile',
  'GetLoginProfile',
  'UpdateLoginProfile',
  'DeleteLoginProfile',
  'DisableUser',
  'EnableUser',
  'CreateGroup',
  'ListGroups',
  'GetGroup',
  'ListGroupsForUser',
  'AddUserToGroup',
  'RemoveUserFromGroup',
  'AttachUserPolicy',
  'AttachGroupPolicy',
  'DetachUserPolicy',
  'DetachGroupPolicy',
  'PutUserPolicy',
  'PutGroupPolicy',
  'DeleteUserPolicy',
  'DeleteGroupPolicy',
  'ListPolicies',
  'ListPrincipalPolicies',
];
const TENANTS = ['CreateTenant', 'ListTenants', 'DisableTenant', 'EnableTenant'];
/**
 * Approvals. A request names who may decide it — the members of its group
 * (keyAdmin, keyUser) approve or reject, its requester (admin) may withdraw
 * (reject) it and alone executes it — and IAM permission reads the rules
 * and every request (StrongroomAdministrator, AuditReader).
 */
const APPROVER = ['GetApprovalRequest', 'ApproveRequest', 'RejectRequest'];
const APPROVALS_READ = ['GetApprovalRules', 'GetApprovalRequest'];
/** audit:LookupEvents, audit:ExportEvents, audit:VerifyEvents (GetAuditPublicKey too): StrongroomAdministrator and AuditReader */
const AUDIT = ['LookupEvents', 'ExportEvents', 'VerifyEvents', 'GetAuditPublicKey'];

/**
 * acme's admin: everything in its tenant — but not tenant management (only
 * the operator tenant's admins) and not RetireGrant (a grant names who may
 * retire it: here acme's keyUser).
 */
const ADMIN = [
  ...SELF,
  'CreateKey',
  'ListKeys',
  'GenerateRandom',
  'ListRetirableGrants',
  ...KEY_ADMINISTRATION,
  'ImportKeyMaterial',
  ...ENCRYPTION,
  ...OTHER_USE,
  ...IAM,
  ...AUDIT,
  ...APPROVALS_READ,
  'RejectRequest',
  'ExecuteApprovalRequest',
];

/** Calls acme's approval rule holds for approval (ApprovalRequiredException) though the caller may make them. */
const HELD: Partial<Record<InTenantRole, string[]>> = { admin: ['PutApprovalRules'] };

// ---- the matrix: role → allowed operations, per scenario ----------------

const DEFAULT: Record<InTenantRole, string[]> = {
  admin: ADMIN,
  // KeyAdministrator: the administrator actions, CreateKey, kms:List*, kms:Describe*
  keyAdmin: [...SELF, 'CreateKey', 'ListKeys', 'ListRetirableGrants', ...KEY_ADMINISTRATION, ...APPROVER],
  // only what the key policy names it for: no CreateKey, no ListKeys
  namedKeyAdmin: [...SELF, ...KEY_ADMINISTRATION],
  // KeyUser: cryptographic use, DescribeKey, ListKeys, ListAliases; retires the grants naming it
  keyUser: [...SELF, 'ListKeys', 'DescribeKey', 'ListAliases', ...ENCRYPTION, ...OTHER_USE, 'RetireGrant', ...APPROVER],
  // the default policy's key users statement, by key usage (no grants: kms:GrantIsForAWSResource)
  namedKeyUser: [...SELF, 'DescribeKey', ...ENCRYPTION, ...OTHER_USE],
  auditor: [...SELF, 'ListKeys', 'DescribeKey', 'ListAliases', ...AUDIT, ...APPROVALS_READ],
  grantee: [...SELF],
};

const without = (ops: string[], ...drop: string[]) => ops.filter((o) => !drop.includes(o));

const MATRIX: Record<Scenario, Record<InTenantRole, string[]>> = {
  'default policy': DEFAULT,
  // Deny kms:Decrypt to "*": nobody decrypts, the administrator included; ReEncrypt is kms:ReEncryptFrom, not Decrypt
  'policy with Deny': Object.fromEntries(Object.entries(DEFAULT).map(([role, ops]) => [role, without(ops, 'Decrypt')])) as Record<InTenantRole, string[]>,
  // the named key user only with kms:EncryptionContext:dept = finance; IAM users go through the root statement
  'context condition met': { ...DEFAULT, namedKeyUser: [...SELF, 'DescribeKey', ...ENCRYPTION] },
  'context condition not met': { ...DEFAULT, namedKeyUser: [...SELF, 'DescribeKey'] },
  // a grant for Encrypt/Decrypt with EncryptionContextSubset dept=finance
  grant: { ...DEFAULT, grantee: [...SELF, 'Encrypt', 'Decrypt'] },
};

/**
 * Callers of other tenants, whatever the scenario. Key operations name
 * acme's key ARN: NotFoundException, as AWS answers for a key the caller's
 * account cannot see. IAM operations name acme's users and groups, which
 * do not exist in the caller's tenant: NoSuchEntityException. Operations
 * that name nothing of acme run in the caller's own tenant ('own').
 * Tenant management is the operator's.
 */
const NF = 'NotFoundException';
const NSE = 'NoSuchEntityException';
const AD = 'AccessDeniedException';
const ACROSS_TENANTS: Record<string, { otherTenant: Outcome; operator: Outcome }> = {
  CreateKey: { otherTenant: 'own', operator: 'own' },
  ListKeys: { otherTenant: 'own', operator: 'own' },
  GenerateRandom: { otherTenant: 'own', operator: 'own' },
  // RetiringPrincipal is acme's key user, not a user of the caller's account
  ListRetirableGrants: { otherTenant: 'ValidationException', operator: 'ValidationException' },
  ...Object.fromEntries(
    [...KEY_ADMINISTRATION, 'ImportKeyMaterial', ...ENCRYPTION, ...OTHER_USE, 'RetireGrant'].map((op) => [op, { otherTenant: NF, operator: NF }]),
  ),
  CreateUser: { otherTenant: 'own', operator: 'own' },
  ListUsers: { otherTenant: 'own', operator: 'own' },
  CreateGroup: { otherTenant: 'own', operator: 'own' },
  ListGroups: { otherTenant: 'own', operator: 'own' },
  ListPolicies: { otherTenant: 'own', operator: 'own' },
  ...Object.fromEntries(
    without(IAM, 'CreateUser', 'ListUsers', 'CreateGroup', 'ListGroups', 'ListPolicies').map((op) => [op, { otherTenant: NSE, operator: NSE }]),
  ),
  ChangePassword: { otherTenant: 'own', operator: 'own' },
  GetCallerIdentity: { otherTenant: 'own', operator: 'own' },
  // each tenant reads its own trail; the export holds the caller's own earlier requests, which named acme's ARNs
  LookupEvents: { otherTenant: 'own', operator: 'own' },
  ExportEvents: { otherTenant: 'ok', operator: 'ok' },
  VerifyEvents: { otherTenant: 'own', operator: 'own' },
  GetAuditPublicKey: { otherTenant: 'own', operator: 'own' },
  // the operator manages tenants and sees their names, states and counts
  ...Object.fromEntries(TENANTS.map((op) => [op, { otherTenant: AD, operator: 'ok' }])),
  // each tenant has its own rules and requests: acme's approvers' group is not theirs, acme's requests are not found
  PutApprovalRules: { otherTenant: NSE, operator: NSE },
  GetApprovalRules: { otherTenant: 'own', operator: 'own' },
  ListApprovalRequests: { otherTenant: 'own', operator: 'own' },
  ...Object.fromEntries(['GetApprovalRequest', 'ApproveRequest', 'RejectRequest', 'ExecuteApprovalRequest'].map((op) => [op, { otherTenant: NF, operator: NF }])),
};

function expected(scenario: Scenario, role: Role, op: string): Outcome {
  if (role === 'unauthenticated') return AD;
  if (role === 'otherTenant' || role === 'operator') return ACROSS_TENANTS[op]![role];
  if (HELD[role]?.includes(op)) return 'ApprovalRequiredException';
  return MATRIX[scenario][role].includes(op) ? 'ok' : AD;
}

// ---- running it -----------------------------------------------------------

let w: World;
beforeAll(async () => {
  w = await makeWorld();
}, 60_000);
afterAll(() => w.t.close());

/** What happened: 'ok' / 'own', or the error name (with its message for the report). */
async function run(cell: Cell, want: Outcome): Promise<{ outcome: Outcome; detail: string }> {
  const { op } = cell;
  const input: Input = await INPUTS[op]!(cell);
  try {
    // the input tables are untyped (one entry per operation name): dispatch
    const out = await w.t.vault.service.dispatch(cell.p.caller, op, input);
    AFTER_SUCCESS[op]?.(cell, input);
    if (want !== 'own') return { outcome: 'ok', detail: '' };
    // in its own tenant, a caller of another tenant must see nothing of acme
    const text = JSON.stringify(out) ?? '';
    return text.includes(w.account) ? { outcome: 'ok (shows acme)', detail: text.slice(0, 300) } : { outcome: 'own', detail: '' };
  } catch (e) {
    const err = e as Error;
    // a refused signed-in caller's error names it (AWS: "User: <arn> is not authorized to perform: …")
    if (err.name === AD && cell.p.role !== 'unauthenticated' && !err.message.includes(cell.p.arn)) {
      return { outcome: `${AD} without the caller's ARN`, detail: err.message };
    }
    return { outcome: err.name, detail: err.message };
  }
}

describe('the tables', () => {
  it('every operation has inputs and cross-tenant expectations, and no row names a missing operation', () => {
    const ops = [...SERVICE_OPERATION_NAMES].sort();
    expect(Object.keys(INPUTS).sort(), 'INPUTS in test/support/permission-inputs.ts').toEqual(ops);
    expect(Object.keys(ACROSS_TENANTS).sort(), 'ACROSS_TENANTS').toEqual(ops);
    for (const scenario of SCENARIOS) {
      for (const [role, allowed] of Object.entries(MATRIX[scenario])) {
        for (const op of allowed) expect(isOperationName(op), `${scenario}/${role} allows ${op}, which is no operation`).toBe(true);
      }
    }
  });

  it('the roles are as the tables assume', () => {
    expect(ROLES).toHaveLength(10);
    // nobody but acme's admin touches IAM, and nobody in acme manages tenants
    for (const [role, ops] of Object.entries(DEFAULT)) {
      if (role !== 'admin') expect(ops.filter((o) => IAM.includes(o)), role).toEqual([]);
      expect(ops.filter((o) => TENANTS.includes(o)), role).toEqual([]);
    }
  });
});

for (const scenario of SCENARIOS) {
  describe(scenario, () => {
    let s: ScenarioWorld;
    beforeAll(async () => {
      s = await makeScenario(w, scenario);
    }, 60_000);

    for (const op of SERVICE_OPERATION_NAMES) {
      it(op, async () => {
        if (!INPUTS[op] || !ACROSS_TENANTS[op]) throw new Error(`The permission matrix has no row for ${op}: add its input to INPUTS and its expectations to the tables.`);
        const want: Record<string, Outcome> = {};
        const got: Record<string, Outcome> = {};
        const details: string[] = [];
        const cell = async (role: Role) => {
          want[role] = expected(scenario, role, op);
          const r = await run({ w, s, p: w.principals[role], op, allowed: want[role] === 'ok' || want[role] === 'own' }, want[role]);
          got[role] = r.outcome;
          if (r.outcome !== want[role]) details.push(`${role}: ${r.outcome}: ${r.detail}`);
        };
        if (SERIAL.has(op)) for (const role of ROLES) await cell(role);
        else await Promise.all(ROLES.map(cell));
        expect(got, details.join('\n')).toEqual(want);
      });
    }
  });
}
