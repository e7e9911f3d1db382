// A field's problem by the contract's own schema (RENDERER.md: never a
// second copy of a rule), as the sentence to show under it; undefined when
// the value passes or the field is still empty (an empty form shows no errors).
import type { z } from 'zod';

export function problem(schema: z.ZodType, value: string | number | undefined): string | undefined {
  if (value === '' || value === undefined) return undefined;
  const result = schema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'This value is not allowed.');
}

/** The "again" field of a new passphrase. */
export const mismatch = (first: string, again: string): string | undefined => (again !== '' && again !== first ? 'The two passphrases differ.' : undefined);
