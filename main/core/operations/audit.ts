// The audit trail as operations (`strongroom audit …`): LookupEvents shaped
// like CloudTrail's, the export (JSONL with signed digests, verifiable
// offline with only the file and the tenant's audit public key), the
// verification of the stored chain, and the public key itself. Each reads
// only the caller's own tenant's trail.
import { summary } from '../audit/verify.js';
import { keyArnIn, parseKeyRef } from '../codecs/arn.js';
import type { Handler } from '../service/operation.js';


export const LookupEvents: Handler<'LookupEvents'> = async (ctx, input) => {
  await ctx.authorize();
  let key: string | undefined;
  if (input.KeyId !== undefined) {
    const ref = parseKeyRef(ctx.scope, input.KeyId, false);
    key = ref.kind === 'key' ? keyArnIn(ctx.scope, ref.keyId) : undefined;
  }
  const r = await ctx.audit.lookup(ctx.scope.account, {
    ...(input.StartTime !== undefined ? { startTime: input.StartTime } : {}),
    ...(input.EndTime !== undefined ? { endTime: input.EndTime } : {}),
    ...(input.EventName !== undefined ? { eventName: input.EventName } : {}),
    ...(input.UserName !== undefined ? { userName: input.UserName } : {}),
    ...(key !== undefined ? { keyArn: key } : {}),
    ...(input.MaxResults !== undefined ? { limit: input.MaxResults } : {}),
    ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
  });
  return {
    Events: r.events.map(({ event: e }) => ({
      EventId: e.eventID,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly),
      EventTime: new Date(e.eventTime),
      EventSource: e.eventSource,
      ...(e.userIdentity.userName ? { Username: e.userIdentity.userName } : {}),
      Resources: e.resources.map((res) => ({ ResourceType: res.type, ResourceName: res.ARN })),
      CloudTrailEvent: JSON.stringify(e),
    })),
    ...(r.nextToken ? { NextToken: r.nextToken } : {}),
  };
};

export const ExportEvents: Handler<'ExportEvents'> = async (ctx) => {
  await ctx.authorize();
  return { Export: await ctx.audit.exportText(ctx.scope.account) };
};

export const VerifyEvents: Handler<'VerifyEvents'> = async (ctx) => {
  await ctx.authorize();
  const r = await ctx.audit.verifyStored(ctx.scope.account);
  return {
    Valid: r.ok,
    Records: r.records,
    Digests: r.digests,
    SignedThrough: r.signedThrough,
    Summary: summary(r),
    Problems: r.problems.map((p) => ({ ...(p.seq !== null ? { Seq: p.seq } : {}), Kind: p.kind, Message: p.message })),
  };
};

export const GetAuditPublicKey: Handler<'GetAuditPublicKey'> = async (ctx) => {
  await ctx.authorize();
  return { PublicKey: await ctx.audit.publicKeyPem(ctx.scope.account) };
};
