// Tenants (isolated accounts). Only administrators of the operator tenant
// (the one `init` created) may create, list, disable or enable tenants, and
// what they see of another tenant is its name, state and counts — never
// its keys or material. A new tenant's `admin` must change the passphrase
// it was given at first sign-in.
import { z } from 'zod';
import type { OpContext } from '../context.js';
import { accessDenied, KmsError } from '../errors.js';
import type { TenantRecord } from '../model.js';
import { defineOperation } from '../operation.js';
import { insertTenant } from '../tenancy.js';
import { NewPassphrase } from '../../api/fields.js';

const tenant = { service: 'tenant' as const };
const TenantShape = z.object({ AccountId: z.string(), TenantName: z.string(), State: z.string(), CreationDate: z.date() });
const shape = (t: TenantRecord) => ({ AccountId: t.account, TenantName: t.name, State: t.state, CreationDate: new Date(t.createdAt) });
const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit account id');

async function operatorOnly(ctx: OpContext): Promise<void> {
  if (ctx.scope.account !== (await ctx.operatorAccount())) {
    throw accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: ${ctx.action}: only administrators of the operator tenant manage tenants.`);
  }
  await ctx.authorize();
}

export const CreateTenant = defineOperation({
  ...tenant,
  name: 'CreateTenant',
  cliName: 'create',
  action: 'tenant:CreateTenant',
  summary: 'Creates a tenant (an isolated account) with its own tenant key and an admin user, whose passphrase must be changed at first sign-in.',
  input: z.object({ TenantName: z.string().min(1).max(64), AdminPassword: NewPassphrase }).strict(),
  output: z.object({ Tenant: TenantShape }),
  async handler(ctx, input) {
    await operatorOnly(ctx);
    const hash = await ctx.hashPassphrase(input.AdminPassword);
    const t = await ctx.write((tx) => insertTenant(tx, ctx.materials, input.TenantName, hash, { now: ctx.now, passwordResetRequired: true }));
    return { Tenant: shape(t) };
  },
});

export const ListTenants = defineOperation({
  ...tenant,
  name: 'ListTenants',
  cliName: 'list',
  action: 'tenant:ListTenants',
  readOnly: true,
  summary: 'Lists every tenant with its state and how many keys and users it has.',
  input: z.object({}).strict(),
  output: z.object({ Tenants: z.array(TenantShape.extend({ KeyCount: z.number(), UserCount: z.number() })) }),
  async handler(ctx) {
    await operatorOnly(ctx);
    const tenants = await ctx.repo.tenants();
    return {
      Tenants: await Promise.all(
        tenants.map(async (t) => ({ ...shape(t), KeyCount: await ctx.repo.countKeys(t.account), UserCount: (await ctx.repo.users(t.account)).length })),
      ),
    };
  },
});

const setState = (name: 'DisableTenant' | 'EnableTenant', state: TenantRecord['state']) =>
  defineOperation({
    ...tenant,
    name,
    cliName: state === 'Disabled' ? 'disable' : 'enable',
    action: `tenant:${name}`,
    summary: state === 'Disabled' ? 'Disables a tenant: none of its users can sign in or call anything.' : 'Re-enables a disabled tenant.',
    input: z.object({ AccountId }).strict(),
    output: z.object({ Tenant: TenantShape }),
    async handler(ctx, input) {
      await operatorOnly(ctx);
      if (state === 'Disabled' && input.AccountId === ctx.scope.account) {
        throw new KmsError('ValidationException', 'The operator tenant cannot be disabled.');
      }
      const t = await ctx.write(async (tx) => {
        const cur = await tx.tenant(input.AccountId);
        if (!cur) throw new KmsError('NotFoundException', `There is no tenant with account id ${input.AccountId}.`);
        const next = { ...cur, state };
        await tx.updateTenant(next);
        return next;
      });
      return { Tenant: shape(t) };
    },
  });
export const DisableTenant = setState('DisableTenant', 'Disabled');
export const EnableTenant = setState('EnableTenant', 'Enabled');
