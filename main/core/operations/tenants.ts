// Tenants (isolated accounts). Only administrators of the operator tenant
// (the one `init` created) may create, list, disable or enable tenants, and
// what they see of another tenant is its name, state and counts — never
// its keys or material. A new tenant's `admin` must change the passphrase
// it was given at first sign-in.
import type { OpContext } from '../service/context.js';
import { accessDenied, KmsError } from '../errors.js';
import type { TenantRecord } from '../model.js';
import { insertTenant } from '../service/tenancy.js';
import type { Handler } from '../service/operation.js';

const shape = (t: TenantRecord) => ({ AccountId: t.account, TenantName: t.name, State: t.state, CreationDate: new Date(t.createdAt) });

async function operatorOnly(ctx: OpContext): Promise<void> {
  if (ctx.scope.account !== (await ctx.operatorAccount())) {
    throw accessDenied(`User: ${ctx.caller.arn} is not authorized to perform: ${ctx.action}: only administrators of the operator tenant manage tenants.`);
  }
  await ctx.authorize();
}

export const CreateTenant: Handler<'CreateTenant'> = async (ctx, input) => {
  await operatorOnly(ctx);
  const hash = await ctx.hashPassphrase(input.AdminPassword);
  const t = await ctx.write((tx) => insertTenant(tx, ctx.materials, input.TenantName, hash, { now: ctx.now, passwordResetRequired: true }));
  return { Tenant: shape(t) };
};

export const ListTenants: Handler<'ListTenants'> = async (ctx) => {
  await operatorOnly(ctx);
  const tenants = await ctx.repo.tenants();
  return {
    Tenants: await Promise.all(
      tenants.map(async (t) => ({ ...shape(t), KeyCount: await ctx.repo.countKeys(t.account), UserCount: (await ctx.repo.users(t.account)).length })),
    ),
  };
};

/** DisableTenant and EnableTenant. */
const setState =
  (state: TenantRecord['state']): Handler<'DisableTenant' | 'EnableTenant'> =>
  async (ctx, input) => {
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
    };
export const DisableTenant = setState('Disabled');
export const EnableTenant = setState('Enabled');
