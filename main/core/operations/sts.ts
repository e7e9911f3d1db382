// sts:GetCallerIdentity — who am I. Like AWS STS, it needs no permission.
import type { Handler } from '../service/operation.js';

export const GetCallerIdentity: Handler<'GetCallerIdentity'> = async (ctx) => {
  const user = await ctx.repo.user(ctx.caller.account, ctx.caller.userName);
  return { UserId: user?.userId ?? '', Account: ctx.caller.account, Arn: ctx.caller.arn };
};
