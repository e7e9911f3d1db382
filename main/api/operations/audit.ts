// The audit trail as operations (`strongroom audit …`): LookupEvents shaped
// like CloudTrail's, the export (JSONL with signed digests, verifiable
// offline with only the file and the tenant's audit public key), the
// verification of the stored chain, and the public key itself. Each reads
// only the caller's own tenant's trail.
import { z } from 'zod';
import { operation } from '../operation.js';

const audit = { service: 'audit' as const, readOnly: true };
const Time = z.date().meta({ description: 'ISO-8601 time, e.g. 2026-11-28T12:00:00Z.' });

/** What a verification of a trail finds (of the stored trail here; of an export file in app.ts VerifyAuditTrail). */
export const Verification = z.object({
  Valid: z.boolean(),
  Records: z.number(),
  Digests: z.number(),
  SignedThrough: z.number(),
  Summary: z.string(),
  Problems: z.array(z.object({ Seq: z.number().optional(), Kind: z.string(), Message: z.string() })),
});

export const LookupEvents = operation({
  ...audit,
  name: 'LookupEvents',
  action: 'audit:LookupEvents',
  summary: "Finds audit records of the caller's tenant, newest first, by time range, event name, user or key.",
  input: () => z
    .object({
      StartTime: Time.optional(),
      EndTime: Time.optional(),
      EventName: z.string().min(1).optional(),
      UserName: z.string().min(1).optional(),
      KeyId: z.string().min(1).optional().meta({ description: 'A key id or key ARN.' }),
      MaxResults: z.number().int().min(1).max(1000).optional(),
      NextToken: z.string().min(1).optional(),
    })
    .strict(),
  output: () => z.object({
    Events: z.array(
      z.object({
        EventId: z.string(),
        EventName: z.string(),
        ReadOnly: z.string(),
        EventTime: z.date(),
        EventSource: z.string(),
        Username: z.string().optional(),
        Resources: z.array(z.object({ ResourceType: z.string(), ResourceName: z.string() })),
        CloudTrailEvent: z.string(),
      }),
    ),
    NextToken: z.string().optional(),
  }),
});

export const ExportEvents = operation({
  ...audit,
  name: 'ExportEvents',
  action: 'audit:ExportEvents',
  summary: "Exports the tenant's whole audit trail as JSONL with signed digests (`strongroom audit export --out FILE`).",
  input: () => z.object({}).strict(),
  output: () => z.object({ Export: z.string() }),
});

export const VerifyEvents = operation({
  ...audit,
  name: 'VerifyEvents',
  action: 'audit:VerifyEvents',
  summary: "Verifies the tenant's stored audit chain and signed digests; names any edited, missing, reordered or inserted record.",
  input: () => z.object({}).strict(),
  output: () => Verification,
});

export const GetAuditPublicKey = operation({
  ...audit,
  name: 'GetAuditPublicKey',
  action: 'audit:VerifyEvents',
  summary: "Returns the tenant's audit signing public key (PEM), which verifies an export on another machine.",
  input: () => z.object({}).strict(),
  output: () => z.object({ PublicKey: z.string() }),
});
