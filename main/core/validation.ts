// Schema failures read like AWS's ValidationException messages:
// "2 validation errors detected: Value at 'numberOfBytes' failed to satisfy
// constraint: …", naming each offending field so the caller can fix it.
import type { z } from 'zod';

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `Unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `'${k}'`).join(', ')}${where(i.path)}`;
    if (i.code === 'invalid_type' && i.message.includes('received undefined')) return `Missing required parameter '${path(i.path)}'`;
    return `Value at '${path(i.path)}' failed to satisfy constraint: ${i.message}`;
  });
  return `${parts.length} validation error${parts.length > 1 ? 's' : ''} detected: ${parts.join('; ')}`;
}

const path = (p: readonly PropertyKey[]) => p.map(String).join('.') || '(input)';
const where = (p: readonly PropertyKey[]) => (p.length ? ` in '${path(p)}'` : '');
