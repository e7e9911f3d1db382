// GetKeyLastUsage (AWS KMS API Reference): the last successful cryptographic
// operation a key was used for, when, and the audit record that shows it.
import { z } from 'zod';
import { KEY_LAST_USAGE_OPERATIONS } from '../enums.js';
import { operation } from '../operation.js';
import { KeyId } from '../fields.js';

export const GetKeyLastUsage = operation({
  name: 'GetKeyLastUsage',
  action: 'kms:GetKeyLastUsage',
  summary: 'Shows the last successful cryptographic operation a key was used for, when, and the audit record (event id) of that call.',
  input: () => z.object({ KeyId: KeyId.meta({ description: 'Key id or key ARN (not an alias).' }) }).strict(),
  output: () => z.object({
    KeyId: z.string(),
    // AWS KeyLastUsageData: every member absent (an empty object) while the key has not been used since TrackingStartDate
    KeyLastUsage: z.object({
      Operation: z.enum(KEY_LAST_USAGE_OPERATIONS).optional(),
      Timestamp: z.date().optional(),
      /** the eventID of that call's audit record (audit lookup-events) */
      CloudTrailEventId: z.string().optional(),
      /** the requestID of that call's audit record */
      KmsRequestId: z.string().optional(),
    }),
    TrackingStartDate: z.date(),
    KeyCreationDate: z.date(),
  }),
});
