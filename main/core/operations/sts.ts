// sts:GetCallerIdentity — who am I. Like AWS STS, it needs no permission.
import { z } from 'zod';
import { defineOperation } from '../operation.js';

export const GetCallerIdentity = defineOperation({
  service: 'sts',
  name: 'GetCallerIdentity',
  action: 'sts:GetCallerIdentity',
  readOnly: true,
  summary: 'Shows the account, user id and ARN of the signed-in caller.',
  input: z.object({}).strict(),
  output: z.object({ UserId: z.string(), Account: z.string(), Arn: z.string() }),
  async handler(ctx) {
    const user = await ctx.repo.user(ctx.caller.account, ctx.caller.userName);
    return { UserId: user?.userId ?? '', Account: ctx.caller.account, Arn: ctx.caller.arn };
  },
});
