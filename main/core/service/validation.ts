// Schema failures read like AWS's ValidationException messages:
// "2 validation errors detected: Value at 'numberOfBytes' failed to satisfy
// constraint: …", naming each offending field so the caller can fix it.
import type { z } from 'zod';
import { shown } from '../errors.js';

/** The most issues a message lists; a list of 5,000 bad elements is named by its first few and its count. */
const MAX_LISTED = 10;

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, MAX_LISTED).map((i) => {
    if (i.code === 'unrecognized_keys') return `Unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.slice(0, MAX_LISTED).map((k) => `'${shown(k)}'`).join(', ')}${i.keys.length > MAX_LISTED ? ', …' : ''}${where(i.path)}`;
    if (i.code === 'invalid_type' && i.message.includes('received undefined')) return `Missing required parameter '${path(i.path)}'`;
    return `Value at '${path(i.path)}' failed to satisfy constraint: ${i.message}`;
  });
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  return `${issues.length} validation error${issues.length > 1 ? 's' : ''} detected: ${parts.join('; ')}${more}`;
}

// (member names are the caller's: a 1 MiB EncryptionContext key is shown by its start)
const path = (p: readonly PropertyKey[]) => shown(p.map(String).join('.')) || '(input)';
const where = (p: readonly PropertyKey[]) => (p.length ? ` in '${path(p)}'` : '');
