// Holding a call comes after authorizing it, for every action a rule may
// name (issue 13: "a caller who may not do the action cannot create a
// request for it"): with every such action guarded in acme, a user with no
// policy is refused each one with AccessDeniedException and creates no
// request, while acme's administrator gets ApprovalRequiredException for
// each one it may do — and no held call changes anything but the request
// table. The inputs are the permission matrix's (one valid input per
// operation), made before the rules are set.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONTRACT, SERVICE_OPERATION_NAMES } from '../../main/api/index.js';
import { guardableActions } from '../../main/core/approvals/rules.js';
import { INPUTS, type Input } from '../support/permission-inputs.js';
import { APPROVERS, makeScenario, makeWorld, type ScenarioWorld, type World } from '../support/permission-world.js';
import { DbSnapshots, sqlite } from '../support/kms.js';

/** What acme's admin may not do at all: tenant management is the operator's; a grant names who retires it. */
const ADMIN_DENIED = new Set(['CreateTenant', 'ListTenants', 'DisableTenant', 'EnableTenant', 'RetireGrant']);

let w: World;
let s: ScenarioWorld;
const inputs = new Map<string, Input>();
const guarded = SERVICE_OPERATION_NAMES.filter((n) => guardableActions().includes(CONTRACT[n].action));

beforeAll(async () => {
  w = await makeWorld();
  s = await makeScenario(w, 'default policy');
  for (const op of guarded) inputs.set(op, await INPUTS[op]!({ w, s, p: w.principals.grantee, op, allowed: false }));
}, 180_000);
afterAll(() => w.t.close());

it('every guardable action: refused to a user who may not do it, held for the admin who may, and nothing but the request is written', async () => {
  expect(guarded.length).toBeGreaterThan(50);
  // changing the rules is guarded by acme's existing rule: an approver approves, the admin executes
  const rules = { Rules: [{ Actions: [...guardableActions()], GroupName: APPROVERS, MinApprovals: 1 }] };
  const held = await w.call('PutApprovalRules', rules).catch((e: { approvalRequestId: string }) => e);
  const RequestId = (held as { approvalRequestId: string }).approvalRequestId;
  const { RequestHash } = (await w.call('GetApprovalRequest', { RequestId })).Request;
  await w.t.vault.service.call(w.principals.keyUser.caller, 'ApproveRequest', { RequestId, RequestHash });
  await w.call('ExecuteApprovalRequest', { RequestId });

  const requestsBefore = Number(sqlite(w.t, 'SELECT count(*) FROM approval_requests'));
  const snapshots = await DbSnapshots.open(w.t, { ignoreTable: (t) => t.startsWith('audit_') || t.startsWith('approval_') || t === 'change_counter' || t === 'sign_in_failures' });
  try {
    const before = await snapshots.take();
    const outcome = async (caller: typeof w.admin, op: string) =>
      w.t.vault.service.dispatch(caller, op, inputs.get(op)).then(
        () => 'ok',
        (e: Error) => e.name,
      );
    const got: Record<string, [string, string]> = {};
    for (const op of guarded) got[op] = [await outcome(w.principals.grantee.caller, op), await outcome(w.admin, op)];
    const want = Object.fromEntries(guarded.map((op) => [op, ['AccessDeniedException', ADMIN_DENIED.has(op) ? 'AccessDeniedException' : 'ApprovalRequiredException']]));
    expect(got).toEqual(want);
    expect(await snapshots.take(), 'a held call changed the vault').toBe(before);
    const heldCount = guarded.filter((op) => !ADMIN_DENIED.has(op)).length;
    expect(Number(sqlite(w.t, 'SELECT count(*) FROM approval_requests')) - requestsBefore).toBe(heldCount);
  } finally {
    await snapshots.close();
  }
}, 180_000);
