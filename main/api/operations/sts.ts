// sts:GetCallerIdentity — who am I. Like AWS STS, it needs no permission.
import { z } from 'zod';
import { operation } from '../operation.js';

export const GetCallerIdentity = operation({
  service: 'sts',
  name: 'GetCallerIdentity',
  action: 'sts:GetCallerIdentity',
  readOnly: true,
  summary: 'Shows the account, user id and ARN of the signed-in caller.',
  input: () => z.object({}).strict(),
  output: () => z.object({ UserId: z.string(), Account: z.string(), Arn: z.string() }),
});
