// GetKeyPolicy, PutKeyPolicy, ListKeyPolicies (AWS KMS API Reference), and
// GetKeyAccessMatrix: for each user of the tenant and each KMS action, who
// may do what on one key and which statement decided — what the desktop
// UI's permission matrix shows. A key has one policy, named "default".
// The users a policy names are bound to who they were when it was saved
// (principal-binding.ts): a deleted user shows as its unique id.
import { z } from 'zod';
import { operation } from '../operation.js';
import { KeyId, Limit, Marker } from '../fields.js';

const PolicyName = z.literal('default').meta({ description: "The policy's name; always 'default'." });

export const GetKeyPolicy = operation({
  name: 'GetKeyPolicy',
  action: 'kms:GetKeyPolicy',
  readOnly: true,
  summary: "Returns a key's key policy document.",
  input: () => z.object({ KeyId, PolicyName: PolicyName.optional() }).strict(),
  output: () => z.object({ Policy: z.string(), PolicyName: z.string() }),
});

export const PutKeyPolicy = operation({
  name: 'PutKeyPolicy',
  action: 'kms:PutKeyPolicy',
  summary: "Replaces a key's key policy (AWS policy JSON, at most 32 KiB), with the lockout safety check.",
  input: () => z
    .object({
      KeyId,
      PolicyName: PolicyName.optional(),
      Policy: z.string().min(1),
      BypassPolicyLockoutSafetyCheck: z.boolean().optional(),
    })
    .strict(),
  output: () => z.object({}),
});

export const ListKeyPolicies = operation({
  name: 'ListKeyPolicies',
  action: 'kms:ListKeyPolicies',
  readOnly: true,
  summary: "Lists the names of a key's policies (always 'default').",
  input: () => z.object({ KeyId, Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({ PolicyNames: z.array(z.string()), NextMarker: z.string().optional(), Truncated: z.boolean() }),
});

export const GetKeyAccessMatrix = operation({
  name: 'GetKeyAccessMatrix',
  action: 'kms:GetKeyPolicy',
  readOnly: true,
  summary: 'Strongroom: for each user of the tenant and each KMS action on a key, whether it is allowed and which statement decided.',
  input: () => z.object({ KeyId }).strict(),
  output: () => z.object({
    KeyId: z.string(),
    Actions: z.array(z.string()),
    Principals: z.array(
      z.object({
        Principal: z.string(),
        UserName: z.string(),
        Decisions: z.array(
          z.object({ Action: z.string(), Decision: z.string(), Source: z.string().optional(), PolicyName: z.string().optional(), Sid: z.string().optional(), Reason: z.string() }),
        ),
      }),
    ),
  }),
});
