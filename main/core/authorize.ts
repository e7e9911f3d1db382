// Who may do what. Until users, groups and key policies exist (DESIGN §5),
// a tenant has one principal, its administrator, who may do everything in
// its own account and nothing in any other. Every operation already asks
// here with its IAM action and key, so policy evaluation slots in behind
// this one function.
import { keyArn } from './arn.js';
import type { Caller } from './context.js';
import { accessDenied } from './errors.js';
import type { KeyRecord } from './model.js';

export const ADMIN_USER = 'admin';

export function authorize(caller: Caller, action: string, key?: KeyRecord): void {
  const ownAccount = key === undefined || key.account === caller.account;
  if (ownAccount && caller.userName === ADMIN_USER) return;
  const resource = key ? keyArn(key, key.keyId) : `account ${caller.account}`;
  throw accessDenied(`User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource}.`);
}
