// Tenants (isolated accounts). Only administrators of the operator tenant
// (the one `init` created) may create, list, disable or enable tenants, and
// what they see of another tenant is its name, state and counts — never
// its keys or material. A new tenant's `admin` must change the passphrase
// it was given at first sign-in.
import { z } from 'zod';
import { operation } from '../operation.js';
import { NewPassphrase } from '../fields.js';

const tenant = { service: 'tenant' as const };
const TenantShape = z.object({ AccountId: z.string(), TenantName: z.string(), State: z.string(), CreationDate: z.date() });
const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');


export const CreateTenant = operation({
  ...tenant,
  name: 'CreateTenant',
  cliName: 'create',
  action: 'tenant:CreateTenant',
  summary: 'Creates a tenant (an isolated account) with its own tenant key and an admin user, whose passphrase must be changed at first sign-in.',
  input: () => z.object({ TenantName: z.string().min(1).max(64), AdminPassword: NewPassphrase }).strict(),
  output: () => z.object({ Tenant: TenantShape }),
});

export const ListTenants = operation({
  ...tenant,
  name: 'ListTenants',
  cliName: 'list',
  action: 'tenant:ListTenants',
  readOnly: true,
  summary: 'Lists every tenant with its state and how many keys and users it has.',
  input: () => z.object({}).strict(),
  output: () => z.object({ Tenants: z.array(TenantShape.extend({ KeyCount: z.number(), UserCount: z.number() })) }),
});

export const DisableTenant = operation({
  ...tenant,
  name: 'DisableTenant',
  cliName: 'disable',
  action: 'tenant:DisableTenant',
  summary: 'Disables a tenant: none of its users can sign in or call anything.',
  input: () => z.object({ AccountId }).strict(),
  output: () => z.object({ Tenant: TenantShape }),
});

export const EnableTenant = operation({
  ...tenant,
  name: 'EnableTenant',
  cliName: 'enable',
  action: 'tenant:EnableTenant',
  summary: 'Re-enables a disabled tenant.',
  input: () => z.object({ AccountId }).strict(),
  output: () => z.object({ Tenant: TenantShape }),
});
